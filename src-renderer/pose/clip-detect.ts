/**
 * Pose of one clip's sampled frames with one landmarker: fetch each frame, detect in VIDEO mode, keep
 * the flattened landmarks. The same code runs in the pose workers and, as a fallback, on the page.
 */
import { flattenFrame } from '../../src-shared/keypoints/stored';
import type { PoseLandmarkerRunner } from './landmarker';
import type { Landmark } from '../../src-shared/keypoints/format';

export interface ClipPose {
  /** Per frame: 33×4 image-normalized landmarks, or null when no person was found. */
  frames: Array<number[] | null>;
  world: Array<number[] | null>;
  /** Time spent in the pose model (decode excluded), summed over the frames. */
  detectMs: number;
}

async function loadImage(url: string, signal?: AbortSignal): Promise<ImageBitmap> {
  const res = await fetch(url, { signal });
  if (!res.ok) throw new Error(`Frame ${url}: HTTP ${res.status}`);
  return createImageBitmap(await res.blob());
}

/**
 * Frames fetched and decoded ahead of the model. A worker's event loop is blocked while the model
 * runs, so with one frame ahead its fetch and decode only progressed between frames and the model
 * waited for them; a few ahead are ready by the time they are needed (≈1 MB each at 640×360).
 */
const LOOKAHEAD = 3;

export async function detectClip(
  runner: PoseLandmarkerRunner,
  urls: string[],
  timestampsMs: number[],
  signal?: AbortSignal,
  onFrame?: () => void,
): Promise<ClipPose> {
  await runner.reset();
  const out: ClipPose = { frames: [], world: [], detectMs: 0 };
  const loading: Array<Promise<ImageBitmap>> = [];
  let taken = 0; // frames whose bitmap this loop owns (and closes)
  const load = (i: number) => {
    const p = loadImage(urls[i], signal);
    p.catch(() => undefined); // awaited on its own turn; avoid an unhandled rejection meanwhile
    loading[i] = p;
  };
  try {
    for (let i = 0; i < urls.length; i++) {
      for (let j = loading.length; j < Math.min(urls.length, i + 1 + LOOKAHEAD); j++) load(j);
      if (signal?.aborted) throw new DOMException('Cancelled', 'AbortError');
      const bitmap = await loading[i]!;
      taken = i + 1;
      const t0 = performance.now();
      try {
        const pose = runner.detect(bitmap, timestampsMs[i]);
        out.frames.push(pose ? flattenFrame(pose.landmarks) : null);
        out.world.push(pose && pose.worldLandmarks.length === 33 ? flattenFrame(pose.worldLandmarks) : null);
      } finally {
        bitmap.close();
      }
      out.detectMs += performance.now() - t0;
      onFrame?.();
    }
  } finally {
    // Frames loaded ahead of a failure or cancel are released, not left to the GC.
    for (let j = taken; j < loading.length; j++)
      loading[j]!.then(
        (b) => b.close(),
        () => undefined,
      );
  }
  return out;
}

/** Everyone in each frame (up to two): the two-people check, on `runner` switched to IMAGE mode for it. */
export async function detectPeople(
  runner: PoseLandmarkerRunner,
  urls: string[],
  signal?: AbortSignal,
): Promise<Landmark[][][]> {
  const images = await Promise.all(urls.map((u) => loadImage(u, signal)));
  try {
    if (signal?.aborted) throw new DOMException('Cancelled', 'AbortError');
    return await runner.detectPeople(images);
  } finally {
    for (const b of images) b.close();
  }
}
