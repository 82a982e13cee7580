/**
 * Evaluates the cue table (rules.ts) and any learned cue models on ONE rep's own frames.
 *
 *   const cues = cuesForRep('squat', frames, timestampsSec, rep, settings, { aspect: w / h });
 *   // [] or [{ id: 'squat.depth', text: 'Go deeper…', severity: 0.4, source: 'rule' }] — at most one, the most severe
 *
 * Phases of a rep window [start, end] with extreme b (squat bottom, curl top, press lockout):
 *   extreme = frames within ±20 % of the rep's duration around b (at least the frame nearest b);
 *   rest    = the first 15 % of the rep (at least its first frame): the baseline before the movement;
 *   work    = every frame of the rep;  hold = the same, for timed exercises (plank segments).
 * A rule is judged only when at least half of its phase's frames give a value (its joints are visible), and only
 * from the camera view it is written for (cameraView over the rep's frames).
 */
import { isExerciseType, type ExerciseType } from '../domain/exercises';
import type { FrameLandmarks, Landmark } from '../keypoints/format';
import { learnedCue, learnedModelId, type LearnedCueModel } from './learned';
import { MEASURES, cameraView, type MeasureContext } from './measures';
import { CUE_RULES, rulesFor, type CueRule } from './rules';
import type { CameraView, Cue, CueSettings, RepPhase, RepWindow } from './types';

export interface CueOptions {
  /** Image width / height (landmarks are normalised per axis). Default 1. */
  aspect?: number;
  /** Trained cue models; those for this exercise join the rules. */
  learned?: readonly LearnedCueModel[];
}

/** Why a rule gave no cue, for diagnostics and tests. */
export type RuleOutcome =
  | { id: string; status: 'fired'; value: number; cue: Cue }
  | { id: string; status: 'ok'; value: number }
  | { id: string; status: 'off' }
  | { id: string; status: 'wrong-view'; view: CameraView }
  | { id: string; status: 'not-visible'; seen: number; frames: number };

export interface RepCueReport {
  view: CameraView;
  rules: RuleOutcome[];
  /** Every cue that fired (rules and learned), most severe first. */
  fired: Cue[];
  /** What to show: the most severe cue, or null. */
  shown: Cue | null;
}

function quantile(sorted: number[], p: number): number {
  const pos = p * (sorted.length - 1),
    i = Math.floor(pos),
    f = pos - i;
  return i + 1 < sorted.length ? sorted[i]! * (1 - f) + sorted[i + 1]! * f : sorted[i]!;
}

/** Indices of the frames of a rep window that belong to a phase (see the file comment). */
export function phaseFrames(timestampsSec: readonly number[], rep: RepWindow, phase: RepPhase): number[] {
  const dur = Math.max(0, rep.endSec - rep.startSec);
  const b = rep.bottomSec ?? (rep.startSec + rep.endSec) / 2;
  let lo = rep.startSec,
    hi = rep.endSec;
  if (phase === 'extreme') {
    lo = Math.max(rep.startSec, b - 0.2 * dur);
    hi = Math.min(rep.endSec, b + 0.2 * dur);
  } else if (phase === 'rest') hi = rep.startSec + 0.15 * dur;
  const out: number[] = [];
  for (let i = 0; i < timestampsSec.length; i++)
    if (timestampsSec[i]! >= lo - 1e-9 && timestampsSec[i]! <= hi + 1e-9) out.push(i);
  if (out.length) return out;
  // no frame inside (low frame rate): the nearest one to the phase's anchor
  const anchor = phase === 'extreme' ? b : phase === 'rest' ? rep.startSec : (rep.startSec + rep.endSec) / 2;
  let best = -1;
  for (let i = 0; i < timestampsSec.length; i++)
    if (best < 0 || Math.abs(timestampsSec[i]! - anchor) < Math.abs(timestampsSec[best]! - anchor)) best = i;
  return best >= 0 ? [best] : [];
}

function viewOk(rule: CueRule, view: CameraView): boolean {
  if (view === 'unknown') return false;
  if (rule.view === 'any') return true;
  if (rule.view === 'not-front') return view !== 'front';
  return rule.view === view;
}

