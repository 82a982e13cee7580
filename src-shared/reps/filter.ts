/**
 * Small, dependency-free signal helpers for rep counting: gap filling, median and moving-average
 * smoothing, percentiles. NaN marks a missing sample everywhere.
 */

/** Median of the positive time steps (s); `fallback` when there are none. */
export function medianStep(t: readonly number[], fallback = 0.1): number {
  const d: number[] = [];
  for (let i = 1; i < t.length; i++) if (t[i]! > t[i - 1]!) d.push(t[i]! - t[i - 1]!);
  if (!d.length) return fallback;
  d.sort((a, b) => a - b);
  return d[Math.floor(d.length / 2)]!;
}

/** Odd sample count covering about `sec` seconds at step `dt` (at least `min`). */
export function windowSamples(sec: number, dt: number, min = 3): number {
  let n = Math.round(sec / Math.max(dt, 1e-6));
  if (n < min) n = min;
  return n % 2 ? n : n + 1;
}

/**
 * Linear interpolation over runs of NaN no longer than `maxGapSec` that have a valid sample on both
 * sides. Longer gaps, and gaps at the ends, stay NaN.
 */
export function fillGaps(v: readonly number[], t: readonly number[], maxGapSec: number): number[] {
  const out = v.slice();
  let last = -1;
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i]!)) continue;
    if (last >= 0 && i - last > 1 && t[i]! - t[last]! <= maxGapSec + 1e-9) {
      const a = out[last]!,
        b = out[i]!,
        ta = t[last]!,
        tb = t[i]!;
      for (let j = last + 1; j < i; j++) out[j] = tb > ta ? a + ((b - a) * (t[j]! - ta)) / (tb - ta) : a;
    }
    last = i;
  }
  return out;
}

/** Centred median over `n` samples (odd), ignoring NaN; NaN samples stay NaN. */
export function medianFilter(v: readonly number[], n: number): number[] {
  const h = Math.floor(n / 2);
  const out = new Array<number>(v.length);
  const buf: number[] = [];
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i]!)) {
      out[i] = NaN;
      continue;
    }
    buf.length = 0;
    for (let j = Math.max(0, i - h); j <= Math.min(v.length - 1, i + h); j++)
      if (Number.isFinite(v[j]!)) buf.push(v[j]!);
    buf.sort((a, b) => a - b);
    out[i] = buf[Math.floor(buf.length / 2)]!;
  }
  return out;
}

/** Centred moving average over `n` samples (odd), ignoring NaN; NaN samples stay NaN. */
export function movingAverage(v: readonly number[], n: number): number[] {
  const h = Math.floor(n / 2);
  return v.map((x, i) => {
    if (!Number.isFinite(x)) return NaN;
    let s = 0,
      c = 0;
    for (let j = Math.max(0, i - h); j <= Math.min(v.length - 1, i + h); j++) {
      if (Number.isFinite(v[j]!)) {
        s += v[j]!;
        c++;
      }
    }
    return s / c;
  });
}

/** Linear-interpolated percentile (0–100) of the finite values; NaN when there are none. */
export function percentile(v: readonly number[], p: number): number {
  const s = v.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const pos = (Math.max(0, Math.min(100, p)) / 100) * (s.length - 1);
  const i = Math.floor(pos),
    f = pos - i;
  return i + 1 < s.length ? s[i]! * (1 - f) + s[i + 1]! * f : s[i]!;
}

export function median(v: readonly number[]): number {
  return percentile(v, 50);
}
