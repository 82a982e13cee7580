/**
 * API calls of the training feature: training data, runs (settings, per-epoch metrics, checkpoints, resume,
 * finish), saving trained models and their predictions. Plus the small pure helpers both front ends use to turn
 * `training.data` into model samples (the app's worker and the CLI), so they train on exactly the same input.
 */
import { z } from 'zod';
import { call } from './call';
import { EXERCISE_TYPES, exerciseIndex, type ExerciseType } from '../domain/exercises';
import type { Split } from '../domain/video';
import type { StoredKeypoints } from '../keypoints/stored';
import { modelInput } from '../scoring/model-input';
import { DEFAULT_NUM_FRAMES, type PoseModelVariant } from '../keypoints/format';
import type { TrainingSample, BatchMetrics, DataSplit, trainModel as TrainModelFn, splitByGroup as SplitByGroupFn } from '../model/train';
import type { SavedModel } from '../model/serialize';
import { packModel } from '../model/serialize';
import { buildModelSpec } from '../model/architecture';
import type { ApiName, ApiInput, ApiOutput } from './contract';
import { evaluatePredictions } from '../model/metrics';

// ── Settings ──────────────────────────────────────────────────────────────────────────────────────────
/** The toolkit's train.py defaults (epochs 100, batch 8, lr 1e-4, patience 7, 24 frames, high-accuracy). */
export const TRAINING_DEFAULTS = {
  modelKind: 'high-accuracy' as 'standard' | 'high-accuracy',
  epochs: 100,
  batchSize: 8,
  learningRate: 1e-4,
  patience: 7,
  numFrames: DEFAULT_NUM_FRAMES,
  cpuOnly: false,
  valFraction: 0.2,
  seed: 1,
  augment: true,
};

const finite = () => z.number().finite();
const RunId = z.number().int().positive();

export const TrainingSettingsSchema = z
  .object({
    modelKind: z.enum(['standard', 'high-accuracy']),
    epochs: z.number().int().min(1, 'At least 1 epoch').max(10_000),
    batchSize: z.number().int().min(1, 'Batch size is at least 1').max(1024),
    learningRate: finite().gt(0, 'Learning rate must be positive').max(1),
    patience: z.number().int().min(1).max(10_000),
    numFrames: z.number().int().min(2, 'At least 2 frames').max(256, 'At most 256 frames'),
    cpuOnly: z.boolean(),
    valFraction: finite().min(0).max(0.5, 'Validation share is at most 50 %'),
    seed: z.number().int().min(0).max(2 ** 31 - 1),
    augment: z.boolean(),
    variant: z.enum(['lite', 'full', 'heavy']),
    /** False when the data has a single exercise type (score head only). */
    exerciseHead: z.boolean(),
    source: z.enum(['app', 'cli']),
    /** Also keep the last epoch's model (by default a run keeps only its best). */
    keepFinal: z.boolean().optional(),
  })
  .strict();
export type TrainingSettings = z.infer<typeof TrainingSettingsSchema>;

// ── Metrics ───────────────────────────────────────────────────────────────────────────────────────────
export const EpochRecordSchema = z
  .object({
    epoch: z.number().int().min(1).max(100_000),
    loss: finite(),
    mae: finite(),
    rmse: finite(),
    exerciseAcc: finite().min(0).max(1).optional(),
    lr: finite().min(0),
    valLoss: finite().optional(),
    valMae: finite().optional(),
    valRmse: finite().optional(),
    valExerciseAcc: finite().min(0).max(1).optional(),
    samplesPerSec: finite().min(0),
    seconds: finite().min(0),
    improved: z.boolean(),
  })
  .strict();
export type EpochRecord = z.infer<typeof EpochRecordSchema>;

/** Evaluation of a trained model on the validation set. */
export const EvaluationSchema = z
  .object({
    n: z.number().int().min(0),
    mae: finite().nullable(),
    rmse: finite().nullable(),
    spearman: finite().nullable(),
    perExercise: z.array(z.object({ exercise: z.enum(EXERCISE_TYPES), mae: finite(), count: z.number().int().min(0) }).strict()).max(14),
    exerciseAccuracy: finite().nullable(),
    /** confusion[true][predicted] over `confusionLabels`. */
    confusionLabels: z.array(z.enum(EXERCISE_TYPES)).max(14),
    confusion: z.array(z.array(z.number().int().min(0)).max(14)).max(14),
    /** Validation predictions vs labels for the scatter plot. */
    points: z.array(z.object({ videoId: z.number().int().positive(), label: finite(), predicted: finite() }).strict()).max(100_000),
  })
  .strict();
