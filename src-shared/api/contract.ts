/**
 * The one API between the renderer and the main-process services.
 *
 * Each call has a zod schema for its input (checked in main, at the transport edge) and a TypeScript
 * type for its output. Electron's IPC and the web host both serve exactly this map; the renderer's
 * client is typed from it, so a renamed field breaks the build on both sides.
 */
import { z } from 'zod';
import { EXERCISE_TYPES } from '../domain/exercises';
import { trainingContract } from './training-contract';
import { modelsContract } from './models-contract';
import { datasetsContract } from './datasets-contract';
import { filesContract } from './files-contract';
import { setsContract } from './sets-contract';
import { cuesContract } from './cues-contract';
import { evaluationContract } from '../evaluation/contract';
import type { AppInfo, ProjectSummary } from '../domain/project';
import type { VideoRow, Split } from '../domain/video';
import type { JobInfo } from '../domain/jobs';
import type { LabelCsvPreview } from '../labels/csv';
import type { StoredKeypoints } from '../keypoints/stored';
import type { PoseSummary } from '../domain/video';
import { FEATURES_PER_FRAME } from '../keypoints/format';

export const ExerciseTypeSchema = z.enum(EXERCISE_TYPES);
export const SplitSchema = z.enum(['train', 'test']);
export const ScoreSchema = z
  .number({ error: 'Score must be a number' })
  .finite('Score must be a finite number')
  .min(0, 'Score must be between 0 and 100')
  .max(100, 'Score must be between 0 and 100')
  .refine((v) => Math.abs(Math.round(v * 10) / 10 - v) < 1e-9, 'Score allows at most one decimal');
const VideoId = z.number().int().positive();
export const PoseVariantSchema = z.enum(['lite', 'full', 'heavy']);
// Keypoint sets: the model's window (24…256) or dense sampling for reps (5 fps over up to 10 min and more).
const NumFrames = z.number().int().min(2, 'At least 2 frames').max(10_000, 'At most 10,000 frames');
const FrameValues = z.array(z.number().finite()).length(FEATURES_PER_FRAME).nullable();

/** Frames sampled by main (ffmpeg) for the renderer's pose model. */
export interface PreparedFrames {
  videoId: number;
  contentHash: string;
  numFrames: number;
  timestamps: number[];
  frameUrls: string[];
  width: number;
  height: number;
}

/** One label edit. `undefined` leaves a field as it is; `null` clears it. */
export const LabelEditSchema = z
  .object({
    videoId: VideoId,
    exerciseType: ExerciseTypeSchema.nullable().optional(),
    score: ScoreSchema.nullable().optional(),
    split: SplitSchema.optional(),
  })
  .strict();
export type LabelEdit = z.infer<typeof LabelEditSchema>;

export interface LabelEditResult {
  /** Rows as saved, so the grid shows saved state. */
  rows: VideoRow[];
}

import { call } from './call';

const Empty = z.object({}).strict();
const SettingKey = z
  .string()
  .regex(/^[a-zA-Z0-9_.-]{1,100}$/, 'Setting keys are letters, digits, dot, dash, underscore');

