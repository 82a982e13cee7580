/** Every n-th point, the last one always kept, so that at most `max` remain (a chart cannot show more detail). */
export function thin<T>(points: T[], max: number): T[] {
  if (points.length <= max) return points;
  const step = Math.ceil(points.length / max);
  const out = points.filter((_, i) => i % step === 0);
  if ((points.length - 1) % step !== 0) out.push(points[points.length - 1]);
  return out;
}
