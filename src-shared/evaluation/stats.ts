/** Small statistics for evaluation reports: percentile, mean/sd, and a seeded paired bootstrap. */
import { Rng } from '../model/rng';

export function mean(a: ArrayLike<number>): number {
  if (a.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
}

/** Sample standard deviation (n − 1); NaN for fewer than 2 values. */
export function sd(a: ArrayLike<number>): number {
  if (a.length < 2) return NaN;
  const m = mean(a);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - m) ** 2;
  return Math.sqrt(s / (a.length - 1));
}

/** Percentile p ∈ [0, 1] of sorted values, linearly interpolated (numpy's default). NaN when empty. */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** The central 95 % interval of finite values; null when none are finite. */
export function interval95(values: ArrayLike<number>): [number, number] | null {
  const f = Array.from(values)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  if (f.length === 0) return null;
  return [percentileSorted(f, 0.025), percentileSorted(f, 0.975)];
}

/**
 * Paired bootstrap: `resamples` times draw n rows with replacement (seeded) and call `stat` with how many times each
 * row was drawn. Returns one Float64Array per statistic the callback returns. The same draws serve every statistic,
 * so differences between two of them (model vs baseline) are paired.
 */
export function bootstrap(
  n: number,
  resamples: number,
  seed: number,
  stat: (counts: Uint32Array) => number[],
): Float64Array[] {
  const rng = new Rng(seed);
  const counts = new Uint32Array(n);
  const out: Float64Array[] = [];
  for (let r = 0; r < resamples; r++) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[rng.int(n)]++;
    const v = stat(counts);
    if (r === 0) for (let k = 0; k < v.length; k++) out.push(new Float64Array(resamples));
    for (let k = 0; k < v.length; k++) out[k][r] = v[k];
  }
  return out;
}

/** Mean of `v` over a resample given as draw counts. */
export function meanWeighted(v: ArrayLike<number>, counts: ArrayLike<number>): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    s += counts[i] * v[i];
    n += counts[i];
  }
  return s / n;
}

/** Row indices sorted by value (computed once; resamples reuse it). */
export function argsort(a: ArrayLike<number>): Uint32Array {
  const order = new Uint32Array(a.length);
  for (let i = 0; i < a.length; i++) order[i] = i;
  return order.sort((i, j) => a[i] - a[j]);
}

/**
 * Average ranks (1..N, ties share their mean rank) of a resample where row i appears counts[i] times, written per
 * original row into `out`. Walks the presorted order: O(n) per resample instead of a sort.
 */
function ranksWeighted(a: ArrayLike<number>, order: Uint32Array, counts: ArrayLike<number>, out: Float64Array): void {
  let cum = 0;
  for (let g = 0; g < order.length;) {
    let e = g;
    let total = counts[order[g]];
    while (e + 1 < order.length && a[order[e + 1]] === a[order[g]]) total += counts[order[++e]];
    const avg = cum + (total + 1) / 2;
    for (let k = g; k <= e; k++) out[order[k]] = avg;
    cum += total;
    g = e + 1;
  }
}

/** Spearman ρ of a resample (draw counts per row), with presorted orders of `a` and `b`. NaN when undefined. */
export function spearmanWeighted(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  orderA: Uint32Array,
  orderB: Uint32Array,
  counts: ArrayLike<number>,
  scratch: [Float64Array, Float64Array],
): number {
  const [ra, rb] = scratch;
  ranksWeighted(a, orderA, counts, ra);
  ranksWeighted(b, orderB, counts, rb);
  let n = 0;
  for (let i = 0; i < counts.length; i++) n += counts[i];
  const m = (n + 1) / 2; // average ranks always have this mean
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    if (c === 0) continue;
    const da = ra[i] - m;
    const db = rb[i] - m;
    sab += c * da * db;
    saa += c * da * da;
    sbb += c * db * db;
  }
  return saa < 1e-12 || sbb < 1e-12 ? NaN : sab / Math.sqrt(saa * sbb);
}

/** Average ranks (1..n, ties share their mean rank). */
export function ranks(a: ArrayLike<number>): Float64Array {
  const out = new Float64Array(a.length);
  ranksWeighted(a, argsort(a), new Uint32Array(a.length).fill(1), out);
  return out;
}

/** Pearson correlation of two equal-length arrays; NaN when either is constant or n < 2. */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (n < 2) return NaN;
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return saa === 0 || sbb === 0 ? NaN : sab / Math.sqrt(saa * sbb);
}

/** Spearman ρ of `a` and `b`. */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return pearson(ranks(a), ranks(b));
}