/** One rule on one rep. `threshold` overrides the table's. */
export function evaluateRule(
  rule: CueRule,
  frames: readonly FrameLandmarks[],
  timestampsSec: readonly number[],
  rep: RepWindow,
  view: CameraView,
  ctx: MeasureContext,
  threshold = rule.threshold,
): RuleOutcome {
  if (!viewOk(rule, view)) return { id: rule.id, status: 'wrong-view', view };
  const measure = MEASURES[rule.measure].fn;
  // the measure on a phase's frames, where it gives a value (its landmarks seen)
  const valuesIn = (idx: number[]) =>
    idx.map((i) => (frames[i] ? measure(frames[i] as Landmark[], ctx) : NaN)).filter(Number.isFinite);
  const idx = phaseFrames(timestampsSec, rep, rule.phase);
  let values = valuesIn(idx);
  if (!idx.length || values.length * 2 < idx.length)
    return { id: rule.id, status: 'not-visible', seen: values.length, frames: idx.length };
  if (rule.baseline === 'rest') {
    const base = valuesIn(phaseFrames(timestampsSec, rep, 'rest')).sort((a, b) => a - b);
    if (!base.length) return { id: rule.id, status: 'not-visible', seen: 0, frames: idx.length };
    const b0 = quantile(base, 0.5);
    values = values.map((v) => v - b0);
  }
  values.sort((a, b) => a - b);
  const value = quantile(values, rule.agg === 'high' ? 0.8 : rule.agg === 'low' ? 0.2 : 0.5);
  const excess = rule.when === 'above' ? value - threshold : threshold - value;
  const rounded = Math.round(value * 1000) / 1000;
  if (!(excess > 0)) return { id: rule.id, status: 'ok', value: rounded };
  const severity = Math.round(Math.min(1, Math.max(0.01, excess / rule.span)) * 100) / 100;
  return {
    id: rule.id,
    status: 'fired',
    value: rounded,
    cue: { id: rule.id, text: rule.text, severity, source: 'rule' },
  };
}

/** Every rule and learned model for the exercise on one rep, with the reasons for the ones that did not fire. */
export function evaluateRepCues(
  exercise: ExerciseType,
  frames: readonly FrameLandmarks[],
  timestampsSec: readonly number[],
  rep: RepWindow,
  settings: CueSettings = {},
  opts: CueOptions = {},
): RepCueReport {
  if (frames.length !== timestampsSec.length)
    throw new Error(`cues: ${frames.length} frames but ${timestampsSec.length} timestamps`);
  const aspect = opts.aspect ?? 1;
  const ctx: MeasureContext = { aspect, minVis: settings.minVisibility ?? 0.5 };
  // the rep's own frames: the view is judged on them (not on the whole clip), the learned models read them
  const work = phaseFrames(timestampsSec, rep, 'work');
  const view = cameraView(
    work.flatMap((i) => (frames[i] ? [frames[i] as Landmark[]] : [])),
    aspect,
  );
  const off = new Set(settings.disabled ?? []);
  const allOff = (settings.offExercises ?? []).includes(exercise);
  const rules: RuleOutcome[] = rulesFor(exercise).map((r) =>
    allOff || off.has(r.id)
      ? { id: r.id, status: 'off' }
      : evaluateRule(r, frames, timestampsSec, rep, view, ctx, settings.thresholds?.[r.id] ?? r.threshold),
  );
  const fired: Cue[] = rules.flatMap((o) => (o.status === 'fired' ? [o.cue] : []));
  if (!allOff) {
    // every model of the exercise (several may check different things); each has its own switch (learnedModelId),
    // its cues `<model id>.<label>` theirs; the most severe of all is shown
    for (const m of opts.learned ?? []) {
      if (m.exercise !== exercise || off.has(learnedModelId(exercise, m.name))) continue;
      const c = learnedCue(
        m,
        work.map((i) => frames[i] ?? null),
        aspect,
      );
      if (c && !off.has(c.id)) fired.push(c);
    }
  }
  // stable sort: equal severities keep the table order (rules before learned)
  fired.sort((a, b) => b.severity - a.severity);
  return { view, rules, fired, shown: fired[0] ?? null };
}

/** The cue to show for one rep: [] or [the most severe]. The function the rep pipeline calls per rep. */
export function cuesForRep(...args: Parameters<typeof evaluateRepCues>): Cue[] {
  const { shown } = evaluateRepCues(...args);
  return shown ? [shown] : [];
}

/** Problems in saved settings (unknown ids, non-finite thresholds), as messages; [] when fine. */
export function validateCueSettings(s: CueSettings): string[] {
  const errors: string[] = [];
  const known = new Set(CUE_RULES.map((r) => r.id));
  for (const ex of s.offExercises ?? []) if (!isExerciseType(ex)) errors.push(`offExercises: unknown exercise '${ex}'`);
  for (const [id, v] of Object.entries(s.thresholds ?? {})) {
    if (!known.has(id)) errors.push(`thresholds: unknown rule '${id}'`);
    else if (typeof v !== 'number' || !Number.isFinite(v))
      errors.push(`thresholds.${id}: must be a finite number, got ${JSON.stringify(v)}`);
  }
  for (const id of s.disabled ?? [])
    if (!known.has(id) && !id.startsWith('learned.')) errors.push(`disabled: unknown cue '${id}'`);
  if (s.minVisibility !== undefined && !(s.minVisibility >= 0 && s.minVisibility <= 1))
    errors.push('minVisibility: must be between 0 and 1');
  return errors;
}
