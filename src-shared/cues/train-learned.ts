/**
 * Training a learned cue model (learned.ts) from a parsed landmark CSV (landmark-csv.ts), in process with tfjs
 * (whatever backend the caller set: cpu in tests and the CLI, webgl/wasm in the app).
 *
 * Checked before anything is trained, each problem named: landmark columns the exercise needs, labels in the
 * data that the cue spec does not know, classes with too few rows. The model is returned only when training
 * finished; a cancelled or diverged run throws and leaves nothing behind (nothing half-trained to save).
 *
 * Held-out part: rows of these CSVs are consecutive video frames (no clip ids), so a random split would put
 * near-identical frames on both sides. `split: 'runs'` (default) holds out whole runs of consecutive rows with
 * the same label (≈ whole clips), about `testFraction` of each label; `split: 'tail'` holds out the last
 * `testFraction` of every run. The returned model is the one trained on the rest, with the held-out metrics.
 * The held-out metrics are of the classifier itself (every held-out row); the `maxAbsZ` guard is for new footage.
 */
import * as tf from '@tensorflow/tfjs';
import type { ExerciseType } from '../domain/exercises';
import { Rng } from '../model/rng';
import type { LandmarkCsv } from './landmark-csv';
import {
  CORE_LANDMARKS,
  featureCount,
  forwardProbs,
  frameFeatures,
  maxAbsZ,
  type DenseLayer,
  type LandmarkName,
  type LearnedCueMetrics,
  type LearnedCueModel,
} from './learned';

export interface LearnedCueSpec {
  exercise: ExerciseType;
  /** What the model checks, when the exercise has several (learned.ts `name`); absent = the unnamed model. */
  name?: string;
  /** Every label of the data → its cue text (null = the correct form: no cue). */
  labels: Record<string, string | null>;
  minRowsPerClass?: number;
  testFraction?: number;
  split?: 'runs' | 'tail';
  epochs?: number;
  hidden?: number;
  learningRate?: number;
  seed?: number;
  minProbability?: number;
  /** Image aspect of the CSV's coordinates (default 1). */
  aspect?: number;
  signal?: AbortSignal;
  /** After each epoch (1-based): for progress and an ETA. */
  onEpoch?: (epoch: number, epochs: number) => void;
}

export class LearnedCueError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'LearnedCueError';
  }
}

/** Landmarks the features of each exercise need, beyond the shoulders and hips. */
export const REQUIRED_LANDMARKS: Partial<Record<ExerciseType, LandmarkName[]>> = {
  plank: ['left_ankle', 'right_ankle'],
  pushup: ['left_elbow', 'right_elbow', 'left_wrist', 'right_wrist', 'left_ankle', 'right_ankle'],
  squat: ['left_knee', 'right_knee', 'left_ankle', 'right_ankle'],
  lunge: ['left_knee', 'right_knee', 'left_ankle', 'right_ankle'],
  dumbbell_curl: ['left_elbow', 'right_elbow', 'left_wrist', 'right_wrist'],
  overhead_press: ['left_elbow', 'right_elbow', 'left_wrist', 'right_wrist'],
};

/** The problems that stop training (empty = fine). */
export function checkLearnedCueData(csv: LandmarkCsv, spec: LearnedCueSpec): string[] {
  const problems: string[] = [];
  const need = [...CORE_LANDMARKS, ...(REQUIRED_LANDMARKS[spec.exercise] ?? [])];
  const missing = need.filter((n) => !csv.landmarks.includes(n));
  if (missing.length)
    problems.push(`missing landmark columns for ${spec.exercise}: ${missing.map((n) => `${n}_x, ${n}_y`).join(', ')}`);
  const known = Object.keys(spec.labels);
  const unknown = Object.entries(csv.labelCounts).filter(([l]) => !(l in spec.labels));
  if (unknown.length)
    problems.push(
      `unknown labels: ${unknown.map(([l, n]) => `'${l}' (${n} rows)`).join(', ')}; the cue spec has ${known.map((l) => `'${l}'`).join(', ')}`,
    );
  if (known.length < 2) problems.push(`need at least 2 labels, the cue spec has ${known.length}`);
  const min = spec.minRowsPerClass ?? 30;
  for (const l of known) {
    const n = csv.labelCounts[l] ?? 0;
    if (n < min) problems.push(`too few rows for label '${l}': ${n} (need at least ${min})`);
  }
  return problems;
}

