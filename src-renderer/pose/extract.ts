/**
 * Keypoint extraction for a list of videos, in the renderer (MediaPipe runs here): main samples the N
 * frames with ffmpeg, the pose workers run the model on them in VIDEO mode (see pose-pool.ts) and we
 * save the result through the API. The next clip is sampled and queued on the workers while the
 * model runs on this one. One bad video is recorded as an error and the rest go on.
 */
import { api } from '../api/client';
import { clipDetectorFor } from './pose-pool';
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
  /** Pose workers (default: one per core, at most 4); 0 runs the model on the page. */
  workers?: number;
  signal?: AbortSignal;
  onProgress?: (p: ExtractProgress) => void;
  onVideo?: (videoId: number, summary: PoseSummary) => void;
}

export async function extractKeypoints(videoIds: number[], opts: ExtractOptions = {}): Promise<ExtractProgress> {
  const variant = opts.variant ?? 'full';
  const numFrames = opts.numFrames ?? DEFAULT_NUM_FRAMES;
  const progress: ExtractProgress = { done: 0, total: videoIds.length, current: null, ok: 0, noPose: 0, failed: 0, delegate: null, msPerFrame: null };
  opts.onProgress?.({ ...progress });
  if (videoIds.length === 0) return progress;
  const detector = await clipDetectorFor(variant, opts.workers);
  progress.delegate = detector.description;
  let frameMs = 0;
  let frameCount = 0;
  const start = (videoId: number) => {
    const job = api.call('keypoints.prepare', { videoId, numFrames }).then(async (frames) => ({
      frames,
      pose: await detector.detect(frames.frameUrls, frames.timestamps.map((t) => t * 1000), opts.signal),
    }));
    job.catch(() => undefined); // awaited on its own turn
    return job;
  };
  // Two clips in flight: while the workers run this clip, ffmpeg (main process) samples the next one
  // and its frames queue on the workers, so a worker that finishes its part of this clip early goes
  // straight on to the next clip instead of waiting for the other worker and for the save.
  let next: ReturnType<typeof start> | null = start(videoIds[0]);
  for (let v = 0; v < videoIds.length; v++) {
    const videoId = videoIds[v];
    if (opts.signal?.aborted) break;
    progress.current = videoId;
    opts.onProgress?.({ ...progress });
    const job = next!;
    next = v + 1 < videoIds.length ? start(videoIds[v + 1]) : null;
    let summary: PoseSummary;
    try {
      const { frames, pose } = await job;
      frameMs += pose.detectMs;
      frameCount += frames.frameUrls.length;
      progress.msPerFrame = frameMs / frameCount;
      summary = await api.call('keypoints.save', { videoId, numFrames, variant, timestamps: frames.timestamps, frames: pose.frames, world: pose.world });
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
