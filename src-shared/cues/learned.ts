/**
 * Learned cues: a small per-exercise classifier over one frame's landmarks (e.g. plank correct / hips high /
 * hips low), trained in the app from labelled landmark CSVs (train-learned.ts). This file is the part that runs
 * everywhere: the features and a pure-JS forward pass (no tfjs needed to use a trained model; well under 1 ms a rep).
 *
 * Features of a frame (only from the landmarks the model was trained with):
 *  - each landmark's x, y, z relative to the hip midpoint, in torso lengths, x mirrored so the person faces +x
 *    (a model trained on people facing left works on people facing right);
 *  - joint angles (elbow, shoulder, hip, knee per side; body line shoulder–hip–ankle; torso tilt) / 180,
 *    for the triples whose landmarks are present.
 * A rep's cue = the label with the highest mean probability over its frames, shown when that label has a cue
 * text (not the 'correct' label) and the probability is at least `minProbability`. Frames unlike the training
 * data (`maxAbsZ`) are not judged, and a rep with fewer than half its frames judged gets no learned cue.
 */
import { LANDMARK_NAMES, LM, type FrameLandmarks, type Landmark } from '../keypoints/format';
import { isExerciseType, type ExerciseType } from '../domain/exercises';
import type { Cue } from './types';
import { angleRad } from './measures';

export type LandmarkName = (typeof LANDMARK_NAMES)[number];

export interface DenseLayer {
  inputs: number;
  units: number;
  /** inputs × units, row-major (w[i * units + j]). */
  weights: number[];
  bias: number[];
}

export interface LearnedCueMetrics {
  accuracy: number;
  /** Per label, in `labels` order. */
  recall: number[];
  /** confusion[true][predicted], in `labels` order. */
  confusion: number[][];
  trainRows: number;
  testRows: number;
}

export interface LearnedCueModel {
  format: 'form-studio.learned-cues';
  version: 1;
  exercise: ExerciseType;
  /**
   * What the model checks, when an exercise has several (e.g. 'hips' and 'head' for a plank): lower-case letters,
   * digits, '-' and '_'. Absent = the exercise's unnamed model (the only kind older projects have).
   */
  name?: string;
  labels: string[];
  /** Cue text per label; null for the 'correct' label(s). */
  cueText: Array<string | null>;
  landmarks: LandmarkName[];
  /** Image aspect the training coordinates had (CSV landmarks carry none; 1 unless the import said otherwise). */
  aspect: number;
  featureMean: number[];
  featureStd: number[];
  /** ReLU between layers, softmax after the last. */
  layers: DenseLayer[];
  minProbability: number;
  /**
   * Frames with any standardised feature beyond this many standard deviations are not judged: they look like
   * nothing the model was trained on (another camera, person or set-up), where its confident answers mean little.
   * Set at training to the 99th percentile of the training rows' largest |z|. Absent (older models): no check.
   */
  maxAbsZ?: number;
  metrics: LearnedCueMetrics;
}

const ANGLE_TRIPLES: ReadonlyArray<readonly [LandmarkName, LandmarkName, LandmarkName]> = [
  ['left_shoulder', 'left_elbow', 'left_wrist'],
  ['right_shoulder', 'right_elbow', 'right_wrist'],
  ['left_hip', 'left_shoulder', 'left_elbow'],
  ['right_hip', 'right_shoulder', 'right_elbow'],
  ['left_shoulder', 'left_hip', 'left_knee'],
  ['right_shoulder', 'right_hip', 'right_knee'],
  ['left_hip', 'left_knee', 'left_ankle'],
  ['right_hip', 'right_knee', 'right_ankle'],
  ['left_shoulder', 'left_hip', 'left_ankle'],
  ['right_shoulder', 'right_hip', 'right_ankle'],
];

/** A model name: what it checks, short and usable in a file name and a cue id. */
export const LEARNED_MODEL_NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;

/**
 * The id that switches one learned model off (in `CueSettings.disabled`): 'learned.<exercise>' for the unnamed
 * model, 'learned.<exercise>@<name>' for a named one. Its cues are '<model id>.<label>'.
 */
export function learnedModelId(exercise: ExerciseType, name?: string): string {
  return name ? `learned.${exercise}@${name}` : `learned.${exercise}`;
}

