/**
 * In-browser pose landmarks with MediaPipe Tasks (PoseLandmarker), fully offline: the wasm fileset
 * and the .task bundles are served by the app itself (Vite publicDir assets/generated/, built by
 * scripts/build-assets.ts):
 *   /wasm/mediapipe/vision_wasm_internal.{js,wasm}
 *   /models/pose/pose_landmarker_{lite,full,heavy}.task
 *
 *   const lm = await PoseLandmarkerRunner.create({ variant: 'full' });
 *   console.log(lm.delegate, lm.delegateReason);
 *   const frame = lm.detect(videoEl, videoEl.currentTime * 1000); // PoseFrame | null
 *   lm.close();
 *
 * Always VIDEO running mode (tracking between calls: much cheaper than IMAGE mode). MediaPipe
 * requires strictly increasing timestamps; `detect` keeps them so even when the caller's are not
 * (sampled frames, a new clip starting at 0, repeated frames): see `detect` and `reset`.
 */
import { FilesetResolver, PoseLandmarker, type PoseLandmarkerResult } from '@mediapipe/tasks-vision';
import type { Landmark, PoseModelVariant } from '../../src-shared/keypoints/format.js';
import { selectPerson } from './select-person.js';

export type PoseImage =
  ImageBitmap | HTMLVideoElement | HTMLCanvasElement | HTMLImageElement | OffscreenCanvas | ImageData | VideoFrame;
export type DelegateChoice = 'auto' | 'GPU' | 'CPU';

export interface PoseLandmarkerRunnerOptions {
  variant: PoseModelVariant;
  /** 'auto' (default): GPU when there is a hardware WebGL2 renderer and it loads and runs; else CPU. */
  delegate?: DelegateChoice;
  /** Base URL of the tasks-vision wasm fileset. Default `${BASE_URL}wasm/mediapipe` (see assetBaseUrl). */
  wasmBase?: string;
  /** Base URL of the .task bundles. Default `${BASE_URL}models/pose`. */
  modelBase?: string;
  /** Full URL of the .task file; overrides variant/modelBase (e.g. to compare bundles). */
  modelAssetPath?: string;
  /** Load tasks-vision's ES-module wasm loader (needed in a module Worker, which has no importScripts). */
  moduleLoader?: boolean;
  /**
   * The fileset's wasm, already compiled (shared-assets.ts): instantiated instead of fetched and compiled
   * again. Must be compiled from the binary of the same fileset (same loader glue, same imports).
   */
  wasmModule?: WebAssembly.Module;
  /** The .task file's bytes, instead of fetching `modelAssetPath`. */
  modelAssetBuffer?: Uint8Array;
  /**
   * Poses MediaPipe may return per frame; the runner keeps one (see select-person.ts). Default 1.
   * >1 lets the runner choose between people, but MediaPipe then runs its detector every frame
   * while fewer poses than this are tracked (≈ IMAGE-mode cost).
   */
  numPoses?: number;
  minPoseDetectionConfidence?: number;
  minPosePresenceConfidence?: number;
  minTrackingConfidence?: number;
}

export interface PoseFrame {
  /** 33 image-normalized landmarks (x, y in [0, 1] of the input image; z relative to the hips). */
  landmarks: Landmark[];
  /** 33 world landmarks (meters, hip-centred). */
  worldLandmarks: Landmark[];
  /** The timestamp MediaPipe was given (ms, strictly increasing per runner). */
  timestampMs: number;
  /** How many poses MediaPipe returned for this frame. */
  numPoses: number;
}

/**
 * Where the app's public assets are served: Vite's `import.meta.env.BASE_URL` when bundled by Vite,
 * else '/'. A relative base (vite `base: './'`, used for Electron's app:// and file://) is resolved
 * against the document, so the result is absolute and ends with '/'. In a Worker (no document),
 * pass absolute `wasmBase` / `modelBase` computed on the main thread instead.
 */
export function assetBaseUrl(): string {
  let base = (import.meta as { env?: { BASE_URL?: string } }).env?.BASE_URL ?? '/';
  if (!base.endsWith('/')) base += '/';
  if (base.startsWith('.') && typeof document !== 'undefined') base = new URL(base, document.baseURI).href;
  return base;
}

const trimSlash = (s: string) => s.replace(/\/+$/, '');

/** Where the wasm fileset and the .task bundles are served, without a trailing slash (see assetBaseUrl). */
export function poseAssetBases(): { wasmBase: string; modelBase: string } {
  const base = assetBaseUrl();
  return { wasmBase: `${base}wasm/mediapipe`, modelBase: `${base}models/pose` };
}

/** The .task bundle of `variant` under `modelBase`. */
export const poseModelUrl = (modelBase: string, variant: PoseModelVariant) =>
  `${trimSlash(modelBase)}/pose_landmarker_${variant}.task`;