export type Evaluation = z.infer<typeof EvaluationSchema>;

export type RunStatus = 'running' | 'completed' | 'early-stopped' | 'cancelled' | 'failed' | 'non-finite';
export const FINISHED_STATUSES = ['completed', 'early-stopped', 'cancelled', 'failed', 'non-finite'] as const;

export interface RunModel {
  id: number;
  role: 'best' | 'final';
  name: string;
  valMae: number | null;
}

export interface RunSummary {
  id: number;
  modelKind: string;
  settings: TrainingSettings;
  status: RunStatus;
  backend: string | null;
  message: string | null;
  bestEpoch: number | null;
  bestValMae: number | null;
  epochs: number;
  startedAt: string;
  finishedAt: string | null;
  /** Last epoch stored in the checkpoint (null without one). */
  checkpointEpoch: number | null;
  /** Unfinished (or stopped) with a checkpoint: can be resumed. */
  resumable: boolean;
  dataSummary: { train: number; val: number } | null;
  models: RunModel[];
}

export interface RunDetail {
  run: RunSummary;
  metrics: EpochRecord[];
  evaluation: Evaluation | null;
}

export interface ResumeInfo {
  run: RunSummary;
  epoch: number;
  sizeBytes: number;
  history: EpochRecord[];
}

// ── Training data ─────────────────────────────────────────────────────────────────────────────────────
export interface TrainingItem {
  videoId: number;
  relPath: string;
  split: Split;
  score: number;
  exercise: ExerciseType;
  group: string;
  /** Video width / height (1 when unknown), for isotropic normalization. */
  aspectRatio: number;
  keypoints: StoredKeypoints;
}

/** A video with keypoints that is not training data (test split or unlabeled): predicted after training. */
export interface PredictItem {
  videoId: number;
  relPath: string;
  split: Split;
  score: number | null;
  exercise: ExerciseType | null;
  aspectRatio: number;
  keypoints: StoredKeypoints;
}

export interface TrainingData {
  numFrames: number;
  variant: PoseModelVariant;
  items: TrainingItem[];
  /** Only with `withOthers`. */
  others: PredictItem[];
  exerciseTypes: ExerciseType[];
  counts: {
    trainVideos: number;
    usable: number;
    unlabeled: number;
    noKeypoints: number;
    noPose: number;
    extractionFailed: number;
    importFailed: number;
  };
  /** Up to 200 excluded train videos with the reason. */
  excluded: Array<{ videoId: number; relPath: string; reason: 'unlabeled' | 'no keypoints' | 'no pose' | 'extraction failed' | 'import failed' }>;
}

const MAX_B64_PART = 48 * 1024 * 1024;
const Base64 = z
  .string()
  .min(4)
  .max(MAX_B64_PART, 'Send at most 48 MB (base64) per part')
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'Not base64');
/** Raw bytes per checkpoint part the clients send (base64 of this stays under the web host's 64 MB body limit). */
export const CHECKPOINT_PART_BYTES = 24 * 1024 * 1024;

const MetricsRecord = z
  .record(z.string().max(100), z.union([finite(), z.string().max(1000), z.boolean(), z.null()]))
  .refine((r) => Object.keys(r).length <= 100, 'At most 100 metrics');

