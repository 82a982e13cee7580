/**
 * The two-people check after a clip's extraction (rules in src-shared/keypoints/people.ts): CHECK_FRAMES
 * of its frames run once more with up to two poses in IMAGE mode (the detector on every call, no tracking),
 * on one of the extraction's own landmarkers (see PoseLandmarkerRunner.detectPeople): a landmarker of its
 * own cost each `score` and shard ≈3–4 s of CPU to start and warm up.
 */
import { unflattenFrame } from '../../src-shared/keypoints/stored';
import { checkFrameIndices, peopleNote, type PeopleCheck } from '../../src-shared/keypoints/people';
import type { ClipDetector } from './pose-pool';

/** The clip's two-people warning, or null; `frames` are the kept poses (flattened) for `urls`. */
export async function checkPeople(
  detector: ClipDetector,
  urls: string[],
  frames: ReadonlyArray<number[] | null>,
  signal?: AbortSignal,
): Promise<string | null> {
  const picks = checkFrameIndices(frames);
  if (picks.length === 0) return null;
  const found = await detector.detectPeople(
    picks.map((i) => urls[i]),
    signal,
  );
  const checks: PeopleCheck[] = picks.map((i, k) => {
    const kept = unflattenFrame(frames[i]);
    return { poses: found[k], kept: kept ? [...kept] : null };
  });
  return peopleNote(checks);
}