/** The landmarks every learned cue model needs (the frame is centred and scaled on them). */
export const CORE_LANDMARKS: readonly LandmarkName[] = ['left_shoulder', 'right_shoulder', 'left_hip', 'right_hip'];

/** Number of features for a landmark subset (3 per landmark + the angles whose triples are present + tilt). */
export function featureCount(landmarks: readonly LandmarkName[]): number {
  const set = new Set(landmarks);
  return landmarks.length * 3 + ANGLE_TRIPLES.filter((t) => t.every((n) => set.has(n))).length + 1;
}

function ok(l: Landmark | undefined): l is Landmark {
  return !!l && Number.isFinite(l.x) && Number.isFinite(l.y);
}

/** One frame → features (null when the core landmarks are missing or degenerate). */
export function frameFeatures(
  f: FrameLandmarks,
  landmarks: readonly LandmarkName[],
  aspect: number,
): Float32Array | null {
  if (!f) return null;
  const ls = f[LM.left_shoulder],
    rs = f[LM.right_shoulder],
    lh = f[LM.left_hip],
    rh = f[LM.right_hip];
  if (!ok(ls) || !ok(rs) || !ok(lh) || !ok(rh)) return null;
  const sx = ((ls.x + rs.x) / 2) * aspect,
    sy = (ls.y + rs.y) / 2;
  const hx = ((lh.x + rh.x) / 2) * aspect,
    hy = (lh.y + rh.y) / 2,
    hz = (((lh.z || 0) + (rh.z || 0)) / 2) * aspect;
  const T = Math.hypot(sx - hx, sy - hy);
  if (!(T > 1e-6)) return null;
  // facing: nose ahead of the shoulders when it is clearly to one side (front views: no mirroring)
  const nose = f[LM.nose];
  let dir = 1;
  if (landmarks.includes('nose') && ok(nose) && Math.abs(nose.x * aspect - sx) > 0.1 * T)
    dir = Math.sign(nose.x * aspect - sx);
  else if (Math.abs(sx - hx) > Math.abs(sy - hy)) dir = Math.sign(sx - hx); // horizontal body: head side = front
  const out = new Float32Array(featureCount(landmarks));
  let k = 0;
  const P: Record<string, { x: number; y: number }> = {};
  for (const name of landmarks) {
    const l = f[LM[name]];
    if (!ok(l)) return null;
    const x = (dir * (l.x * aspect - hx)) / T,
      y = (l.y - hy) / T;
    out[k++] = x;
    out[k++] = y;
    out[k++] = Number.isFinite(l.z) ? (l.z * aspect - hz) / T : 0;
    P[name] = { x, y };
  }
  const set = new Set(landmarks);
  for (const [a, b, c] of ANGLE_TRIPLES) {
    if (!set.has(a) || !set.has(b) || !set.has(c)) continue;
    const rad = angleRad(P[a]!, P[b]!, P[c]!);
    out[k++] = Number.isNaN(rad) ? 1 : rad / Math.PI;
  }
  // signed torso tilt in the mirrored frame: 0 upright, +0.5 leaning forward (towards +x), −0.5 back
  out[k++] = Math.atan2((dir * (sx - hx)) / T, (hy - sy) / T) / Math.PI;
  return out;
}

/** Softmax probabilities of a standardised feature vector through the model's layers. */
export function forwardProbs(
  model: Pick<LearnedCueModel, 'layers' | 'featureMean' | 'featureStd'>,
  x: Float32Array,
): number[] {
  let h: number[] = Array.from(x, (v, i) => (v - model.featureMean[i]!) / model.featureStd[i]!);
  model.layers.forEach((L, li) => {
    const out = L.bias.slice();
    for (let i = 0; i < L.inputs; i++) {
      const xi = h[i]!;
      if (xi === 0) continue;
      const row = i * L.units;
      for (let j = 0; j < L.units; j++) out[j]! += xi * L.weights[row + j]!;
    }
    h = li < model.layers.length - 1 ? out.map((v) => (v > 0 ? v : 0)) : out;
  });
  const m = Math.max(...h);
  const e = h.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** The largest |standardised feature| of a frame (how unlike the training rows it is). */
export function maxAbsZ(model: Pick<LearnedCueModel, 'featureMean' | 'featureStd'>, x: Float32Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs((x[i]! - model.featureMean[i]!) / model.featureStd[i]!));
  return m;
}