export const trainingContract = {
  /** Labeled train-split videos with keypoints for the given frame count / pose variant, and why others are left out. */
  'training.data': call<TrainingData>()(
    z
      .object({
        numFrames: z.number().int().min(2).max(256).optional(),
        variant: z.enum(['lite', 'full', 'heavy']).optional(),
        withOthers: z.boolean().optional(),
      })
      .strict(),
  ),
  'runs.create': call<{ runId: number }>()(
    z
      .object({
        settings: TrainingSettingsSchema,
        backend: z.string().min(1).max(60),
        dataSummary: z.object({ train: z.number().int().min(0), val: z.number().int().min(0) }).strict(),
      })
      .strict(),
  ),
  'runs.epoch': call<{ ok: true }>()(z.object({ runId: RunId, metrics: EpochRecordSchema }).strict()),
  /** A checkpoint, in parts of ≤ CHECKPOINT_PART_BYTES; the file is replaced atomically when the last part arrives. */
  'runs.checkpoint': call<{ ok: true; complete: boolean }>()(
    z
      .object({
        runId: RunId,
        epoch: z.number().int().min(1).max(100_000),
        part: z.number().int().min(0).max(1000),
        parts: z.number().int().min(1).max(1000),
        bytesBase64: Base64,
      })
      .strict()
      .refine((v) => v.part < v.parts, 'part must be < parts'),
  ),
  /** The newest resumable run (or the given one), or null. */
  'runs.resumeInfo': call<ResumeInfo | null>()(z.object({ runId: RunId.optional() }).strict()),
  /** Read the checkpoint's bytes (base64) from offset, at most CHECKPOINT_PART_BYTES. */
  'runs.readCheckpoint': call<{ bytesBase64: string; done: boolean }>()(
    z.object({ runId: RunId, offset: z.number().int().min(0) }).strict(),
  ),
  /** Continue a stopped or interrupted run (status back to running) on this backend. */
  'runs.reopen': call<RunSummary>()(z.object({ runId: RunId, backend: z.string().min(1).max(60) }).strict()),
  'runs.setBackend': call<{ ok: true }>()(z.object({ runId: RunId, backend: z.string().min(1).max(60) }).strict()),
  'runs.finish': call<RunSummary>()(
    z
      .object({
        runId: RunId,
        status: z.enum(FINISHED_STATUSES),
        message: z.string().max(4000),
        bestEpoch: z.number().int().min(0).nullable(),
        bestValMae: finite().nullable(),
        evaluation: EvaluationSchema.nullable().optional(),
      })
      .strict(),
  ),
  'runs.list': call<RunSummary[]>()(z.object({}).strict()),
  'runs.get': call<RunDetail>()(z.object({ runId: RunId }).strict()),
  /** Store a trained model (FSMODEL1 bytes) as home/models/<id>.fsmodel and list it in Models. Replaces the run's earlier model of that role. */
  'runs.saveModel': call<{ modelId: number; name: string; path: string }>()(
    z
      .object({
        runId: RunId,
        role: z.enum(['best', 'final']),
        bytesBase64: Base64,
        valMae: finite().nullable(),
        metrics: MetricsRecord,
      })
      .strict(),
  ),
  'predictions.save': call<{ saved: number }>()(
    z
      .object({
        modelId: z.number().int().positive(),
        items: z
          .array(
            z
              .object({
                videoId: z.number().int().positive(),
                score: finite().min(0).max(100),
                exerciseType: z.enum(EXERCISE_TYPES).nullable(),
                confidence: finite().min(0).max(1).nullable(),
              })
              .strict(),
          )
          .min(1)
          .max(100_000),
      })
      .strict(),
  ),
} as const;

// ── Helpers shared by the app's worker and the CLI (pure) ─────────────────────────────────────────────
/** Model input for one video: normalized [numFrames × 132]. */
export function keypointsToInput(kp: StoredKeypoints, numFrames: number, aspectRatio: number): Float32Array {
  return modelInput(kp, numFrames, aspectRatio);
}

export function toTrainingSamples(items: TrainingItem[], numFrames: number): TrainingSample[] {
  return items.map((it) => ({
    x: keypointsToInput(it.keypoints, numFrames, it.aspectRatio),
    score: it.score,
    exercise: exerciseIndex(it.exercise),
    group: it.group,
  }));
}

/** Why training cannot start, in the toolkit's words plus what to do; null when it can. */
export function trainingDataProblem(data: TrainingData): string | null {
  const c = data.counts;
  if (c.trainVideos === 0 || (c.usable === 0 && c.unlabeled === c.trainVideos)) {
    return 'No training data found. Import videos into the train split in the Library, give each an exercise type and a score (0–100), and extract keypoints.';
  }
  if (c.usable < 2) {
    const why: string[] = [];
    if (c.unlabeled) why.push(`${c.unlabeled} unlabeled`);
    if (c.noKeypoints) why.push(`${c.noKeypoints} without keypoints for ${data.numFrames} frames (${data.variant} pose model) — run “Extract keypoints” in the Library`);
    if (c.noPose) why.push(`${c.noPose} with no pose detected`);
    if (c.extractionFailed) why.push(`${c.extractionFailed} where extraction failed`);
    if (c.importFailed) why.push(`${c.importFailed} that failed to import`);
    return `Training needs at least 2 labeled videos with keypoints; ${c.usable} ${c.usable === 1 ? 'is' : 'are'} usable${why.length ? ` (${why.join('; ')})` : ''}.`;
  }
  return null;
}

