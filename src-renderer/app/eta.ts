/** "about 2 min left" from the time spent and the fraction done (a linear estimate; none before 2 %). */
export function formatEta(elapsedMs: number, fraction: number): string {
  if (!(fraction >= 0.02) || fraction >= 1 || !(elapsedMs > 0)) return '';
  return formatSecondsLeft((elapsedMs / fraction - elapsedMs) / 1000);
}

/** "about 2 min left" from an estimate in seconds. */
export function formatSecondsLeft(left: number): string {
  if (left < 60) return `about ${Math.max(1, Math.round(left))} s left`;
  if (left < 3600) return `about ${Math.round(left / 60)} min left`;
  const h = Math.floor(left / 3600);
  return `about ${h} h ${Math.round((left - h * 3600) / 60)} min left`;
}
