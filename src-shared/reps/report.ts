/**
 * The reps of one clip as every front end shows them (Score a video panel, `form-studio score`, the API):
 * which movement was counted and why, each rep with the model's score of its own window and its cues, the
 * set score (mean of the rep scores) or a plank's hold, and plain messages for input that cannot give reps.
 * Form cues (src-shared/cues): each rep carries at most one (`formCue`, the most severe), the report the set's
 * top cues with counts; `cues` stay the range-of-motion / tempo remarks.
 */
import type { FrameLandmarks } from '../keypoints/format';
import type { ExerciseType } from '../domain/exercises';
// the modules, not the cues index: that also exports the tfjs trainer, which the report never needs
import { HOLD_WINDOW_SEC, formatCueSummary, holdWindows, setCues } from '../cues/set-cues';
import type { Cue, CueCount, CueSettings, LearnedCueModel } from '../cues';
import { countReps, type RepResult } from './count';
import { countRepsAuto } from './auto';
import { repFrameRange, scoreReps, setScore } from './score';
import type { RepCue } from './cues';

export interface ReportRep {
  index: number;
  startSec: number;
  bottomSec: number;
  endSec: number;
  /** The model's 0–100 score of this rep's window; null without a model. */
  score: number | null;
  /** Range-of-motion / tempo remarks (shallow, fast…). */
  cues: RepCue[];
  /** The rep's form cue ("Go deeper…"), the most severe one, or null. */
  formCue: Cue | null;
}

/** A plank is judged in windows of its holds (src-shared/cues HOLD_WINDOW_SEC). */
export interface HoldCueWindow {
  startSec: number;
  endSec: number;
  formCue: Cue | null;
}

export interface RepReport {
  /** The movement counted; null = counted on the dominant periodic joint angle (no exercise known). */
  exercise: ExerciseType | null;
  /** chosen = by the user (or the clip's label); model = the model's confident guess; movement = neither. */
  exerciseSource: 'chosen' | 'model' | 'movement';
  /** What the counted signal measures, e.g. "knee angle". */
  signalLabel: string;
  count: number;
  reps: ReportRep[];
  /** Plank: seconds held; null for rep exercises. */
  holdSec: number | null;
  /** Mean of the model's rep scores; null without a model or reps. */
  setScore: number | null;
  /** Why there are no (or fewer) reps: no person, too short, ends mid-rep, … */
  messages: string[];
  /** The set's top form cues, most reps (or plank windows) first. */
  cueSummary: CueCount[];
  /** Plank: the hold's windows with their cue; [] for rep exercises. */
  holdWindows: HoldCueWindow[];
  /** Why no form cue could be given at all (cues off for the exercise, exercise unknown), else null. */
  cueNote: string | null;
}

export interface ReportInput {
  frames: readonly FrameLandmarks[];
  timestampsSec: readonly number[];
  aspect: number;
  /** The user's choice ('auto' = not chosen). */
  exercise: ExerciseType | 'auto';
  /** The model's exercise guess for the whole clip (masked to its trained classes), if it has a head. */
  guess?: { exercise: ExerciseType | null; confidence: number | null } | null;
  /** false = the model has no exercise head. */
  hasExerciseHead?: boolean;
  /** Model scores (0–100) of every rep's window of frames, in one call (one model batch); null where none. */
  scoreWindows?: (windows: Array<Array<FrameLandmarks>>) => Promise<Array<number | null>>;
  /** Guesses below this confidence are not used to pick the counted movement. Default 0.4. */
  confidenceFloor?: number;
  /** The coach's cue settings (cue-settings.json); defaults from the rule table when absent. */
  cueSettings?: CueSettings;
  /** Trained cue models; those for the counted exercise join the rules. */
  learnedCues?: readonly LearnedCueModel[];
}

/** Each window's model score (null for a null window, and for all without scoreWindows), in one call. */
async function windowScores(
  input: Pick<ReportInput, 'scoreWindows'>,
  wins: Array<FrameLandmarks[] | null>,
): Promise<Array<number | null>> {
  const out: Array<number | null> = wins.map(() => null);
  const todo = wins.flatMap((w, i) => (w ? [i] : []));
  if (input.scoreWindows) {
    const got = todo.length > 0 ? await input.scoreWindows(todo.map((i) => wins[i]!)) : [];
    todo.forEach((i, k) => (out[i] = got[k] ?? null));
  }
  return out;
}