/** Advice for an out-of-memory failure (the toolkit's troubleshooting). */
export function isOutOfMemory(message: string): boolean {
  return /out of memory|oom|memory access out of bounds|failed to allocate|allocation failed|cannot enlarge memory|Array buffer allocation|RangeError: Invalid typed array length/i.test(message);
}
export const OUT_OF_MEMORY_ADVICE = 'Out of memory. Try a smaller batch size (e.g. 4), the standard model, or fewer frames (e.g. 16).';

/** Group key of a clip: its groupKey column, else its folder + file stem without a trailing clip/part number. */
export function groupKeyOf(relPath: string, groupKey: string | null): string {
  if (groupKey) return groupKey;
  const parts = relPath.split('/');
  const file = parts.pop() ?? relPath;
  let stem = file.replace(/\.[^.]+$/, '');
  // UCF-101 style v_Class_g01_c02 → group g01; generic _clip3 / _part2 / _c01 / -2 suffixes dropped.
  const ucf = /^(v_.+_g\d+)_c\d+$/i.exec(stem);
  if (ucf) stem = ucf[1];
  else stem = stem.replace(/([_-](clip|part|c|rep|take)?\d+)+$/i, '') || stem;
  return [...parts, stem].join('/');
}

// ── Base64 without Node or DOM (workers, CLI) ─────────────────────────────────────────────────────────
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  const CH = 3 * 16384;
  for (let s = 0; s < bytes.length; s += CH) {
    const end = Math.min(bytes.length, s + CH);
    const out = new Array<string>(Math.ceil((end - s) / 3));
    let k = 0;
    for (let i = s; i < end; i += 3) {
      const a = bytes[i];
      const b = i + 1 < end ? bytes[i + 1] : 0;
      const c = i + 2 < end ? bytes[i + 2] : 0;
      const n = (a << 16) | (b << 8) | c;
      out[k++] =
        B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + (i + 1 < end ? B64[(n >> 6) & 63] : '=') + (i + 2 < end ? B64[n & 63] : '=');
    }
    parts.push(out.join(''));
  }
  return parts.join('');
}
const B64_INV = (() => {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < B64.length; i++) t[B64.charCodeAt(i)] = i;
  return t;
})();
export function base64ToBytes(s: string): Uint8Array {
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const n = (s.length / 4) * 3 - pad;
  const out = new Uint8Array(n);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    const v = (B64_INV[s.charCodeAt(i)] << 18) | (B64_INV[s.charCodeAt(i + 1)] << 12) | ((B64_INV[s.charCodeAt(i + 2)] & 63) << 6) | (B64_INV[s.charCodeAt(i + 3)] & 63);
    if (o < n) out[o++] = (v >> 16) & 255;
    if (o < n) out[o++] = (v >> 8) & 255;
    if (o < n) out[o++] = v & 255;
  }
  return out;
}

// ── Evaluation report from predictions (pure) ────────────────────────────────────────────────────────
export function buildEvaluation(
  points: Array<{ videoId: number; label: number; predicted: number; exercise: ExerciseType; probs?: ArrayLike<number> }>,
): Evaluation {
  const finiteOrNull = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v : null);
  const pred = points.map((p) => p.predicted);
  const target = points.map((p) => p.label);
  const ex = points.map((p) => exerciseIndex(p.exercise));
  const hasProbs = points.length > 0 && points.every((p) => p.probs && p.probs.length === EXERCISE_TYPES.length);
  const rep = evaluatePredictions(pred, target, ex, hasProbs ? points.map((p) => p.probs!) : undefined, EXERCISE_TYPES.length);
  const perExercise = Object.entries(rep.perExercise ?? {}).map(([k, v]) => ({ exercise: EXERCISE_TYPES[Number(k)], mae: v.mae, count: v.count }));
  let confusionLabels: ExerciseType[] = [];
  let confusion: number[][] = [];
  if (rep.confusion) {
    const used = EXERCISE_TYPES.map((_, i) => i).filter((i) => rep.confusion!.some((row, r) => row[i] > 0 || (r === i && row.some((x) => x > 0))));
    confusionLabels = used.map((i) => EXERCISE_TYPES[i]);
    confusion = used.map((r) => used.map((c) => rep.confusion![r][c]));
  }
  return {
    n: rep.n,
    mae: finiteOrNull(rep.mae),
    rmse: finiteOrNull(rep.rmse),
    spearman: finiteOrNull(rep.spearman),
    perExercise,
    exerciseAccuracy: finiteOrNull(rep.exerciseAccuracy),
    confusionLabels,
    confusion,
    points: points.map((p) => ({ videoId: p.videoId, label: p.label, predicted: Math.round(p.predicted * 100) / 100 })),
  };
}

