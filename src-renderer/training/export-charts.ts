/** "Export charts as training_history.png": each chart's SVG drawn on one canvas, with its title, then downloaded. */
export async function exportChartsPng(container: HTMLElement, filename = 'training_history.png'): Promise<void> {
  const panels = [...container.querySelectorAll<HTMLElement>('[data-chart]')];
  const items = panels
    .map((p) => ({ title: p.dataset.chart ?? '', svg: p.querySelector<SVGSVGElement>('svg.recharts-surface') }))
    .filter((i): i is { title: string; svg: SVGSVGElement } => !!i.svg);
  if (items.length === 0) throw new Error('No charts to export yet');
  const cols = Math.min(2, items.length);
  const w = Math.max(...items.map((i) => i.svg.width.baseVal.value || 500));
  const h = Math.max(...items.map((i) => i.svg.height.baseVal.value || 260));
  const titleH = 28;
  const scale = 2;
  const canvas = document.createElement('canvas');
  const rows = Math.ceil(items.length / cols);
  canvas.width = cols * w * scale;
  canvas.height = rows * (h + titleH) * scale;
  const ctx = canvas.getContext('2d')!;
  ctx.scale(scale, scale);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, cols * w, rows * (h + titleH));
  for (let k = 0; k < items.length; k++) {
    const { title, svg } = items[k];
    const x = (k % cols) * w;
    const y = Math.floor(k / cols) * (h + titleH);
    ctx.fillStyle = '#222';
    ctx.font = '600 14px system-ui, sans-serif';
    ctx.fillText(title, x + 12, y + 19);
    const clone = svg.cloneNode(true) as SVGSVGElement;
    clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
    clone.setAttribute('width', String(svg.width.baseVal.value));
    clone.setAttribute('height', String(svg.height.baseVal.value));
    // Text colours come from CSS in the app: inline a readable default.
    clone.querySelectorAll('text').forEach((t) => {
      if (!t.getAttribute('fill') || t.getAttribute('fill') === 'currentColor') t.setAttribute('fill', '#444');
      t.setAttribute('font-family', 'system-ui, sans-serif');
      t.setAttribute('font-size', t.getAttribute('font-size') ?? '11');
    });
    const url = URL.createObjectURL(new Blob([new XMLSerializer().serializeToString(clone)], { type: 'image/svg+xml' }));
    try {
      const img = new Image();
      await new Promise<void>((resolve, reject) => {
        img.onload = () => resolve();
        img.onerror = () => reject(new Error('could not render a chart'));
        img.src = url;
      });
      ctx.drawImage(img, x, y + titleH);
    } finally {
      URL.revokeObjectURL(url);
    }
  }
  const blob = await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
