/** Colors and number format shared by the Training view's charts and panels. */
export const C = {
  train: '#3b82f6',
  val: '#f59e0b',
  batch: '#93c5fd',
  compare: '#a78bfa',
  best: '#22c55e',
  grid: '#2a3541',
  axis: '#8b98a5',
};
export const f2 = (v: number | null | undefined, d = 2) =>
  v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(d);
