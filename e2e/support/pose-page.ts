/**
 * Browser entry of the pose harness page (bundled by pose-harness.ts). Exposes `window.poseHarness`
 * with helpers that drive the real PoseLandmarkerRunner and drawPose from src-renderer/pose.
 */
import { PoseLandmarkerRunner, type DelegateChoice, type PoseFrame } from '../../src-renderer/pose/landmarker.js';
import { drawPose } from '../../src-renderer/pose/draw.js';
import type { PoseModelVariant } from '../../src-shared/keypoints/format.js';

export interface RunSpec {
  variant: PoseModelVariant;
  modelAssetPath?: string;
  delegate?: DelegateChoice;
  numPoses?: number;
  /** Image URLs, processed in order as one VIDEO stream. `null` entries call runner.reset(). */
  urls: (string | null)[];
  timestampsMs: number[];
  /** Decode to this size first (e.g. to bench 720×1280 from any source). */
  resize?: { width: number; height: number };
}

export interface RunResult {
  delegate: 'GPU' | 'CPU';
  delegateReason: string;
  createMs: number;
  frames: (PoseFrame | null)[];
  /** detect() wall time per frame (ms), image decode excluded. */
  detectMs: number[];
  imageSizes: [number, number][];
}

async function loadBitmap(url: string, resize?: { width: number; height: number }): Promise<ImageBitmap> {
  const blob = await (await fetch(url)).blob();
  return resize
    ? createImageBitmap(blob, { resizeWidth: resize.width, resizeHeight: resize.height, resizeQuality: 'high' })
    : createImageBitmap(blob);
}

async function run(spec: RunSpec): Promise<RunResult> {
  const t0 = performance.now();
  const runner = await PoseLandmarkerRunner.create({
    variant: spec.variant,
    modelAssetPath: spec.modelAssetPath,
    delegate: spec.delegate ?? 'CPU',
    numPoses: spec.numPoses,
  });
  const createMs = performance.now() - t0;
  const frames: (PoseFrame | null)[] = [];
  const detectMs: number[] = [];
  const imageSizes: [number, number][] = [];
  try {
    for (let i = 0; i < spec.urls.length; i++) {
      const url = spec.urls[i];
      if (url === null || url === undefined) {
        await runner.reset();
        continue;
      }
      const bmp = await loadBitmap(url, spec.resize);
      imageSizes.push([bmp.width, bmp.height]);
      const t = performance.now();
      frames.push(runner.detect(bmp, spec.timestampsMs[i]!));
      detectMs.push(performance.now() - t);
      bmp.close();
    }
  } finally {
    runner.close();
  }
  return { delegate: runner.delegate, delegateReason: runner.delegateReason, createMs, frames, detectMs, imageSizes };
}

/** Draws `frame` on the page canvas and returns how many pixels got painted. */
function drawSmoke(landmarks: PoseFrame['landmarks'], mirror: boolean): number {
  const canvas = document.getElementById('c') as HTMLCanvasElement;
  const ctx = canvas.getContext('2d')!;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  drawPose(ctx, landmarks, { mirror });
  const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 3; i < px.length; i += 4) if (px[i]! > 0) n++;
  return n;
}

async function simd(): Promise<boolean> {
  return WebAssembly.validate(
    new Uint8Array([
      0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
    ]),
  );
}

(window as unknown as { poseHarness: unknown }).poseHarness = { run, drawSmoke, simd };
