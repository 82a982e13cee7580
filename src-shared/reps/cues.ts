/**
 * Cues: short, labelled remarks shown beside a rep's model score ("shallow", "fast"). They are not a score.
 * Rule cues come from the rep's own geometry relative to its set (range of motion vs the set's fullest rep,
 * duration vs the set's median); src-shared/cues/ (form cues) plugs into the same `RepCue` slot.
 */
import type { Rep } from './count';

export interface RepCue {
  /** Stable id, e.g. 'shallow', 'fast', 'slow'. */
  id: string;
  /** What the user reads. */
  text: string;
  severity: 'info' | 'warn';
  /** Where it comes from: 'rule' = range-of-motion / tempo rule; other sources name themselves. */
  source: string;
}

export interface RuleCueOptions {
  /** Reference duration (s); default: the set's median. */
  refDurationSec: number;
  /** Absolute shortest acceptable rep (s). Default 0.8. */
  minRepSec?: number;
}

/** Range-of-motion and tempo cues of one rep relative to its set. */
export function ruleCues(rep: Pick<Rep, 'romFraction' | 'durationSec'>, opts: RuleCueOptions): RepCue[] {
  const cues: RepCue[] = [];
  if (rep.romFraction < 0.8)
    cues.push({
      id: 'shallow',
      text: `shallow (${Math.round(rep.romFraction * 100)}% of the set's fullest rep)`,
      severity: 'warn',
      source: 'rule',
    });
  const r = opts.refDurationSec > 0 ? rep.durationSec / opts.refDurationSec : 1;
  if (r < 0.67 || rep.durationSec < (opts.minRepSec ?? 0.8))
    cues.push({ id: 'fast', text: `fast (${rep.durationSec.toFixed(1)} s)`, severity: 'warn', source: 'rule' });
  else if (r > 1.5)
    cues.push({ id: 'slow', text: `slow (${rep.durationSec.toFixed(1)} s)`, severity: 'info', source: 'rule' });
  return cues;
}
