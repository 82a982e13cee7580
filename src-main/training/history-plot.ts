/** training_history.png for the CLI (the toolkit's matplotlib plot): loss / val loss and MAE / val MAE per epoch, best epoch marked. */
import { Raster } from './png';
import type { EpochRecord } from '../../src-shared/api/training-contract';

type Rgb = readonly [number, number, number];
const TRAIN: Rgb = [31, 119, 180];
const VAL: Rgb = [255, 127, 14];
const AXIS: Rgb = [60, 60, 60];
const GRID: Rgb = [225, 225, 225];
const BEST: Rgb = [44, 160, 44];

function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 1 ? v.toFixed(1) : a >= 0.01 ? v.toFixed(3) : v.toExponential(1);
}

function panel(
  r: Raster,
  x0: number,
  y0: number,
  w: number,
  h: number,
  title: string,
  series: Array<{ values: Array<number | undefined>; color: Rgb; label: string }>,
  bestEpoch: number | null,
  epochs: number[],
): void {
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== undefined && Number.isFinite(v)));
  r.text(x0 + 4, y0 - 22, title, AXIS, 2);
  const left = x0 + 56;
  const bottom = y0 + h - 24;
  const top = y0 + 4;
  const right = x0 + w - 8;
  if (all.length === 0 || epochs.length === 0) {
    r.text(left + 10, top + 20, 'NO DATA', AXIS);
    return;
  }
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (hi - lo < 1e-9) {
    hi += 0.5;
    lo -= 0.5;
  }
  const pad = (hi - lo) * 0.05;
  lo -= pad;
  hi += pad;
  const e0 = epochs[0];
  const e1 = Math.max(epochs[epochs.length - 1], e0 + 1);
  const X = (e: number) => left + ((e - e0) / (e1 - e0)) * (right - left);
  const Y = (v: number) => bottom - ((v - lo) / (hi - lo)) * (bottom - top);
  for (let i = 0; i <= 4; i++) {
    const v = lo + ((hi - lo) * i) / 4;
    r.line(left, Y(v), right, Y(v), GRID);
    r.text(x0, Y(v) - 3, fmt(v), AXIS);
  }
  r.line(left, top, left, bottom, AXIS);
  r.line(left, bottom, right, bottom, AXIS);
  const ticks = Math.min(10, e1 - e0);
  for (let i = 0; i <= ticks; i++) {
    const e = Math.round(e0 + ((e1 - e0) * i) / ticks);
    r.line(X(e), bottom, X(e), bottom + 4, AXIS);
    r.text(X(e) - 3 * String(e).length, bottom + 8, String(e), AXIS);
  }
  if (bestEpoch !== null) r.dashed(X(bestEpoch), top, X(bestEpoch), bottom, BEST);
  series.forEach((s, si) => {
    let prev: [number, number] | null = null;
    s.values.forEach((v, i) => {
      if (v === undefined || !Number.isFinite(v)) return;
      const p: [number, number] = [X(epochs[i]), Y(v)];
      if (prev) r.line(prev[0], prev[1], p[0], p[1], s.color, 2);
      else r.line(p[0] - 1, p[1], p[0] + 1, p[1], s.color, 2);
      prev = p;
    });
    r.line(right - 120, top + 8 + si * 14, right - 100, top + 8 + si * 14, s.color, 2);
    r.text(right - 94, top + 5 + si * 14, s.label, AXIS);
  });
}

export function renderHistoryPng(
  history: EpochRecord[],
  opts: { title?: string; bestEpoch?: number | null } = {},
): Uint8Array {
  const W = 1200;
  const H = 480;
  const r = new Raster(W, H);
  const epochs = history.map((m) => m.epoch);
  const best = opts.bestEpoch ?? history.filter((m) => m.improved).pop()?.epoch ?? null;
  if (opts.title) r.text(12, 8, opts.title, AXIS);
  // Two panels side by side: loss, then MAE, each train vs validation.
  const panels = [
    { title: 'LOSS', train: (m: EpochRecord) => m.loss, val: (m: EpochRecord) => m.valLoss },
    { title: 'MAE (POINTS)', train: (m: EpochRecord) => m.mae, val: (m: EpochRecord) => m.valMae },
  ];
  panels.forEach((p, i) => {
    const series = [
      { values: history.map(p.train), color: TRAIN, label: 'TRAIN' },
      { values: history.map(p.val), color: VAL, label: 'VAL' },
    ];
    panel(r, i === 0 ? 10 : W / 2 + 10, 60, W / 2 - 20, H - 80, p.title, series, best, epochs);
  });
  r.text(W / 2 - 30, H - 14, 'EPOCH', AXIS);
  return r.png();
}