/** Epoch metrics as the API takes them (no undefined or non-finite optional fields). */
export function toEpochRecord(m: EpochRecord): EpochRecord {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(EpochRecordSchema.shape) as Array<keyof EpochRecord>) {
    const v = m[k];
    if (v === undefined || (typeof v === 'number' && !Number.isFinite(v))) continue;
    out[k] = v;
  }
  return out as EpochRecord;
}

// ── The training session, shared by the app's worker and the CLI ──────────────────────────────────────
/** What the session needs from tfjs (injected, so this file stays free of tfjs and of any backend). */
export interface SessionDeps {
  invoke: <K extends ApiName>(name: K, input: ApiInput<K>) => Promise<ApiOutput<K>>;
  trainModel: typeof TrainModelFn;
  splitByGroup: typeof SplitByGroupFn;
  /** Score clips with a model held in JS memory (creates and disposes its tensors). */
  predict: (model: SavedModel, xs: Float32Array[]) => { scores: Float32Array; exerciseProbs?: Float32Array[] };
  /** Backend name shown in runs ('webgpu', 'webgl', 'wasm', 'cpu' …). */
  backend: string;
  /** Seconds between checkpoint uploads (the last epoch is always checkpointed when stopped). Default 15. */
  checkpointEverySec?: number;
}

export interface SessionCallbacks {
  onStatus?: (text: string) => void;
  onRun?: (info: { runId: number; settings: TrainingSettings; history: EpochRecord[]; train: number; val: number; batchesPerEpoch: number }) => void;
  onBatch?: (m: BatchMetrics) => void;
  onEpoch?: (m: EpochRecord) => void;
  onCheckpoint?: (epoch: number) => void;
}

export interface SessionResult {
  runId: number;
  status: Exclude<RunStatus, 'running'>;
  message: string;
  bestEpoch: number | null;
  bestValMae: number | null;
  evaluation: Evaluation | null;
  models: Array<{ role: 'best' | 'final'; modelId: number; name: string; path: string }>;
  predictions: number;
  exerciseHead: boolean;
}

/** A problem with the data or settings the user must fix (shown as is, no stack). */
export class TrainingProblem extends Error {}

export type SessionSettings = Omit<TrainingSettings, 'exerciseHead' | 'variant' | 'source'> & { variant?: PoseModelVariant; source: 'app' | 'cli' };

async function uploadCheckpoint(deps: SessionDeps, runId: number, epoch: number, bytes: Uint8Array): Promise<void> {
  const parts = Math.max(1, Math.ceil(bytes.length / CHECKPOINT_PART_BYTES));
  for (let part = 0; part < parts; part++) {
    const chunk = bytes.subarray(part * CHECKPOINT_PART_BYTES, (part + 1) * CHECKPOINT_PART_BYTES);
    await deps.invoke('runs.checkpoint', { runId, epoch, part, parts, bytesBase64: bytesToBase64(chunk) });
  }
}

async function downloadCheckpoint(deps: SessionDeps, runId: number, size: number): Promise<Uint8Array> {
  const out = new Uint8Array(size);
  let offset = 0;
  for (;;) {
    const r = await deps.invoke('runs.readCheckpoint', { runId, offset });
    const b = base64ToBytes(r.bytesBase64);
    out.set(b, offset);
    offset += b.length;
    if (r.done || b.length === 0) break;
  }
  if (offset !== size) throw new Error(`checkpoint of run ${runId}: read ${offset} of ${size} bytes`);
  return out;
}

/**
 * Train one run end to end: data → run → trainModel (metrics, checkpoints) → best/final models → predictions on the
 * validation set and every train/test video with keypoints → evaluation → run finished. `resumeRunId` continues a
 * stopped or interrupted run from its checkpoint (its own settings are used).
 */
