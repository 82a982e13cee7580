/** `training.data` → model samples, shared by the app's worker and the CLI so both train on exactly the same input. */
import { exerciseIndex } from '../domain/exercises';
import type { StoredKeypoints } from '../keypoints/stored';
import { modelInput } from '../scoring/model-input';
import type { TrainingSample } from '../model/train';
import type { TrainingData, TrainingItem } from '../api/training-contract';

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
    if (c.noKeypoints)
      why.push(
        `${c.noKeypoints} without keypoints for ${data.numFrames} frames (${data.variant} pose model) — run “Extract keypoints” in the Library`,
      );
    if (c.noPose) why.push(`${c.noPose} with no pose detected`);
    if (c.extractionFailed) why.push(`${c.extractionFailed} where extraction failed`);
    if (c.importFailed) why.push(`${c.importFailed} that failed to import`);
    return `Training needs at least 2 labeled videos with keypoints; ${c.usable} ${c.usable === 1 ? 'is' : 'are'} usable${why.length ? ` (${why.join('; ')})` : ''}.`;
  }
  return null;
}

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