const coreContract = {
  'app.info': call<AppInfo>()(Empty),
  'project.get': call<ProjectSummary>()(Empty),
  'project.rename': call<ProjectSummary>()(
    z.object({ name: z.string().trim().min(1, 'Project name is required').max(120) }).strict(),
  ),
  'project.getSetting': call<unknown>()(z.object({ key: SettingKey }).strict()),
  'project.setSetting': call<{ ok: true }>()(z.object({ key: SettingKey, value: z.unknown() }).strict()),
  /** All rows in path order; `limit` returns the first ones only (a fast first screen for big projects). */
  'videos.list': call<VideoRow[]>()(z.object({ limit: z.number().int().min(1).max(100_000).optional() }).strict()),
  'videos.get': call<VideoRow[]>()(z.object({ videoIds: z.array(VideoId).min(1).max(100_000) }).strict()),
  'videos.import': call<{ jobId: string }>()(
    z
      .object({
        paths: z.array(z.string().min(1).max(4096)).min(1, 'Choose at least one file or folder').max(10_000),
        split: SplitSchema.optional(),
      })
      .strict(),
  ),
  'videos.remove': call<{ removed: number }>()(z.object({ videoIds: z.array(VideoId).min(1).max(100_000) }).strict()),
  'labels.edit': call<LabelEditResult>()(z.object({ edits: z.array(LabelEditSchema).min(1).max(100_000) }).strict()),
  /** `csvDir`: the folder the file came from (settles a path several imported data folders share). */
  'labels.previewCsv': call<LabelCsvPreview>()(
    z.object({ csv: z.string().max(50_000_000), csvDir: z.string().min(1).max(4096).optional() }).strict(),
  ),
  /** All or nothing; a path matching no video or several refuses the file unless `allowUnknown` (then skipped). */
  'labels.applyCsv': call<{ applied: number; skipped: number }>()(
    z
      .object({
        csv: z.string().max(50_000_000),
        csvDir: z.string().min(1).max(4096).optional(),
        allowUnknown: z.boolean().optional(),
      })
      .strict(),
  ),
  /** The toolkit's exercise_scores.csv in folders just imported (or their data roots), to offer its labels. */
  'labels.folderCsv': call<Array<{ path: string; dataRoot: string; csv: string }>>()(
    z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(10_000) }).strict(),
  ),
  'labels.exportCsv': call<{ csv: string; path: string | null; rows: number }>()(
    z.object({ path: z.string().min(1).max(4096).optional() }).strict(),
  ),
  'keypoints.pending': call<number[]>()(
    z
      .object({
        numFrames: NumFrames.optional(),
        variant: PoseVariantSchema.optional(),
        videoIds: z.array(VideoId).optional(),
        force: z.boolean().optional(),
      })
      .strict(),
  ),
  'keypoints.prepare': call<PreparedFrames>()(z.object({ videoId: VideoId, numFrames: NumFrames.optional() }).strict()),
  'keypoints.save': call<PoseSummary>()(
    z
      .object({
        videoId: VideoId,
        numFrames: NumFrames,
        variant: PoseVariantSchema,
        timestamps: z.array(z.number().finite().min(0)),
        frames: z.array(FrameValues),
        world: z.array(FrameValues).nullable().optional(),
        error: z.string().max(2000).optional(),
        /** A warning about good keypoints (e.g. two people in frame), kept with them. */
        note: z.string().max(500).optional(),
      })
      .strict()
      .refine(
        (v) => v.frames.length === v.numFrames && v.timestamps.length === v.numFrames,
        'frames and timestamps must have numFrames entries',
      ),
  ),
  /** `note`: the warning saved with the keypoints (two people in frame…), null when none. */
  'keypoints.get': call<(StoredKeypoints & { note: string | null }) | null>()(
    z.object({ videoId: VideoId, numFrames: NumFrames.optional(), variant: PoseVariantSchema.optional() }).strict(),
  ),
  'keypoints.clear': call<{ removed: number }>()(Empty),
  /** The toolkit's "generate label file": one row per video, exercise type guessed from its path, empty score. Nothing is saved. */
  'labels.generate': call<{ csv: string; rows: number; guessed: number }>()(Empty),
  'jobs.list': call<JobInfo[]>()(Empty),
  'jobs.cancel': call<{ ok: true }>()(z.object({ jobId: z.string().min(1).max(100) }).strict()),
} as const;

/**
 * The whole map: core calls plus each feature's calls (defined beside it in src-shared/api/*-contract.ts).
 * Adding a feature = one spread here and one handler map in main.
 */
export const apiContract = {
  ...coreContract,
  ...trainingContract,
  ...modelsContract,
  ...datasetsContract,
  ...setsContract,
  ...cuesContract,
  ...evaluationContract,
  ...filesContract,
} as const;

export type ApiContract = typeof apiContract;
export type ApiName = keyof ApiContract;
export type ApiInput<K extends ApiName> = z.input<ApiContract[K]['input']>;
export type ApiOutput<K extends ApiName> = ApiContract[K]['output'];

export function isApiName(name: unknown): name is ApiName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(apiContract, name);
}

/** Events pushed from main to the renderer. */
export type ApiEvent =
  { type: 'job'; job: JobInfo } | { type: 'videos.changed'; videoIds: number[] | 'all' } | { type: 'project.changed' };

export type { Split };
