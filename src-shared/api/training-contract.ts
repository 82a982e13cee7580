/**
 * API calls of the training feature: training data, runs (settings, per-epoch metrics, checkpoints, resume,
 * finish), saving trained models and their predictions. Schemas and types only: turning `training.data` into
 * samples, the training run and the evaluation report are in src-shared/training/.
 */
import { z } from 'zod';
import { call } from './call';
import { EXERCISE_TYPES, type ExerciseType } from '../domain/exercises';
import type { Split } from '../domain/video';
import type { StoredKeypoints } from '../keypoints/stored';
import { DEFAULT_NUM_FRAMES, type PoseModelVariant } from '../keypoints/format';

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
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1),
    augment: z.boolean(),
    variant: z.enum(['lite', 'full', 'heavy']),
    /** False when the data has a single exercise type (score head only). */
    exerciseHead: z.boolean(),
    source: z.enum(['app', 'cli']),
    /** Also keep the last epoch's model (by default a run keeps only its best). */
    keepFinal: z.boolean().optional(),
    /** k-fold cross-validation (group-aware) before the final model is trained on everything; absent or 0: off. */
    kFold: z
      .number()
      .int()
      .min(0)
      .max(20)
      .refine((k) => k !== 1, 'k-fold needs at least 2 folds (0 turns it off)')
      .optional(),
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

const Stat = z.object({ mean: finite().nullable(), sd: finite().nullable() }).strict();
/** k-fold cross-validation: each fold's held-out metrics and curve, and mean ± sd across folds. */
export const CrossValidationSchema = z
  .object({
    k: z.number().int().min(2).max(20),
    folds: z
      .array(
        z
          .object({
            fold: z.number().int().min(1),
            train: z.number().int().min(0),
            val: z.number().int().min(0),
            bestEpoch: z.number().int().min(0),
            mae: finite().nullable(),
            rmse: finite().nullable(),
            spearman: finite().nullable(),
            exerciseAccuracy: finite().nullable(),
            curve: z.array(EpochRecordSchema).max(10_000),
          })
          .strict(),
      )
      .max(20),
    summary: z.object({ mae: Stat, rmse: Stat, spearman: Stat, exerciseAccuracy: Stat, bestEpoch: Stat }).strict(),
    /** Epochs the final model (all data, no validation) was trained for: the folds' mean best epoch. */
    finalEpochs: z.number().int().min(1),
  })
  .strict();
export type CrossValidation = z.infer<typeof CrossValidationSchema>;

/** Evaluation of a trained model on the validation set (with k-fold: the out-of-fold predictions of every clip). */
export const EvaluationSchema = z
  .object({
    n: z.number().int().min(0),
    mae: finite().nullable(),
    rmse: finite().nullable(),
    spearman: finite().nullable(),
    perExercise: z
      .array(z.object({ exercise: z.enum(EXERCISE_TYPES), mae: finite(), count: z.number().int().min(0) }).strict())
      .max(14),
    exerciseAccuracy: finite().nullable(),
    /** confusion[true][predicted] over `confusionLabels`. */
    confusionLabels: z.array(z.enum(EXERCISE_TYPES)).max(14),
    confusion: z.array(z.array(z.number().int().min(0)).max(14)).max(14),
    /** Validation predictions vs labels for the scatter plot. */
    points: z
      .array(z.object({ videoId: z.number().int().positive(), label: finite(), predicted: finite() }).strict())
      .max(100_000),
    crossValidation: CrossValidationSchema.optional(),
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
  /** Group key (as TrainingItem's), so held-out rows keep it in an exported dataset. */
  group?: string;
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
  excluded: Array<{
    videoId: number;
    relPath: string;
    reason: 'unlabeled' | 'no keypoints' | 'no pose' | 'extraction failed' | 'import failed';
  }>;
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
