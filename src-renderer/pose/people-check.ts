/**
 * The two-people check after a clip's extraction (rules in src-shared/keypoints/people.ts): CHECK_FRAMES
 * of its frames run once more through a landmarker in IMAGE mode with up to two poses (the detector on every
 * call, no tracking), on the page. One such landmarker per variant, kept for the session.
 */
import { FilesetResolver, PoseLandmarker } from '@mediapipe/tasks-vision';
import { unflattenFrame } from '../../src-shared/keypoints/stored';
import type { Landmark, PoseModelVariant } from '../../src-shared/keypoints/format';
import { checkFrameIndices, peopleNote, type PeopleCheck } from '../../src-shared/keypoints/people';
import { assetBaseUrl } from './landmarker';

let shared: { variant: PoseModelVariant; landmarker: Promise<PoseLandmarker> } | null = null;

function imageLandmarker(variant: PoseModelVariant): Promise<PoseLandmarker> {
  if (shared?.variant === variant) return shared.landmarker;
  shared?.landmarker.then(
    (l) => l.close(),
    () => undefined,
  );
  const landmarker = (async () => {
    const base = assetBaseUrl();
    const fileset = await FilesetResolver.forVisionTasks(`${base}wasm/mediapipe`);
    return PoseLandmarker.createFromOptions(fileset, {
      baseOptions: { modelAssetPath: `${base}models/pose/pose_landmarker_${variant}.task`, delegate: 'CPU' },
      runningMode: 'IMAGE',
      numPoses: 2,
      outputSegmentationMasks: false,
    });
  })();
  shared = { variant, landmarker };
  landmarker.catch(() => {
    if (shared?.landmarker === landmarker) shared = null;
  });
  return landmarker;
}

/** Start loading the check's landmarker now (the CLI's warm-up), so the first check does not wait for it. */
export function warmPeopleCheck(variant: PoseModelVariant): void {
  imageLandmarker(variant).catch(() => undefined); // a failure shows again when the check asks for it
}

const toLandmarks = (xs: ReadonlyArray<{ x: number; y: number; z: number; visibility?: number }>): Landmark[] =>
  xs.map((l) => ({ x: l.x, y: l.y, z: l.z, visibility: l.visibility ?? 0 }));

/** The clip's two-people warning, or null; `frames` are the kept poses (flattened) for `urls`. */
export async function checkPeople(
  variant: PoseModelVariant,
  urls: string[],
  frames: ReadonlyArray<number[] | null>,
  signal?: AbortSignal,
): Promise<string | null> {
  const picks = checkFrameIndices(frames);
  if (picks.length === 0) return null;
  const landmarker = await imageLandmarker(variant);
  const checks: PeopleCheck[] = [];
  for (const i of picks) {
    const res = await fetch(urls[i], { signal });
    if (!res.ok) throw new Error(`Frame ${urls[i]}: HTTP ${res.status}`);
    const bitmap = await createImageBitmap(await res.blob());
    try {
      const out = landmarker.detect(bitmap);
      const kept = unflattenFrame(frames[i]);
      checks.push({ poses: out.landmarks.map(toLandmarks), kept: kept ? [...kept] : null });
      out.close?.();
    } finally {
      bitmap.close();
    }
  }
  return peopleNote(checks);
}
