/**
 * The keypoint tensor format, defined once and used by extraction, training, scoring and export.
 *
 * One video = N sampled frames (default 24) × 33 MediaPipe pose landmarks × 4 values
 * (x, y, z, visibility). Flattened per frame to 132 features, landmark-major:
 * [lm0.x, lm0.y, lm0.z, lm0.v, lm1.x, ...]. A frame with no person is `null` in storage and
 * all-zero + mask 0 in the model input, never zeros that look like data.
 */
export const NUM_LANDMARKS = 33;
export const VALUES_PER_LANDMARK = 4;
export const FEATURES_PER_FRAME = NUM_LANDMARKS * VALUES_PER_LANDMARK; // 132
export const DEFAULT_NUM_FRAMES = 24;

/** MediaPipe BlazePose landmark names, index order. */
export const LANDMARK_NAMES = [
  'nose',
  'left_eye_inner',
  'left_eye',
  'left_eye_outer',
  'right_eye_inner',
  'right_eye',
  'right_eye_outer',
  'left_ear',
  'right_ear',
  'mouth_left',
  'mouth_right',
  'left_shoulder',
  'right_shoulder',
  'left_elbow',
  'right_elbow',
  'left_wrist',
  'right_wrist',
  'left_pinky',
  'right_pinky',
  'left_index',
  'right_index',
  'left_thumb',
  'right_thumb',
  'left_hip',
  'right_hip',
  'left_knee',
  'right_knee',
  'left_ankle',
  'right_ankle',
  'left_heel',
  'right_heel',
  'left_foot_index',
  'right_foot_index',
] as const;

export const LM = Object.fromEntries(LANDMARK_NAMES.map((n, i) => [n, i])) as Record<
  (typeof LANDMARK_NAMES)[number],
  number
>;

/** Pairs swapped when mirroring left/right. */
export const MIRROR_PAIRS: ReadonlyArray<readonly [number, number]> = LANDMARK_NAMES.flatMap((name, i) => {
  if (!name.startsWith('left_')) return [];
  const j = LANDMARK_NAMES.indexOf(('right_' + name.slice(5)) as (typeof LANDMARK_NAMES)[number]);
  return j >= 0 ? [[i, j] as const] : [];
}).concat(
  // mouth_left / mouth_right do not follow the prefix rule
  [[LM.mouth_left, LM.mouth_right] as const],
);

/** Skeleton edges for drawing (BlazePose topology). */
export const POSE_CONNECTIONS: ReadonlyArray<readonly [number, number]> = [
  [0, 1],
  [1, 2],
  [2, 3],
  [3, 7],
  [0, 4],
  [4, 5],
  [5, 6],
  [6, 8],
  [9, 10],
  [11, 12],
  [11, 13],
  [13, 15],
  [15, 17],
  [15, 19],
  [15, 21],
  [17, 19],
  [12, 14],
  [14, 16],
  [16, 18],
  [16, 20],
  [16, 22],
  [18, 20],
  [11, 23],
  [12, 24],
  [23, 24],
  [23, 25],
  [24, 26],
  [25, 27],
  [26, 28],
  [27, 29],
  [28, 30],
  [29, 31],
  [30, 32],
  [27, 31],
  [28, 32],
];

export interface Landmark {
  x: number;
  y: number;
  z: number;
  visibility: number;
}

/** One frame: 33 landmarks (image-normalized x,y in [0,1]) or null when no person was found. */
export type FrameLandmarks = Landmark[] | null;

/** The keypoints of one video as extracted and cached. */
export interface VideoKeypoints {
  numFrames: number;
  /** Timestamps (seconds) of the sampled frames. */
  timestamps: number[];
  /** Image-normalized landmarks per frame. */
  frames: FrameLandmarks[];
  /** World landmarks (meters, hip-centered) per frame, when available. */
  worldFrames?: FrameLandmarks[];
  model: PoseModelVariant;
}

export type PoseModelVariant = 'lite' | 'full' | 'heavy';
export const POSE_MODEL_VARIANTS = ['lite', 'full', 'heavy'] as const satisfies readonly PoseModelVariant[];

/** Timestamps (seconds) of N evenly spaced frames: the centre of each of N equal segments. Deterministic. */
export function sampleTimestamps(durationSec: number, n: number): number[] {
  if (!(durationSec > 0) || n <= 0) return [];
  const step = durationSec / n;
  return Array.from({ length: n }, (_, i) => Math.round((i + 0.5) * step * 1000) / 1000);
}

/** Fraction of frames with a person. */
export function personRate(frames: FrameLandmarks[]): number {
  if (frames.length === 0) return 0;
  return frames.filter((f) => f !== null).length / frames.length;
}