/** Label probabilities per frame (null where the frame cannot be read or is unlike the training data). */
export function predictFrames(
  model: LearnedCueModel,
  frames: readonly FrameLandmarks[],
  aspect = model.aspect,
): Array<number[] | null> {
  return frames.map((f) => {
    const x = frameFeatures(f, model.landmarks, aspect);
    if (!x || (model.maxAbsZ !== undefined && maxAbsZ(model, x) > model.maxAbsZ)) return null;
    return forwardProbs(model, x);
  });
}

/** The learned cue of a rep's frames, or null (correct, unsure, or too few readable frames). */
export function learnedCue(
  model: LearnedCueModel,
  frames: readonly FrameLandmarks[],
  aspect = model.aspect,
): Cue | null {
  const probs = predictFrames(model, frames, aspect).filter((p): p is number[] => p !== null);
  if (!probs.length || probs.length * 2 < frames.length) return null;
  const mean = model.labels.map((_, j) => probs.reduce((a, p) => a + p[j]!, 0) / probs.length);
  let best = 0;
  for (let j = 1; j < mean.length; j++) if (mean[j]! > mean[best]!) best = j;
  const text = model.cueText[best];
  if (!text || mean[best]! < model.minProbability) return null;
  return {
    id: `${learnedModelId(model.exercise, model.name)}.${model.labels[best]}`,
    text,
    severity: Math.round(mean[best]! * 100) / 100,
    source: 'learned',
  };
}

/** Problems with a stored model (a damaged or hand-edited file), as messages; [] when it can run. */
export function checkLearnedCueModel(m: unknown): string[] {
  if (!m || typeof m !== 'object') return ['not a JSON object'];
  const x = m as Partial<LearnedCueModel>;
  if (x.format !== 'form-studio.learned-cues' || x.version !== 1)
    return [`not a learned cue model (format ${JSON.stringify(x.format)}, version ${JSON.stringify(x.version)})`];
  const problems: string[] = [];
  if (!isExerciseType(x.exercise)) problems.push(`exercise: unknown exercise ${JSON.stringify(x.exercise)}`);
  if (x.name !== undefined && !(typeof x.name === 'string' && LEARNED_MODEL_NAME.test(x.name)))
    problems.push(`name: ${JSON.stringify(x.name)} is not a model name (a-z, 0-9, '-', '_'; up to 40)`);
  const names = new Set<string>(LANDMARK_NAMES);
  if (!Array.isArray(x.landmarks) || !x.landmarks.every((n) => names.has(n)))
    return ['landmarks: not a list of MediaPipe landmark names'];
  if (!CORE_LANDMARKS.every((n) => x.landmarks!.includes(n))) problems.push('landmarks: shoulders and hips missing');
  const nf = featureCount(x.landmarks);
  if (!Array.isArray(x.labels) || x.labels.length < 2) problems.push('labels: need at least 2');
  if (!Array.isArray(x.cueText) || x.cueText.length !== x.labels?.length)
    problems.push('cueText: one entry per label needed');
  if (x.featureMean?.length !== nf || x.featureStd?.length !== nf)
    problems.push(`featureMean/featureStd: ${nf} values needed`);
  let inputs = nf;
  for (const [i, L] of (x.layers ?? []).entries()) {
    if (
      L.inputs !== inputs ||
      L.weights?.length !== L.inputs * L.units ||
      L.bias?.length !== L.units ||
      !L.weights.every(Number.isFinite) ||
      !L.bias.every(Number.isFinite)
    )
      problems.push(`layers[${i}]: shape or values do not fit`);
    inputs = L.units;
  }
  if (!x.layers?.length || inputs !== x.labels?.length)
    problems.push('layers: the last must give one output per label');
  if (!(typeof x.minProbability === 'number' && x.minProbability >= 0 && x.minProbability <= 1))
    problems.push('minProbability: must be between 0 and 1');
  if (!(typeof x.aspect === 'number' && x.aspect > 0)) problems.push('aspect: must be a positive number');
  if (x.maxAbsZ !== undefined && !(typeof x.maxAbsZ === 'number' && x.maxAbsZ > 0))
    problems.push('maxAbsZ: must be a positive number');
  return problems;
}
