/**
 * The one scoring pipeline: keypoints → model input (`modelInput`, exactly as in training) → model → score and
 * exercise (`interpretOutputs`, masked to the trained classes) → for a whole clip, its reps (each rep's own window
 * scored the same way). The CLI, the API (Score a video, Live), the Library's predicted columns and the evaluation
 * all go through here; only how a model runs (tfjs in-process, LiteRT, a worker) differs, behind `ClipModel`.
 */
import { ApiError } from '../api/errors';
import { flattenFrame, type StoredKeypoints } from '../keypoints/stored';
import type { FrameLandmarks } from '../keypoints/format';
import { buildRepReport, type ReportInput, type RepReport } from '../reps/report';
import { modelInput } from './model-input';
import { interpretOutputs, type ClipScore, type ExerciseClasses } from './clip-score';

/** A model's raw outputs for a batch: scores (already on the 0–100 scale) and the exercise head's probabilities. */
export interface RawOutputs {
  scores: ArrayLike<number>;
  exerciseProbs?: ReadonlyArray<ArrayLike<number> | null | undefined> | null;
}

/** A loaded model as the pipeline sees it, whatever runs it. */
export interface ClipModel {
  /** Frames per input (the model's N). */
  numFrames: number;
  hasExerciseHead: boolean;
  classes: ExerciseClasses;
  /** Inputs per `run` call; default all at once (the runner batches itself). */
  batchSize?: number;
  /** Run a batch of inputs [numFrames × 132]. */
  run(xs: Float32Array[]): RawOutputs | Promise<RawOutputs>;
}

/** A rep's window is thinned to at most this many frames before `modelInput` resamples it to N (the API's limit). */
const MAX_WINDOW_FRAMES = 256;

/** A rep's own frames as the model scores them (every k-th frame, at most MAX_WINDOW_FRAMES): reports and Live. */
export function repWindow<T>(frames: readonly T[]): T[] {
  const step = Math.max(1, Math.ceil(frames.length / MAX_WINDOW_FRAMES));
  return frames.filter((_, i) => i % step === 0);
}

export const NO_POSE_TO_SCORE =
  'No pose detected: make sure the person is clearly visible, well lit, fully in frame and facing the camera or side-on.';

/** Score prepared model inputs in batches (the evaluation and the Library's predictions). */
export async function scoreInputs(model: ClipModel, xs: Float32Array[]): Promise<ClipScore[]> {
  const out: ClipScore[] = [];
  const batch = Math.max(1, model.batchSize ?? xs.length);
  for (let s = 0; s < xs.length; s += batch) {
    const p = await model.run(xs.slice(s, s + batch));
    for (let i = 0; i < p.scores.length; i++)
      out.push(interpretOutputs(p.scores[i], p.exerciseProbs?.[i] ?? null, model.classes));
  }
  return out;
}

/** Score one clip (or window) of flattened frames (132 numbers or null per frame); no person at all is an error. */
export async function scoreClip(
  model: ClipModel,
  frames: StoredKeypoints['frames'],
  aspectRatio = 1,
): Promise<ClipScore> {
  if (frames.every((f) => f === null)) throw new ApiError('bad_input', NO_POSE_TO_SCORE);
  const t0 = performance.now();
  const [r] = await scoreInputs(model, [modelInput({ frames }, model.numFrames, aspectRatio)]);
  return { ...r, latencyMs: performance.now() - t0 };
}

export type RepsToScore = Omit<ReportInput, 'guess' | 'hasExerciseHead' | 'scoreWindows'>;

/**
 * Every rep window's model score in one `scoreInputs` call (one model batch, not one call per rep): each window
 * as `scoreClip` would score it alone (thinned by repWindow, then `modelInput`); null where nobody is seen.
 */
export async function scoreRepWindows(
  model: ClipModel,
  windows: ReadonlyArray<ReadonlyArray<FrameLandmarks>>,
  aspect: number,
): Promise<Array<number | null>> {
  const flat = windows.map((w) => repWindow(w).map(flattenFrame));
  const todo = flat.flatMap((f, i) => (f.some((x) => x !== null) ? [i] : []));
  const got = await scoreInputs(
    model,
    todo.map((i) => modelInput({ frames: flat[i] }, model.numFrames, aspect)),
  );
  const out: Array<number | null> = windows.map(() => null);
  todo.forEach((i, k) => (out[i] = got[k].score));
  return out;
}

/** A clip's reps (dense frames), each scored by the model on its own window; `clip` gives the exercise guess. */
export function scoreClipReps(model: ClipModel, clip: ClipScore, input: RepsToScore): Promise<RepReport> {
  return buildRepReport({
    ...input,
    guess: { exercise: clip.exercise, confidence: clip.confidence },
    hasExerciseHead: model.hasExerciseHead,
    scoreWindows: (wins) => scoreRepWindows(model, wins, input.aspect),
  });
}

/** A whole clip: its score and exercise guess from the model's N frames, then its reps from the dense frames. */
export async function scoreVideo(
  model: ClipModel,
  v: RepsToScore & { modelFrames: StoredKeypoints['frames'] },
): Promise<{ clip: ClipScore; report: RepReport }> {
  const { modelFrames, ...reps } = v;
  const clip = await scoreClip(model, modelFrames, v.aspect);
  return { clip, report: await scoreClipReps(model, clip, reps) };
}
