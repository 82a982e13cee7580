/**
 * The live pose loop, apart from the view: where pose runs (workers or the page), and the loop that feeds it
 * new video frames, draws the overlay every animation frame and scores the rolling window.
 */
import { landmarkerFor, type PoseLandmarkerRunner } from '../pose/landmarker';
import { clipDetectorFor, type ClipDetector } from '../pose/pose-pool';
import { drawPose } from '../pose/draw';
import { flattenFrame } from '../../src-shared/keypoints/stored';
import { DEFAULT_NUM_FRAMES, type FrameLandmarks, type PoseModelVariant } from '../../src-shared/keypoints/format';
import { FpsMeter } from './fps';
import type { Scorer } from './scorer';
import type { ClipScore } from '../../src-shared/scoring/clip-score';

export interface Stats {
  drawFps: number;
  poseFps: number;
  poseMs: number;
  person: boolean;
}

/**
 * Where live pose runs: the pose workers (off this thread, frames alternating between them when there
 * are two), or one landmarker on the page when workers cannot run it. `localStorage['fs.live.workers'] = '0'`
 * forces the page (benchmarks compare the two).
 */
type FrameDetector = ClipDetector & Required<Pick<ClipDetector, 'offerFrame'>>;
export type LivePose =
  | { kind: 'workers'; detector: FrameDetector; description: string }
  | { kind: 'page'; runner: PoseLandmarkerRunner; description: string };

export async function livePose(variant: PoseModelVariant): Promise<LivePose> {
  if (localStorage.getItem('fs.live.workers') !== '0') {
    const detector = await clipDetectorFor(variant).catch(() => null);
    if (detector?.offerFrame)
      return { kind: 'workers', detector: detector as FrameDetector, description: detector.description };
  }
  const runner = await landmarkerFor(variant);
  return { kind: 'page', runner, description: `${runner.delegate} on the page` };
}

/**
 * The live loop. The <video> element shows the picture (composited by the browser, never blocked);
 * pose runs on each new video frame a worker (or the page) is free for; the overlay is redrawn every
 * animation frame; scoring runs asynchronously on the rolling window and never blocks either.
 */
export function runLoop(
  video: HTMLVideoElement,
  canvas: HTMLCanvasElement,
  pose: LivePose,
  scorer: Scorer | null,
  mirror: boolean,
  setStats: (s: Stats) => void,
  setResult: (r: ClipScore) => void,
  onPose: (landmarks: FrameLandmarks, tSec: number, aspect: number) => void,
): () => void {
  let stopped = false;
  const ctx = canvas.getContext('2d')!;
  const drawMeter = new FpsMeter();
  const poseMeter = new FpsMeter();
  let last: FrameLandmarks = null;
  let poseMs = 0;
  let lastVideoTime = -1;
  let scoring = false;
  let framesSinceScore = 0;
  const windowSize = scorer?.numFrames ?? DEFAULT_NUM_FRAMES;
  const window: Array<number[] | null> = [];
  let lastStats = 0;

  // A pose result: the overlay, reps, and the rolling window the model scores.
  const applyPose = (landmarks: FrameLandmarks, tMs: number) => {
    poseMeter.tick();
    last = landmarks;
    onPose(last, tMs / 1000, video.videoWidth && video.videoHeight ? video.videoWidth / video.videoHeight : 1);
    window.push(last ? flattenFrame(last) : null);
    if (window.length > windowSize) window.shift();
    framesSinceScore++;
    if (scorer && !scoring && window.length === windowSize && framesSinceScore >= 3) {
      scoring = true;
      framesSinceScore = 0;
      void scorer
        .score([...window])
        .then((r) => !stopped && setResult(r))
        .catch(() => undefined)
        .finally(() => (scoring = false));
    }
  };

  let lastPoseAt = -Infinity;
  let lastApplied = -Infinity;
  const poseStep = () => {
    if (video.readyState < 2 || video.currentTime === lastVideoTime) return;
    if (scorer?.setAspectRatio && video.videoWidth) scorer.setAspectRatio(video.videoWidth / video.videoHeight);
    if (pose.kind === 'workers') {
      // Each new frame goes to an idle worker; a frame no worker can take is skipped, never queued.
      const t0 = performance.now();
      const pending = pose.detector.offerFrame(video, t0);
      if (!pending) return;
      lastVideoTime = video.currentTime;
      pending
        .then((r) => {
          // Two workers can answer out of order: an older frame never replaces a newer one.
          if (stopped || r.timestampMs <= lastApplied) return;
          lastApplied = r.timestampMs;
          poseMs = r.detectMs;
          applyPose(r.landmarks, r.timestampMs);
        })
        .catch((err) => console.warn('[live] pose failed on a frame', err));
      return;
    }
    // Pose runs on this thread: give it at most two thirds of the time, so drawing stays smooth on a slow CPU.
    if (performance.now() - lastPoseAt < 1.5 * poseMs) return;
    lastPoseAt = performance.now();
    lastVideoTime = video.currentTime;
    const t0 = performance.now();
    const found = pose.runner.detect(video, t0);
    poseMs = performance.now() - t0;
    applyPose(found?.landmarks ?? null, t0);
  };

  const draw = () => {
    if (stopped) return;
    const w = video.videoWidth || 640;
    const h = video.videoHeight || 480;
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    ctx.clearRect(0, 0, w, h);
    if (last) drawPose(ctx, last, { mirror });
    drawMeter.tick();
    const now = performance.now();
    if (now - lastStats > 250) {
      lastStats = now;
      setStats({ drawFps: drawMeter.fps, poseFps: poseMeter.fps, poseMs, person: last !== null });
    }
    requestAnimationFrame(draw);
  };

  // Pose on each new video frame (requestVideoFrameCallback when available), off the draw loop.
  const rvfc = (
    video as HTMLVideoElement & { requestVideoFrameCallback?: (cb: () => void) => number }
  ).requestVideoFrameCallback?.bind(video);
  const onFrame = () => {
    if (stopped) return;
    try {
      poseStep();
    } catch (err) {
      console.warn('[live] pose failed on a frame', err);
    }
    if (rvfc) rvfc(onFrame);
    else setTimeout(onFrame, 15);
  };
  if (rvfc) rvfc(onFrame);
  else setTimeout(onFrame, 0);
  requestAnimationFrame(draw);
  return () => {
    stopped = true;
    scorer?.dispose();
    ctx.clearRect(0, 0, canvas.width, canvas.height);
  };
}
