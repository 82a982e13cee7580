import type { ExerciseType } from './exercises';

export type Split = 'train' | 'test';
export const SPLITS: readonly Split[] = ['train', 'test'];

/** Import/probe state of a video file. */
export type VideoStatus = 'ok' | 'error' | 'pending';

export type PoseStatus = 'none' | 'extracting' | 'ok' | 'no_pose' | 'error';

export interface VideoInfo {
  id: number;
  /** Display path, unique in the project (forward slashes); the CSV's relative_path. Not where the bytes are. */
  relPath: string;
  split: Split;
  contentHash: string | null;
  sizeBytes: number | null;
  durationSec: number | null;
  fps: number | null;
  frameCount: number | null;
  width: number | null;
  height: number | null;
  rotation: number | null;
  codec: string | null;
  status: VideoStatus;
  errorCode: string | null;
  errorMessage: string | null;
  source: string;
  groupKey: string | null;
  addedAt: string;
  /** Where the project keeps the bytes, relative to the media root (content-addressed: `store/ab/<sha256>.mp4`). */
  storageKey?: string | null;
  /** The file the video was imported from (metadata only: the app never writes there). */
  originalPath?: string | null;
  /** The toolkit's path (`exercises_train/squat/a.mp4`) when the source sat under such a folder. */
  toolkitPath?: string | null;
}

/** A coach's label: exercise type and quality score (0–100). Either may be missing while labeling. */
export interface Label {
  exerciseType: ExerciseType | null;
  score: number | null;
  labeledBy: string | null;
  updatedAt: string | null;
}

export interface PoseSummary {
  status: PoseStatus;
  personRate: number | null;
  message: string | null;
}

export interface Prediction {
  modelId: number;
  score: number;
  exerciseType: ExerciseType | null;
  confidence: number | null;
}

/** One row of the labeling grid. */
export interface VideoRow extends VideoInfo {
  label: Label;
  pose: PoseSummary;
  prediction: Prediction | null;
}