export async function buildRepReport(input: ReportInput): Promise<RepReport> {
  const { frames, timestampsSec: t, aspect } = input;
  const messages: string[] = [];
  const people = frames.filter((f) => f !== null).length;
  const span = t.length > 1 ? t[t.length - 1]! - t[0]! : 0;
  if (people === 0) {
    return {
      exercise: null,
      exerciseSource: 'movement',
      signalLabel: '',
      count: 0,
      reps: [],
      holdSec: null,
      setScore: null,
      messages: ['No person was found in this clip: make sure the whole body is in frame and well lit.'],
      cueSummary: [],
      holdWindows: [],
      cueNote: null,
    };
  }
  if (people < frames.length * 0.5)
    messages.push(
      `A person was found in only ${Math.round((100 * people) / frames.length)}% of the frames: reps where nobody is seen are not counted.`,
    );
  let res: RepResult;
  let source: RepReport['exerciseSource'];
  const floor = input.confidenceFloor ?? 0.4;
  if (input.exercise !== 'auto') {
    res = countReps(frames, t, input.exercise, { aspect });
    source = 'chosen';
  } else if (input.guess?.exercise && (input.guess.confidence ?? 0) >= floor) {
    res = countReps(frames, t, input.guess.exercise, { aspect });
    source = 'model';
  } else {
    res = countRepsAuto(frames, t, { aspect });
    source = 'movement';
    if (input.hasExerciseHead === false)
      messages.push(
        'This model has no exercise head, so reps are counted on the movement itself; choose the exercise for a surer count.',
      );
    else if (input.guess)
      messages.push(
        `The model's exercise guess is uncertain (${Math.round((input.guess.confidence ?? 0) * 100)}%), so reps are counted on the movement itself.`,
      );
  }
  const timed = res.holdSec !== undefined;
  const exercise = timed ? 'plank' : source === 'movement' ? null : res.exercise;
  const scored = scoreReps(res.reps);
  const windows = timed ? holdWindows(res.holds ?? []) : res.reps;
  const settings = input.cueSettings ?? {};
  const cues = setCues(exercise, frames, t, windows, settings, { aspect, learned: input.learnedCues });
  const reps: ReportRep[] = [];
  const scores = await windowScores(
    input,
    res.reps.map((r) => {
      const [a, b] = repFrameRange(r, t);
      const win = frames.slice(a, b);
      return win.some((f) => f !== null) && win.length >= 2 ? win : null; // nobody seen: no score
    }),
  );
  for (const [i, r] of res.reps.entries()) {
    const score = scores[i];
    reps.push({
      index: r.index,
      startSec: r.startSec,
      bottomSec: r.bottomSec,
      endSec: r.endSec,
      score: score === null ? null : Math.round(score * 10) / 10,
      cues: scored[i]!.cues,
      formCue: cues.perRep[i] ?? null,
    });
  }
  if (!timed && reps.length === 0) {
    messages.push(
      span < 1.5
        ? `The clip is ${span.toFixed(1)} s long: shorter than one rep.`
        : 'No complete rep was found: the movement was too small or never returned to the starting position.',
    );
  }
  if (!timed && res.endsMidRep) messages.push('The clip ends mid-rep: the last, unfinished rep is not counted.');
  if (res.dropped?.length)
    messages.push(
      `${res.dropped.length} movement(s) at the start or end of the set did not match its reps (e.g. picking up or putting down a bar) and are not counted.`,
    );
  const cueNote = !exercise
    ? 'Form cues need the exercise: choose it (the movement alone does not say which cues apply).'
    : (settings.offExercises ?? []).includes(exercise)
      ? 'Form cues are switched off for this exercise in the cue settings.'
      : null;
  return {
    exercise,
    exerciseSource: source,
    signalLabel: res.signalLabel,
    count: reps.length,
    reps,
    holdSec: timed ? (res.holdSec ?? 0) : null,
    setScore: setScore(reps),
    messages,
    cueSummary: cues.summary,
    holdWindows: timed
      ? windows.map((w, i) => ({ startSec: w.startSec, endSec: w.endSec, formCue: cues.perRep[i] ?? null }))
      : [],
    cueNote,
  };
}

/** Plain-text lines for the CLI: `Reps: N` and one line per rep, or `Hold: S s`. */
export function formatRepReport(r: RepReport, displayName: (e: ExerciseType) => string): string {
  const lines: string[] = [];
  const what = r.exercise
    ? `${displayName(r.exercise)}${r.exerciseSource === 'model' ? ' (model guess)' : ''}`
    : `auto (${r.signalLabel})`;
  if (r.holdSec !== null) {
    lines.push(`Hold: ${r.holdSec.toFixed(1)} s  [${what}]`);
    for (const w of r.holdWindows)
      if (w.formCue) lines.push(`  ${w.startSec.toFixed(1)}–${w.endSec.toFixed(1)} s  cue: ${w.formCue.text}`);
  } else {
    lines.push(
      `Reps: ${r.count}  [${what}]${r.setScore !== null ? `  set score ${r.setScore.toFixed(1)} (mean of the model's rep scores)` : ''}`,
    );
    for (const rep of r.reps) {
      const cue = rep.formCue ? `  cue: ${rep.formCue.text}` : '';
      const cues = rep.cues.length ? `  (${rep.cues.map((c) => c.text).join(', ')})` : '';
      lines.push(
        `  #${String(rep.index + 1).padStart(2)}  ${rep.startSec.toFixed(1)}–${rep.endSec.toFixed(1)} s  score ${rep.score === null ? '—' : rep.score.toFixed(1)}${cue}${cues}`,
      );
    }
  }
  if (r.cueSummary.length)
    lines.push(
      `Top cues: ${formatCueSummary(r.cueSummary, r.holdSec !== null ? r.holdWindows.length : r.count, r.holdSec !== null ? `${HOLD_WINDOW_SEC}-s windows` : 'reps')}`,
    );
  else if (r.cueNote) lines.push(`Cues: ${r.cueNote}`);
  else if (r.count > 0 || r.holdWindows.length > 0) lines.push('Cues: none (no form cue on any rep)');
  for (const m of r.messages) lines.push(`Note: ${m}`);
  return lines.join('\n');
}
