/**
 * Keypoint extraction for a list of videos, in the renderer (MediaPipe runs here): main samples the N
 * frames with ffmpeg, the pose workers run the model on them in VIDEO mode (see pose-pool.ts) and we
 * save the result through the API. Clips are sampled and queued ahead while the model runs, whole
 * clips per worker while enough follow, the last ones split across the workers. One bad video is
 * recorded as an error and the rest go on.
 */
import { api } from '../api/client';
import { clipDetectorFor } from './pose-pool';
import { wholeClipCount } from './clip-schedule';
import { checkPeople } from './people-check';
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
  /** Time of the two-people check per clip (ms; with its wait for a free pose worker): bench/people.ts. */
  peopleCheckMs: number[];
  /** Wall time (ms from the call) when each step ended: where a short run's time goes (FORM_STUDIO_TIMING). */
  stepsMs: Record<string, number>;
  /** Frames through the pose model, of the frames of the clips sampled so far (a long clip's progress). */
  frames: { done: number; total: number };
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
  const progress: ExtractProgress = {
    done: 0,
    total: videoIds.length,
    current: null,
    ok: 0,
    noPose: 0,
    failed: 0,
    delegate: null,
    msPerFrame: null,
    peopleCheckMs: [],
    stepsMs: {},
    frames: { done: 0, total: 0 },
  };
  const snapshot = (): ExtractProgress => ({ ...progress, frames: { ...progress.frames } });
  const tStart = performance.now();
  const step = (name: string) => (progress.stepsMs[name] = Math.round(performance.now() - tStart));
  opts.onProgress?.(snapshot());
  if (videoIds.length === 0) return progress;
  const prepare = (videoId: number) =>
    api.call('keypoints.prepare', { videoId, numFrames }).finally(() => step(`frames ${videoId}`));
  // The first clip's frames are sampled (ffmpeg, in main) while the pose model loads, not after it.
  const firstFrames = prepare(videoIds[0]);
  firstFrames.catch(() => undefined); // awaited on its own turn
  const detector = await clipDetectorFor(variant, opts.workers);
  step('pose model ready');
  progress.delegate = detector.description;
  let frameMs = 0;
  let frameCount = 0;
  const wholeClips = wholeClipCount(videoIds.length, detector.parallelism);
  const start = (v: number) => {
    const whole = v < wholeClips;
    const job = (v === 0 ? firstFrames : prepare(videoIds[v])).then(async (frames) => {
      progress.frames.total += frames.frameUrls.length;
      const onFrame = () => {
        progress.frames.done++;
        opts.onProgress?.(snapshot());
      };
      const pose = await detector.detect(
        frames.frameUrls,
        frames.timestamps.map((t) => t * 1000),
        opts.signal,
        {
          whole,
          onFrame,
        },
      );
      return { frames, pose };
    });
    job.catch(() => undefined); // awaited on its own turn
    return job;
  };
  // One clip more in flight than the detector runs at once: while the workers run theirs, ffmpeg
  // (main process) samples the next one and it waits on a worker, so no worker waits for a save or
  // for sampling.
  const inFlight = detector.parallelism + 1;
  const jobs: Array<ReturnType<typeof start>> = [];
  const startUpTo = (end: number) => {
    for (let i = jobs.length; i < Math.min(end, videoIds.length); i++) jobs.push(start(i));
  };
  for (let v = 0; v < videoIds.length; v++) {
    const videoId = videoIds[v];
    if (opts.signal?.aborted) break;
    progress.current = videoId;
    opts.onProgress?.(snapshot());
    startUpTo(v + inFlight);
    const job = jobs[v];
    let summary: PoseSummary;
    try {
      const { frames, pose } = await job;
      step(`pose ${videoId}`);
      frameMs += pose.detectMs;
      frameCount += frames.frameUrls.length;
      progress.msPerFrame = frameMs / frameCount;
      // Two people in frame: a warning kept with the keypoints (a failed check only loses the warning).
      const t0 = performance.now();
      const note = await checkPeople(detector, frames.frameUrls, pose.frames, opts.signal).catch((err: unknown) => {
        console.warn('[pose] two-people check failed:', (err as Error).message ?? err);
        return null;
      });
      progress.peopleCheckMs.push(performance.now() - t0);
      step(`people check ${videoId}`);
      summary = await api.call('keypoints.save', {
        videoId,
        numFrames,
        variant,
        timestamps: frames.timestamps,
        frames: pose.frames,
        world: pose.world,
        ...(note ? { note } : {}),
      });
      step(`saved ${videoId}`);
    } catch (err) {
      if (opts.signal?.aborted) break;
      const message = (err as Error).message || String(err);
      summary = await api
        .call('keypoints.save', {
          videoId,
          numFrames,
          variant,
          timestamps: new Array(numFrames).fill(0),
          frames: new Array(numFrames).fill(null),
          error: message,
        })
        .catch(() => ({ status: 'error' as const, personRate: null, message }));
    }
    if (summary.status === 'ok') progress.ok++;
    else if (summary.status === 'no_pose') progress.noPose++;
    else progress.failed++;
    progress.done++;
    opts.onVideo?.(videoId, summary);
    opts.onProgress?.(snapshot());
  }
  progress.current = null;
  opts.onProgress?.(snapshot());
  return progress;
}
