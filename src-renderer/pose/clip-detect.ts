/**
 * Pose of one clip's sampled frames with one landmarker: fetch each frame, detect in VIDEO mode, keep
 * the flattened landmarks. The same code runs in the pose workers and, as a fallback, on the page.
 */
import { flattenFrame } from '../../src-shared/keypoints/stored';
import type { PoseLandmarkerRunner } from './landmarker';

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

export async function detectClip(runner: PoseLandmarkerRunner, urls: string[], timestampsMs: number[], signal?: AbortSignal): Promise<ClipPose> {
  runner.reset();
  const out: ClipPose = { frames: [], world: [], detectMs: 0 };
  // Fetch the next frame while the model runs on this one.
  let next = urls.length > 0 ? loadImage(urls[0], signal) : null;
  for (let i = 0; i < urls.length; i++) {
    if (signal?.aborted) throw new DOMException('Cancelled', 'AbortError');
    const bitmap = await next!;
    next = i + 1 < urls.length ? loadImage(urls[i + 1], signal) : null;
    next?.catch(() => undefined); // awaited on the next turn; avoid an unhandled rejection meanwhile
    const t0 = performance.now();
    try {
      const pose = runner.detect(bitmap, timestampsMs[i]);
      out.frames.push(pose ? flattenFrame(pose.landmarks) : null);
      out.world.push(pose && pose.worldLandmarks.length === 33 ? flattenFrame(pose.worldLandmarks) : null);
    } finally {
      bitmap.close();
    }
    out.detectMs += performance.now() - t0;
  }
  return out;
}
