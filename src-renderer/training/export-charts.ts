/**
 * training_history.png from the charts as they are on screen: each panel's plot SVG (the `.recharts-wrapper`'s
 * own surface — not the legend icons, which are svg.recharts-surface too), its title and its HTML legend, drawn
 * on one canvas at 2× pixel ratio on the view's background. Download it, or copy it to the clipboard.
 */
const SCALE = 2;
const TITLE_H = 24;
const LEGEND_H = 22;
const GAP = 12;

interface Panel {
  title: string;
  svg: SVGSVGElement;
  legend: Array<{ text: string; color: string }>;
  w: number;
  h: number;
}

function panelsOf(container: HTMLElement): Panel[] {
  // An empty chart (e.g. exercise accuracy with one exercise type) stays mounted on screen under a note: left out.
  return [...container.querySelectorAll<HTMLElement>('[data-chart]:not([data-empty])')].flatMap((p) => {
    const svg = p.querySelector<SVGSVGElement>('.recharts-wrapper > svg.recharts-surface');
    if (!svg) return [];
    const r = svg.getBoundingClientRect();
    const legend = [...p.querySelectorAll<HTMLElement>('.recharts-legend-item')].map((li) => {
      const mark = li.querySelector('path, line, rect');
      const color =
        mark?.getAttribute('stroke') && mark.getAttribute('stroke') !== 'none'
          ? mark.getAttribute('stroke')!
          : (mark?.getAttribute('fill') ?? '#888');
      return { text: li.textContent?.trim() ?? '', color };
    });
    return [
      {
        title: p.dataset.chart ?? '',
        svg,
        legend,
        w: r.width || svg.width.baseVal.value,
        h: r.height || svg.height.baseVal.value,
      },
    ];
  });
}

function backgroundOf(el: HTMLElement): string {
  for (let e: HTMLElement | null = el; e; e = e.parentElement) {
    const c = getComputedStyle(e).backgroundColor;
    if (c && c !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(c)) return c;
  }
  return '#0f141a';
}

async function svgImage(svg: SVGSVGElement, w: number, h: number, textColor: string): Promise<HTMLImageElement> {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(w));
  clone.setAttribute('height', String(h));
  // Colors and fonts that come from CSS on screen are inlined, since the image has no stylesheet.
  clone.querySelectorAll('text').forEach((t) => {
    if (!t.getAttribute('fill') || t.getAttribute('fill') === 'currentColor') t.setAttribute('fill', textColor);
    t.setAttribute('font-family', 'system-ui, sans-serif');
    if (!t.getAttribute('font-size')) t.setAttribute('font-size', '11');
  });
  const url = URL.createObjectURL(new Blob([new XMLSerializer().serializeToString(clone)], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('could not render a chart'));
      img.src = url;
    });
    return img;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** All charts in `container` as one PNG (2× pixel ratio). */
export async function renderChartsPng(container: HTMLElement): Promise<Blob> {
  const panels = panelsOf(container);
  if (panels.length === 0) throw new Error('No charts to export yet');
  const cols = Math.min(2, panels.length);
  const w = Math.ceil(Math.max(...panels.map((p) => p.w)));
  const h = Math.ceil(Math.max(...panels.map((p) => p.h)));
  const cellH = TITLE_H + h + LEGEND_H;
  const rows = Math.ceil(panels.length / cols);
  const width = cols * w + (cols + 1) * GAP;
  const height = rows * cellH + (rows + 1) * GAP;
  const canvas = document.createElement('canvas');
  canvas.width = width * SCALE;
  canvas.height = height * SCALE;
  const ctx = canvas.getContext('2d')!;
  ctx.scale(SCALE, SCALE);
  ctx.fillStyle = backgroundOf(container);
  ctx.fillRect(0, 0, width, height);
  const textColor = getComputedStyle(container).color || '#d8dee4';
  for (let k = 0; k < panels.length; k++) {
    const p = panels[k];
    const x = GAP + (k % cols) * (w + GAP);
    const y = GAP + Math.floor(k / cols) * (cellH + GAP);
    ctx.fillStyle = textColor;
    ctx.font = '600 13px system-ui, sans-serif';
    ctx.fillText(p.title, x + 8, y + 16);
    ctx.drawImage(await svgImage(p.svg, p.w, p.h, textColor), x, y + TITLE_H, p.w, p.h);
    // The legend is HTML on screen: draw its swatches and labels under the plot.
    ctx.font = '11px system-ui, sans-serif';
    let lx = x + 40;
    for (const item of p.legend) {
      ctx.fillStyle = item.color;
      ctx.fillRect(lx, y + TITLE_H + p.h + 7, 14, 3);
      ctx.fillStyle = textColor;
      ctx.fillText(item.text, lx + 18, y + TITLE_H + p.h + 12);
      lx += 26 + ctx.measureText(item.text).width;
    }
  }
  return new Promise<Blob>((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'),
  );
}

export async function exportChartsPng(container: HTMLElement, filename = 'training_history.png'): Promise<void> {
  const blob = await renderChartsPng(container);
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** "Copy as image": the same PNG on the clipboard. */
export async function copyChartsPng(container: HTMLElement): Promise<void> {
  if (!navigator.clipboard || typeof ClipboardItem === 'undefined')
    throw new Error('This browser cannot copy images: use “Export charts as training_history.png”.');
  await navigator.clipboard.write([new ClipboardItem({ 'image/png': renderChartsPng(container) })]);
}
