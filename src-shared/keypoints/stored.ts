/**
 * Keypoints as cached per video and carried over the API: compact (132 numbers per frame, landmark-major
 * x,y,z,visibility as in format.ts) and explicit about missing frames (null).
 */
import { FEATURES_PER_FRAME, NUM_LANDMARKS, type FrameLandmarks, type PoseModelVariant } from './format';

export interface StoredKeypoints {
  numFrames: number;
  variant: PoseModelVariant;
  timestamps: number[];
  /** Per frame: 132 numbers, or null when no person was found. */
  frames: Array<number[] | null>;
  /** World landmarks (meters, hip-centred), same layout, when available. */
  world: Array<number[] | null> | null;
}

export const NO_POSE_ADVICE =
  'No pose detected in this video. Make sure the person is clearly visible, well lit, fully in frame and facing the camera or side-on.';

export function flattenFrame(frame: FrameLandmarks): number[] | null {
  if (!frame) return null;
  const out = new Array<number>(FEATURES_PER_FRAME);
  for (let i = 0; i < NUM_LANDMARKS; i++) {
    const l = frame[i];
    out[i * 4] = round(l.x);
    out[i * 4 + 1] = round(l.y);
    out[i * 4 + 2] = round(l.z);
    out[i * 4 + 3] = round(l.visibility);
  }
  return out;
}

export function unflattenFrame(values: number[] | null): FrameLandmarks {
  if (!values) return null;
  const out = [];
  for (let i = 0; i < NUM_LANDMARKS; i++)
    out.push({ x: values[i * 4], y: values[i * 4 + 1], z: values[i * 4 + 2], visibility: values[i * 4 + 3] });
  return out;
}

/** To 1e-5, then to the nearest float32: the value the binary keypoint cache stores, so fresh and cached agree. */
function round(v: number): number {
  return Math.fround(Math.round(v * 1e5) / 1e5);
}
