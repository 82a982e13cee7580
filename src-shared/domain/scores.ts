/** Quality scores are 0–100. Bands follow the toolkit's guide; overlay colors follow its live view. */
export const SCORE_MIN = 0;
export const SCORE_MAX = 100;

export type ScoreBand = 'excellent' | 'good' | 'acceptable' | 'poor';

export function scoreBand(score: number): ScoreBand {
  if (score >= 90) return 'excellent';
  if (score >= 70) return 'good';
  if (score >= 50) return 'acceptable';
  return 'poor';
}

export const SCORE_BAND_LABELS: Record<ScoreBand, string> = {
  excellent: 'Excellent (90–100)',
  good: 'Good (70–89)',
  acceptable: 'Acceptable (50–69)',
  poor: 'Poor (<50)',
};

export type OverlayColor = 'green' | 'orange' | 'red';

/** Live overlay color: green ≥70, orange ≥50, red <50. */
export function overlayColor(score: number): OverlayColor {
  if (score >= 70) return 'green';
  if (score >= 50) return 'orange';
  return 'red';
}

export const OVERLAY_HEX: Record<OverlayColor, string> = {
  green: '#22c55e',
  orange: '#f59e0b',
  red: '#ef4444',
};

/** Text scores are plain decimals only: `85`, `72.5` (not `0x1F`, `0b11`, `0o7`, `1e1`, `+5`, `Infinity`). */
const PLAIN_DECIMAL = /^\d+(\.\d+)?$/;

/** A valid score is a finite number in [0, 100] with at most one decimal. */
export function validateScore(value: unknown): { ok: true; value: number } | { ok: false; message: string } {
  const text = typeof value === 'string' ? value.trim() : null;
  const n = text !== null ? (PLAIN_DECIMAL.test(text) ? Number(text) : NaN) : typeof value === 'number' ? value : NaN;
  if (!Number.isFinite(n))
    return { ok: false, message: `Score must be a number from 0 to 100 (got ${JSON.stringify(value)})` };
  if (n < SCORE_MIN || n > SCORE_MAX) return { ok: false, message: `Score must be between 0 and 100 (got ${n})` };
  const rounded = Math.round(n * 10) / 10;
  if (Math.abs(rounded - n) > 1e-9) return { ok: false, message: `Score allows at most one decimal (got ${n})` };
  return { ok: true, value: rounded };
}
