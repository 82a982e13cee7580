/**
 * Keypoint extraction for a list of videos, in the renderer (MediaPipe runs here): main samples the N
 * frames with ffmpeg, we run the pose model on them in VIDEO mode (one landmarker reused for every clip)
 * and save the result through the API. One bad video is recorded as an error and the rest go on.
 */
import { api } from '../api/client';
import { PoseLandmarkerRunner } from './landmarker';
import { flattenFrame } from '../../src-shared/keypoints/stored';
import { DEFAULT_NUM_FRAMES, type PoseModelVariant } from '../../src-shared/keypoints/format';
import type { PoseSummary } from '../../src-shared/domain/video';

export interface ExtractProgress {
  done: number;
  total: number;
  current: number | null;
  ok: number;
  noPose: number;
  failed: number;
  delegate: string | null;
  msPerFrame: number | null;
}

export interface ExtractOptions {
  variant?: PoseModelVariant;
  numFrames?: number;
  signal?: AbortSignal;
  onProgress?: (p: ExtractProgress) => void;
  onVideo?: (videoId: number, summary: PoseSummary) => void;
}

let shared: { runner: PoseLandmarkerRunner; variant: PoseModelVariant } | null = null;

/** One landmarker per variant, kept for the session (creating one costs ~1 s). */
export async function landmarkerFor(variant: PoseModelVariant): Promise<PoseLandmarkerRunner> {
  if (shared && shared.variant === variant) return shared.runner;
  shared?.runner.close();
  shared = null;
  const runner = await PoseLandmarkerRunner.create({ variant });
  shared = { runner, variant };
  return runner;
}

async function loadImage(url: string, signal?: AbortSignal): Promise<ImageBitmap> {
  const res = await fetch(url, { signal });
  if (!res.ok) throw new Error(`Frame ${url}: HTTP ${res.status}`);
  return createImageBitmap(await res.blob());
}

export async function extractKeypoints(videoIds: number[], opts: ExtractOptions = {}): Promise<ExtractProgress> {
  const variant = opts.variant ?? 'full';
  const numFrames = opts.numFrames ?? DEFAULT_NUM_FRAMES;
  const progress: ExtractProgress = { done: 0, total: videoIds.length, current: null, ok: 0, noPose: 0, failed: 0, delegate: null, msPerFrame: null };
  opts.onProgress?.({ ...progress });
  if (videoIds.length === 0) return progress;
  const runner = await landmarkerFor(variant);
  progress.delegate = runner.delegate;
  let frameMs = 0;
  let frameCount = 0;
  for (const videoId of videoIds) {
    if (opts.signal?.aborted) break;
    progress.current = videoId;
    opts.onProgress?.({ ...progress });
    let summary: PoseSummary;
    try {
      const prepared = await api.call('keypoints.prepare', { videoId, numFrames });
      runner.reset();
      const frames: Array<number[] | null> = [];
      const world: Array<number[] | null> = [];
      for (let i = 0; i < prepared.frameUrls.length; i++) {
        if (opts.signal?.aborted) throw new DOMException('Cancelled', 'AbortError');
        const bitmap = await loadImage(prepared.frameUrls[i], opts.signal);
        const t0 = performance.now();
        try {
          const pose = runner.detect(bitmap, prepared.timestamps[i] * 1000);
          frames.push(pose ? flattenFrame(pose.landmarks) : null);
          world.push(pose && pose.worldLandmarks.length === 33 ? flattenFrame(pose.worldLandmarks) : null);
        } finally {
          bitmap.close();
        }
        frameMs += performance.now() - t0;
        frameCount++;
      }
      progress.msPerFrame = frameMs / frameCount;
      summary = await api.call('keypoints.save', { videoId, numFrames, variant, timestamps: prepared.timestamps, frames, world });
    } catch (err) {
      if (opts.signal?.aborted) break;
      const message = (err as Error).message || String(err);
      summary = await api
        .call('keypoints.save', { videoId, numFrames, variant, timestamps: new Array(numFrames).fill(0), frames: new Array(numFrames).fill(null), error: message })
        .catch(() => ({ status: 'error' as const, personRate: null, message }));
    }
    if (summary.status === 'ok') progress.ok++;
    else if (summary.status === 'no_pose') progress.noPose++;
    else progress.failed++;
    progress.done++;
    opts.onVideo?.(videoId, summary);
    opts.onProgress?.({ ...progress });
  }
  progress.current = null;
  opts.onProgress?.({ ...progress });
  return progress;
}
