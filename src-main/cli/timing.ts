/**
 * `FORM_STUDIO_TIMING=1`: where a command's time goes, one stderr line per step with the time since the
 * process started (and since the previous line). Off by default; bench/cli.ts turns it on.
 */
const on = !!process.env.FORM_STUDIO_TIMING;
let last = 0;

/** Record the end of a step (a no-op unless FORM_STUDIO_TIMING is set). */
export function mark(step: string): void {
  if (!on) return;
  const now = performance.now();
  console.error(`[timing] ${(now / 1000).toFixed(2).padStart(6)} s  +${((now - last) / 1000).toFixed(2)} s  ${step}`);
  last = now;
}

/** Print a sub-breakdown measured elsewhere (the page's phases), seconds by name. */
export function markPhases(prefix: string, phases: Record<string, number> | undefined, perSecond = 1): void {
  if (!on || !phases) return;
  for (const [k, v] of Object.entries(phases))
    console.error(`[timing]          ${prefix}: ${k} ${(v / perSecond).toFixed(2)} s`);
}