/**
 * Where each clip's timestamps start in MediaPipe's time: after the previous clip's last one (its
 * graph wants them increasing even across a reset) plus this gap, and never at 0 (a stream starting
 * at 0 smooths its first frames differently), so a clip gets the same landmarks whatever ran before.
 */
const CLIP_GAP_MS = 10_000;

function toLandmarks(xs: readonly { x: number; y: number; z: number; visibility?: number }[]): Landmark[] {
  return xs.map((l) => ({ x: l.x, y: l.y, z: l.z, visibility: l.visibility ?? 0 }));
}

/** The WebGL2 renderer string when a context can be made, else null (no WebGL2 at all). */
export function webglRenderer(): string | null {
  try {
    const canvas =
      typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(1, 1) : document.createElement('canvas');
    const gl = canvas.getContext('webgl2') as WebGL2RenderingContext | null;
    if (!gl) return null;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const name = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return name;
  } catch {
    return null;
  }
}

/**
 * Have tasks-vision's next module instantiate `module` rather than fetch and compile its wasm: it passes
 * `self.Module` to the Emscripten loader (then clears it), and Emscripten's documented `instantiateWasm`
 * hook hands over the instance. The hook has no way to fail, so if `module` does not fit it compiles
 * `wasmUrl` as the loader would have, and if that fails too the error is thrown where the worker reports it.
 */
function instantiateCompiledWasm(module: WebAssembly.Module, wasmUrl: string): void {
  type Receive = (instance: WebAssembly.Instance, module: WebAssembly.Module) => void;
  (self as unknown as { Module?: object }).Module = {
    instantiateWasm(imports: WebAssembly.Imports, receive: Receive) {
      WebAssembly.instantiate(module, imports)
        .then((instance) => receive(instance, module))
        .catch(async (err: unknown) => {
          console.warn('[pose] the shared wasm module did not fit; compiling our own:', err);
          const r = await WebAssembly.instantiateStreaming(fetch(wasmUrl), imports);
          receive(r.instance, r.module);
        })
        .catch((err: unknown) => {
          // The loader would wait forever: fail the worker instead (its 'error' event fails its start).
          setTimeout(() => {
            throw err;
          });
        });
      return {}; // "instantiating asynchronously"
    },
  };
}

const SOFTWARE_GL = /swiftshader|llvmpipe|softpipe|software|microsoft basic render/i;

export class PoseLandmarkerRunner {
  private lastTs = -Infinity;
  private tsOffset = CLIP_GAP_MS;
  private previous: Landmark[] | null = null;
  /** Frames went through MediaPipe since the last reset (its graph holds tracking state). */
  private tracking = false;
  private closed = false;

  private constructor(
    private landmarker: PoseLandmarker,
    private readonly numPoses: number,
    readonly variant: PoseModelVariant,
    readonly modelAssetPath: string,
    /** The delegate actually in use. */
    readonly delegate: 'GPU' | 'CPU',
    /** Why this delegate (for the status bar / logs). */
    readonly delegateReason: string,
  ) {}

  static async create(opts: PoseLandmarkerRunnerOptions): Promise<PoseLandmarkerRunner> {
    const wasmBase = trimSlash(opts.wasmBase ?? poseAssetBases().wasmBase);
    const modelAssetPath =
      opts.modelAssetPath ?? poseModelUrl(opts.modelBase ?? poseAssetBases().modelBase, opts.variant);
    const fileset = await FilesetResolver.forVisionTasks(wasmBase, opts.moduleLoader ?? false);
    const numPoses = opts.numPoses ?? 1;
    const make = (delegate: 'GPU' | 'CPU') => {
      if (opts.wasmModule) instantiateCompiledWasm(opts.wasmModule, String(fileset.wasmBinaryPath));
      return PoseLandmarker.createFromOptions(fileset, {
        baseOptions: opts.modelAssetBuffer
          ? { modelAssetBuffer: opts.modelAssetBuffer, delegate }
          : { modelAssetPath, delegate },
        runningMode: 'VIDEO',
        numPoses,
        minPoseDetectionConfidence: opts.minPoseDetectionConfidence ?? 0.5,
        minPosePresenceConfidence: opts.minPosePresenceConfidence ?? 0.5,
        minTrackingConfidence: opts.minTrackingConfidence ?? 0.5,
        outputSegmentationMasks: false,
      });
    };

    const choice = opts.delegate ?? 'auto';
    if (choice === 'CPU')
      return new PoseLandmarkerRunner(
        await make('CPU'),
        numPoses,
        opts.variant,
        modelAssetPath,
        'CPU',
        'CPU requested',
      );

    let reason: string;
    const renderer = webglRenderer();
    if (choice === 'auto' && renderer === null) reason = 'no WebGL2: CPU';
    else if (choice === 'auto' && SOFTWARE_GL.test(renderer ?? ''))
      reason = `software WebGL (${renderer}): CPU is faster`;
    else {
      let gpu: PoseLandmarker | null = null;
      try {
        gpu = await make('GPU');
        // A delegate can load and still fail on first use: run one tiny frame before trusting it.
        const probe = new ImageData(64, 64);
        gpu.detectForVideo(probe, 0);
        const runner = new PoseLandmarkerRunner(
          gpu,
          numPoses,
          opts.variant,
          modelAssetPath,
          'GPU',
          `GPU delegate on ${renderer ?? 'unknown renderer'}`,
        );
        runner.lastTs = 0; // the probe used timestamp 0
        return runner;
      } catch (e) {
        try {
          gpu?.close();
        } catch {
          /* already broken */
        }
        reason = `GPU delegate failed (${(e as Error).message ?? e}): CPU`;
        if (choice === 'GPU') console.warn('[pose] ' + reason);
      }
    }
    return new PoseLandmarkerRunner(await make('CPU'), numPoses, opts.variant, modelAssetPath, 'CPU', reason);
  }