/** Row indices held out for testing (see the file comment). */
export function heldOutRows(labels: readonly string[], testFraction: number, split: 'runs' | 'tail'): Set<number> {
  const runs: Array<{ label: string; from: number; to: number }> = [];
  labels.forEach((l, i) => {
    const last = runs[runs.length - 1];
    if (last && last.label === l) last.to = i + 1;
    else runs.push({ label: l, from: i, to: i + 1 });
  });
  const test = new Set<number>();
  const byLabel = new Map<string, typeof runs>();
  for (const r of runs) byLabel.set(r.label, [...(byLabel.get(r.label) ?? []), r]);
  for (const [, rs] of byLabel) {
    const total = rs.reduce((a, r) => a + r.to - r.from, 0);
    if (split === 'runs' && rs.length >= 3) {
      // every k-th run from the second, until the fraction is reached
      const k = Math.max(2, Math.round(1 / testFraction));
      let taken = 0;
      for (let j = 1; j < rs.length && taken < testFraction * total; j += k) {
        for (let i = rs[j]!.from; i < rs[j]!.to; i++) test.add(i);
        taken += rs[j]!.to - rs[j]!.from;
      }
    } else {
      for (const r of rs) {
        const n = Math.round((r.to - r.from) * testFraction);
        for (let i = r.to - n; i < r.to; i++) test.add(i);
      }
    }
  }
  return test;
}

function confusionMetrics(truth: number[], pred: number[], k: number, trainRows: number): LearnedCueMetrics {
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  truth.forEach((t, i) => confusion[t]![pred[i]!]!++);
  const correct = truth.filter((t, i) => t === pred[i]).length;
  const recall = confusion.map((row, i) => {
    const n = row.reduce((a, b) => a + b, 0);
    return n ? Math.round((row[i]! / n) * 1000) / 1000 : NaN;
  });
  return {
    accuracy: truth.length ? Math.round((correct / truth.length) * 1000) / 1000 : NaN,
    recall,
    confusion,
    trainRows,
    testRows: truth.length,
  };
}

