/**
 * The one way keypoints become model input, used by training, scoring (app, live, CLI) and export checks,
 * so a model always sees data prepared exactly as in training.
 */
import { normalizeFrames } from '../keypoints/normalize';
import { unflattenFrame, type StoredKeypoints } from '../keypoints/stored';

/** StoredKeypoints (cache / API form) → Float32Array [numFrames × 132]. `aspectRatio` = video width / height. */
export function modelInput(kp: Pick<StoredKeypoints, 'frames'>, numFrames: number, aspectRatio = 1): Float32Array {
  return normalizeFrames(kp.frames.map(unflattenFrame), {
    numFrames,
    aspectRatio: aspectRatio > 0 && Number.isFinite(aspectRatio) ? aspectRatio : 1,
  });
}