  /**
   * Landmarks of one person in `image`, or null when there is none.
   * `timestampMs` is the frame's time in its clip. MediaPipe gets `timestampMs + offset` (see
   * CLIP_GAP_MS), bumped to last + 1 if that is not strictly greater than the previous call's (so
   * repeated or out-of-order frames never throw). Call `reset()` between clips.
   */
  detect(image: PoseImage, timestampMs: number): PoseFrame | null {
    if (this.closed) throw new Error('PoseLandmarkerRunner is closed');
    let ts = Math.round((timestampMs + this.tsOffset) * 1000) / 1000;
    if (!(ts > this.lastTs)) ts = this.lastTs + 1;
    this.lastTs = ts;
    this.tracking = true;
    const res: PoseLandmarkerResult = this.landmarker.detectForVideo(image, ts);
    try {
      const poses = res.landmarks.map(toLandmarks);
      const i = selectPerson(poses, this.previous);
      if (i < 0) {
        this.previous = null;
        return null;
      }
      const landmarks = poses[i]!;
      const worldLandmarks = toLandmarks(res.worldLandmarks[i] ?? []);
      this.previous = landmarks;
      return { landmarks, worldLandmarks, timestampMs: ts, numPoses: poses.length };
    } finally {
      res.close?.();
    }
  }

  /**
   * Start a new clip. MediaPipe itself forgets the tracked person and its landmark smoothing
   * (setOptions rebuilds its graph, ≈20 ms here): otherwise a clip's first frame is looked for where
   * the person stood in the previous clip, and comes back empty when they stand elsewhere; its
   * landmark smoothing would also carry over. A no-op when nothing ran since the last reset.
   */
  async reset(): Promise<void> {
    this.previous = null;
    if (!this.tracking) return;
    this.tracking = false;
    this.tsOffset = this.lastTs + CLIP_GAP_MS;
    await this.landmarker.setOptions({});
  }

  /**
   * Everyone in each image, up to `numPoses` (the two-people check): IMAGE mode, the detector on every
   * image, no tracking. This landmarker switches to that mode for the call and back, rather than a second
   * landmarker being kept for it: each one costs ≈2 s of CPU to start and ≈1.5 s to warm up here. Switching
   * rebuilds MediaPipe's graph (≈20 ms each way), which also ends the clip being tracked, as `reset()` does.
   */
  async detectPeople(images: PoseImage[], numPoses = 2): Promise<Landmark[][][]> {
    if (this.closed) throw new Error('PoseLandmarkerRunner is closed');
    await this.landmarker.setOptions({ runningMode: 'IMAGE', numPoses });
    try {
      return images.map((image) => {
        const res = this.landmarker.detect(image);
        try {
          return res.landmarks.map(toLandmarks);
        } finally {
          res.close?.();
        }
      });
    } finally {
      await this.landmarker.setOptions({ runningMode: 'VIDEO', numPoses: this.numPoses });
      // A new clip follows. IMAGE mode stamped its calls with MediaPipe's last timestamp + 1 each.
      this.previous = null;
      this.tracking = false;
      this.lastTs = Math.max(this.lastTs, 0) + images.length;
      this.tsOffset = this.lastTs + CLIP_GAP_MS;
    }
  }

  /** The last timestamp given to MediaPipe (ms), -Infinity before the first call. */
  get lastTimestampMs(): number {
    return this.lastTs;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.previous = null;
    this.landmarker.close();
  }
}

let pageRunner: { runner: Promise<PoseLandmarkerRunner>; variant: PoseModelVariant } | null = null;

/** One landmarker per variant on the page (live view, previews), kept for the session: creating one costs ~1 s. */
export function landmarkerFor(variant: PoseModelVariant): Promise<PoseLandmarkerRunner> {
  if (pageRunner && pageRunner.variant === variant) return pageRunner.runner;
  pageRunner?.runner.then(
    (r) => r.close(),
    () => undefined,
  );
  const runner = PoseLandmarkerRunner.create({ variant });
  pageRunner = { runner, variant };
  runner.catch(() => {
    if (pageRunner?.runner === runner) pageRunner = null;
  });
  return runner;
}