export async function runTrainingSession(
  requested: SessionSettings,
  deps: SessionDeps,
  cb: SessionCallbacks = {},
  opts: { signal?: AbortSignal; resumeRunId?: number } = {},
): Promise<SessionResult> {
  let resume: ResumeInfo | null = null;
  if (opts.resumeRunId !== undefined) {
    resume = await deps.invoke('runs.resumeInfo', { runId: opts.resumeRunId });
    if (!resume) throw new TrainingProblem(`Run ${opts.resumeRunId} has no checkpoint to resume from.`);
  }
  const base = resume ? resume.run.settings : requested;
  const variant = (base.variant ?? 'full') as PoseModelVariant;
  cb.onStatus?.('Loading training data…');
  const data = await deps.invoke('training.data', { numFrames: base.numFrames, variant, withOthers: true });
  const problem = trainingDataProblem(data);
  if (problem) throw new TrainingProblem(problem);
  const exerciseHead = data.exerciseTypes.length > 1;
  const settings: TrainingSettings = resume ? resume.run.settings : { ...requested, variant, exerciseHead, source: requested.source };
  if (settings.exerciseHead !== exerciseHead) {
    throw new TrainingProblem(`The exercise types in the data changed since run ${resume!.run.id} started; start a new run.`);
  }
  cb.onStatus?.(
    exerciseHead
      ? `${data.items.length} clips, ${data.exerciseTypes.length} exercise types: score + exercise heads`
      : `${data.items.length} clips, one exercise type (${data.exerciseTypes[0]}): score head only`,
  );
  const spec = buildModelSpec(settings.modelKind, settings.numFrames, { exerciseHead });
  const samples = toTrainingSamples(data.items, settings.numFrames);

  let runId: number;
  let resumeFrom: Uint8Array | undefined;
  let split: DataSplit;
  if (resume) {
    runId = resume.run.id;
    cb.onStatus?.(`Loading checkpoint of run ${runId} (epoch ${resume.epoch})…`);
    resumeFrom = await downloadCheckpoint(deps, runId, resume.sizeBytes);
    await deps.invoke('runs.reopen', { runId, backend: deps.backend });
    split = resume.run.dataSummary
      ? deps.splitByGroup(samples.map((s) => s.group), settings.valFraction, settings.seed) // the checkpoint's own split wins inside trainModel
      : { train: samples.map((_, i) => i), val: [] };
  } else {
    split = deps.splitByGroup(samples.map((s) => s.group), settings.valFraction, settings.seed);
    runId = (await deps.invoke('runs.create', { settings, backend: deps.backend, dataSummary: { train: split.train.length, val: split.val.length } })).runId;
  }
  const history = resume ? resume.history : [];
  const counts = resume?.run.dataSummary ?? { train: split.train.length, val: split.val.length };
  cb.onRun?.({ runId, settings, history, train: counts.train, val: counts.val, batchesPerEpoch: Math.ceil(counts.train / settings.batchSize) });
  cb.onStatus?.(resume ? `Resuming run ${runId} from epoch ${resume.epoch}` : `Training run ${runId}`);

  const everyMs = (deps.checkpointEverySec ?? 15) * 1000;
  let lastCkpt = 0;
  let pendingCkpt: { bytes: Uint8Array; epoch: number } | null = null;
  let result: Awaited<ReturnType<typeof TrainModelFn>>;
  try {
    result = await deps.trainModel(spec, samples, {
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      learningRate: settings.learningRate,
      patience: settings.patience,
      valFraction: settings.valFraction,
      seed: settings.seed,
      split,
      augment: settings.augment ? {} : false,
      resumeFrom,
      signal: opts.signal,
      onBatchEnd: (m) => cb.onBatch?.(m),
      onEpochEnd: async (m) => {
        const rec = toEpochRecord(m);
        cb.onEpoch?.(rec);
        await deps.invoke('runs.epoch', { runId, metrics: rec });
      },
      onCheckpoint: async (bytes, epoch) => {
        const now = Date.now();
        if (now - lastCkpt >= everyMs || epoch >= settings.epochs) {
          pendingCkpt = null;
          lastCkpt = now;
          await uploadCheckpoint(deps, runId, epoch, bytes);
          cb.onCheckpoint?.(epoch);
        } else pendingCkpt = { bytes, epoch };
      },
    });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const oom = isOutOfMemory(msg);
    const message = oom ? `${OUT_OF_MEMORY_ADVICE} (${msg})` : `Training failed: ${msg}`;
    await deps.invoke('runs.finish', { runId, status: 'failed', message: message.slice(0, 4000), bestEpoch: null, bestValMae: null }).catch(() => undefined);
    throw oom ? new TrainingProblem(message) : err;
  }
  const status: SessionResult['status'] =
    result.stopReason === 'aborted' ? 'cancelled' : result.stopReason === 'early-stopped' ? 'early-stopped' : result.stopReason === 'non-finite' ? 'non-finite' : 'completed';
  // A stopped run keeps its newest checkpoint so it can be resumed.
  const unsaved = pendingCkpt as { bytes: Uint8Array; epoch: number } | null;
  if (status === 'cancelled' && unsaved) await uploadCheckpoint(deps, runId, unsaved.epoch, unsaved.bytes);

  const trainedEpochs = result.history.length;
  const out: SessionResult = {
    runId,
    status,
    message: result.message,
    bestEpoch: trainedEpochs ? result.bestEpoch : null,
    bestValMae: trainedEpochs && Number.isFinite(result.bestMae) ? result.bestMae : null,
    evaluation: null,
    models: [],
    predictions: 0,
    exerciseHead,
  };
  if (trainedEpochs > 0) {
    cb.onStatus?.('Saving the best and final models…');
    const metricsOf = (role: 'best' | 'final') => {
      const h = role === 'best' ? result.history.find((x) => x.epoch === result.bestEpoch) : result.history[result.history.length - 1];
      const m: Record<string, number | string | boolean | null> = { role, epoch: h?.epoch ?? null, backend: deps.backend, stopReason: result.stopReason };
      for (const k of ['loss', 'mae', 'rmse', 'exerciseAcc', 'valLoss', 'valMae', 'valRmse', 'valExerciseAcc'] as const) {
        const v = h?.[k];
        if (typeof v === 'number' && Number.isFinite(v)) m[k] = v;
      }
      return m;
    };
    for (const role of (settings.keepFinal ? ['best', 'final'] : ['best']) as Array<'best' | 'final'>) {
      const saved = role === 'best' ? result.best : result.final;
      const meta = metricsOf(role);
      const bytes = packModel({ ...saved, metadata: { ...(saved.metadata ?? {}), ...meta, runId, numFrames: settings.numFrames, variant } });
      const valMae = typeof meta.valMae === 'number' ? meta.valMae : null;
      const r = await deps.invoke('runs.saveModel', { runId, role, bytesBase64: bytesToBase64(bytes), valMae, metrics: meta });
      out.models.push({ role, ...r });
    }
    cb.onStatus?.('Predicting on the validation set and all videos with keypoints…');
    const all = [...data.items.map((it, i) => ({ videoId: it.videoId, x: samples[i].x })), ...data.others.map((o) => ({ videoId: o.videoId, x: keypointsToInput(o.keypoints, settings.numFrames, o.aspectRatio) }))];
    const pred = deps.predict(result.best, all.map((a) => a.x));
    const items = all.map((a, i) => {
      const probs = pred.exerciseProbs?.[i];
      let best = -1;
      if (probs) for (let k = 0; k < probs.length; k++) if (best < 0 || probs[k] > probs[best]) best = k;
      return {
        videoId: a.videoId,
        score: Math.min(100, Math.max(0, Math.round(pred.scores[i] * 100) / 100)),
        exerciseType: best >= 0 ? EXERCISE_TYPES[best] : null,
        confidence: best >= 0 ? Math.round(probs![best] * 1e4) / 1e4 : null,
      };
    });
    const bestModel = out.models.find((m) => m.role === 'best')!;
    for (let s = 0; s < items.length; s += 50_000) {
      out.predictions += (await deps.invoke('predictions.save', { modelId: bestModel.modelId, items: items.slice(s, s + 50_000) })).saved;
    }
    const valIdx = result.split.val.length ? result.split.val : [];
    if (valIdx.length) {
      out.evaluation = buildEvaluation(
        valIdx.map((i) => ({ videoId: data.items[i].videoId, label: data.items[i].score, predicted: pred.scores[i], exercise: data.items[i].exercise, probs: pred.exerciseProbs?.[i] })),
      );
    }
  }
  await deps.invoke('runs.finish', { runId, status, message: result.message.slice(0, 4000), bestEpoch: out.bestEpoch, bestValMae: out.bestValMae, evaluation: out.evaluation });
  cb.onStatus?.(result.message);
  return out;
}