/** Trains a learned cue model; throws LearnedCueError for bad data, a cancelled run or a diverged one. */
export async function trainLearnedCues(csv: LandmarkCsv, spec: LearnedCueSpec): Promise<LearnedCueModel> {
  const problems = checkLearnedCueData(csv, spec);
  if (problems.length) throw new LearnedCueError(problems);
  if (spec.signal?.aborted) throw new LearnedCueError(['training cancelled']);
  const labels = Object.keys(spec.labels);
  const aspect = spec.aspect ?? 1;
  const landmarks = csv.landmarks;
  const nf = featureCount(landmarks);
  const feats: Float32Array[] = [],
    ys: number[] = [],
    rowLabels: string[] = [];
  let unreadable = 0;
  for (const r of csv.rows) {
    const x = frameFeatures(r.frame, landmarks, aspect);
    if (!x) {
      unreadable++;
      continue;
    }
    feats.push(x);
    ys.push(labels.indexOf(r.label));
    rowLabels.push(r.label);
  }
  if (unreadable > csv.rows.length / 2)
    throw new LearnedCueError([
      `${unreadable} of ${csv.rows.length} rows have degenerate shoulders/hips (shoulder and hip midpoints coincide)`,
    ]);
  const test = heldOutRows(rowLabels, spec.testFraction ?? 0.2, spec.split ?? 'runs');
  const trainIdx = feats.map((_, i) => i).filter((i) => !test.has(i));
  const testIdx = [...test].sort((a, b) => a - b);

  // standardise on the training rows
  const mean = new Array<number>(nf).fill(0),
    std = new Array<number>(nf).fill(0);
  for (const i of trainIdx) for (let j = 0; j < nf; j++) mean[j]! += feats[i]![j]! / trainIdx.length;
  for (const i of trainIdx) for (let j = 0; j < nf; j++) std[j]! += (feats[i]![j]! - mean[j]!) ** 2 / trainIdx.length;
  for (let j = 0; j < nf; j++) std[j] = Math.sqrt(std[j]!) > 1e-6 ? Math.sqrt(std[j]!) : 1;

  // how far from the training rows a frame may be and still be judged (learned.ts `maxAbsZ`)
  const zMax = trainIdx.map((i) => maxAbsZ({ featureMean: mean, featureStd: std }, feats[i]!)).sort((a, b) => a - b);
  const zLimit = Math.round(zMax[Math.min(zMax.length - 1, Math.floor(0.99 * zMax.length))]! * 1000) / 1000;

  const rng = new Rng(spec.seed ?? 1);
  const order = trainIdx.slice();
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const xData = new Float32Array(order.length * nf);
  order.forEach((i, r) => feats[i]!.forEach((v, j) => (xData[r * nf + j] = (v - mean[j]!) / std[j]!)));
  const k = labels.length;
  const seed = spec.seed ?? 1;
  const model = tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [nf],
        units: spec.hidden ?? 32,
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed }),
      }),
      tf.layers.dense({
        units: k,
        activation: 'softmax',
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }),
      }),
    ],
  });
  const x = tf.tensor2d(xData, [order.length, nf]);
  const y = tf.oneHot(
    tf.tensor1d(
      order.map((i) => ys[i]!),
      'int32',
    ),
    k,
  );
  let layers: DenseLayer[];
  try {
    model.compile({ optimizer: tf.train.adam(spec.learningRate ?? 0.01), loss: 'categoricalCrossentropy' });
    let stopped: string | null = null;
    const epochs = spec.epochs ?? 40;
    await model.fit(x, y, {
      epochs,
      batchSize: 64,
      shuffle: false, // pre-shuffled with the seeded RNG: the same data gives the same model
      verbose: 0,
      callbacks: {
        onEpochEnd: async (e, logs) => {
          if (spec.signal?.aborted) stopped = 'training cancelled';
          else if (!Number.isFinite(logs?.loss ?? NaN)) stopped = `training diverged (loss ${logs?.loss})`;
          if (stopped) model.stopTraining = true;
          else spec.onEpoch?.(e + 1, epochs);
        },
      },
    });
    if (stopped) throw new LearnedCueError([stopped]);
    layers = model.layers.map((L) => {
      const [w, b] = L.getWeights();
      const [inputs, units] = w!.shape as [number, number];
      return { inputs, units, weights: Array.from(w!.dataSync()), bias: Array.from(b!.dataSync()) };
    });
  } finally {
    x.dispose();
    y.dispose();
    model.dispose();
  }
  const out: LearnedCueModel = {
    format: 'form-studio.learned-cues',
    version: 1,
    exercise: spec.exercise,
    ...(spec.name ? { name: spec.name } : {}),
    labels,
    cueText: labels.map((l) => spec.labels[l] ?? null),
    landmarks,
    aspect,
    featureMean: mean,
    featureStd: std,
    layers,
    minProbability: spec.minProbability ?? 0.6,
    maxAbsZ: zLimit,
    metrics: { accuracy: NaN, recall: [], confusion: [], trainRows: trainIdx.length, testRows: 0 },
  };
  const pred = testIdx.map((i) => {
    const p = forwardProbs(out, feats[i]!);
    return p.indexOf(Math.max(...p));
  });
  out.metrics = confusionMetrics(
    testIdx.map((i) => ys[i]!),
    pred,
    k,
    trainIdx.length,
  );
  return out;
}
