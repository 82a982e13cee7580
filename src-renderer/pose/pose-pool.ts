/**
 * Keypoint extraction's pose engine: a pool of pose workers (one landmarker each, off the page's
 * thread). A clip is either split into contiguous runs, one per worker, so it takes about 1/k of the
 * time on k cores, or (in a job with more clips to come) run whole on the next free worker; runs wait
 * in one queue and a worker takes the next as soon as it is done. The UI never waits on the model.
 * When workers cannot run the model (an old browser), one landmarker on the page does the same work.
 */
import { PoseLandmarkerRunner, poseAssetBases } from './landmarker';
import { detectClip, detectPeople, type ClipPose } from './clip-detect';
import type { FromPoseWorker, ToPoseWorker } from './pose-protocol';
import { loadPoseAssets, type PoseAssets } from './shared-assets';
import type { Landmark, PoseModelVariant } from '../../src-shared/keypoints/format';

/** One live frame's pose, from a worker. */
export interface FramePose {
  landmarks: Landmark[] | null;
  detectMs: number;
  /** The timestamp the frame was offered with (results of two workers can arrive out of order). */
  timestampMs: number;
}

export interface ClipDetector {
  readonly variant: PoseModelVariant;
  /** 'CPU' / 'GPU', with how many workers (e.g. "CPU × 2 workers"). */
  readonly description: string;
  readonly delegate: 'GPU' | 'CPU';
  /** Clips it can run at once (its workers; 1 on the page). */
  readonly parallelism: number;
  /**
   * Pose of one clip's frames. By default the clip is split between the workers (soonest result);
   * `whole` runs it on the next free worker, for jobs with more clips queued: each clip then pays
   * the detector and the tracking reset once, not once per worker. `onFrame` is called as each frame is done.
   */
  detect(
    urls: string[],
    timestampsMs: number[],
    signal?: AbortSignal,
    opts?: { whole?: boolean; onFrame?: () => void },
  ): Promise<ClipPose>;
  /** Everyone in each frame, up to two (the two-people check: IMAGE mode on one of the same landmarkers). */
  detectPeople(urls: string[], signal?: AbortSignal): Promise<Landmark[][][]>;
  /**
   * Live frames (workers only): hands `source`'s current picture to an idle worker and resolves with
   * its pose; null when every worker is still busy (the caller skips this frame).
   */
  offerFrame?(source: HTMLVideoElement, timestampMs: number): Promise<FramePose> | null;
  close(): void;
}

/** Workers to use: one per core, at most 4 (more splits a 24-frame clip too finely to gain). */
export function defaultPoolSize(): number {
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 1 : 1;
  return Math.max(1, Math.min(4, cores));
}

interface Pending {
  resolve(p: ClipPose | Omit<FramePose, 'timestampMs'> | Landmark[][][]): void;
  reject(e: Error): void;
  onFrame?: () => void;
}

class PoseWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  delegate: 'GPU' | 'CPU' = 'CPU';
  delegateReason = '';
  /** A live frame is on its way to this worker (one at a time, so latency never builds up). */
  frameBusy = false;

  private constructor() {
    this.worker = new Worker(new URL('./pose.worker.ts', import.meta.url), { type: 'module', name: 'pose' });
  }

  /** `assets` may still be loading: the worker's own script loads meanwhile, and its init waits for them. */
  static async start(variant: PoseModelVariant, assets: Promise<PoseAssets | null>): Promise<PoseWorker> {
    const w = new PoseWorker();
    await new Promise<void>((resolve, reject) => {
      w.worker.onerror = (e) => reject(new Error(`pose worker failed to start: ${e.message || 'script error'}`));
      w.worker.onmessage = (e: MessageEvent<FromPoseWorker>) => {
        const m = e.data;
        if (m.type === 'ready') {
          w.delegate = m.delegate;
          w.delegateReason = m.delegateReason;
          resolve();
        } else if (m.type === 'init-failed') reject(new Error(m.message));
      };
      void assets.then((a) => w.post({ type: 'init', variant, ...poseAssetBases(), ...(a ? { assets: a } : {}) }));
    }).catch((err) => {
      w.worker.terminate();
      throw err;
    });
    w.worker.onmessage = (e: MessageEvent<FromPoseWorker>) => w.onMessage(e.data);
    w.worker.onerror = (e) => w.failAll(new Error(`pose worker crashed: ${e.message || 'script error'}`));
    return w;
  }

  private post(m: ToPoseWorker, transfer: Transferable[] = []) {
    this.worker.postMessage(m, transfer);
  }

  private onMessage(m: FromPoseWorker) {
    if (m.type === 'ready' || m.type === 'init-failed') return;
    const p = this.pending.get(m.id);
    if (!p) return; // cancelled meanwhile
    if (m.type === 'clip-frame') return p.onFrame?.();
    this.pending.delete(m.id);
    if (m.type === 'clip') p.resolve({ frames: m.frames, world: m.world, detectMs: m.detectMs });
    else if (m.type === 'people') p.resolve(m.poses);
    else if (m.type === 'frame') p.resolve({ landmarks: m.landmarks, detectMs: m.detectMs });
    else p.reject(new Error(m.message));
  }

  private failAll(err: Error) {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  detectFrame(image: ImageBitmap, timestampMs: number): Promise<Omit<FramePose, 'timestampMs'>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as Pending['resolve'], reject });
      this.post({ type: 'frame', id, image, timestampMs }, [image]);
    });
  }

  detect(urls: string[], timestampsMs: number[], signal?: AbortSignal, onFrame?: () => void): Promise<ClipPose> {
    return this.request((id) => ({ type: 'clip', id, urls, timestampsMs }), signal, onFrame);
  }

  detectPeople(urls: string[], signal?: AbortSignal): Promise<Landmark[][][]> {
    return this.request((id) => ({ type: 'people', id, urls }), signal);
  }

  /** One clip or check on this worker; a cancel drops it in the worker, queued or running. */
  private request<T>(message: (id: number) => ToPoseWorker, signal?: AbortSignal, onFrame?: () => void): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        if (!this.pending.delete(id)) return;
        this.post({ type: 'cancel', id }); // the worker drops it, queued or running, and goes on
        reject(new DOMException('Cancelled', 'AbortError'));
      };
      const settle = () => signal?.removeEventListener('abort', onAbort); // a job's signal outlives its clips
      this.pending.set(id, {
        onFrame,
        resolve: (p) => {
          settle();
          resolve(p as T);
        },
        reject: (e) => {
          settle();
          reject(e);
        },
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      this.post(message(id));
    });
  }

  close() {
    this.failAll(new Error('pose worker closed'));
    this.worker.terminate();
  }
}

/** A clip run or a check waiting for a free worker. */
interface Task {
  work(w: PoseWorker): Promise<unknown>;
  signal?: AbortSignal;
  resolve(value: unknown): void;
  reject(e: unknown): void;
  dropOnCancel(): void;
}

class WorkerPool implements ClipDetector {
  /** Clip runs and checks waiting for a free worker; a worker takes the next one as soon as it is done. */
  private readonly queue: Task[] = [];
  private readonly busy = new Set<PoseWorker>();

  constructor(
    readonly variant: PoseModelVariant,
    private readonly workers: PoseWorker[],
  ) {}

  get delegate() {
    return this.workers[0].delegate;
  }

  get description() {
    return `${this.delegate} × ${this.workers.length} worker${this.workers.length === 1 ? '' : 's'}`;
  }

  get parallelism() {
    return this.workers.length;
  }

  async detect(
    urls: string[],
    timestampsMs: number[],
    signal?: AbortSignal,
    opts?: { whole?: boolean; onFrame?: () => void },
  ): Promise<ClipPose> {
    if (opts?.whole) return this.run(urls, timestampsMs, signal, opts.onFrame);
    // Contiguous runs keep neighbouring frames on one landmarker, so its tracking still helps.
    const k = Math.min(this.workers.length, Math.max(1, urls.length));
    const size = Math.ceil(urls.length / k);
    const parts = await Promise.all(
      Array.from({ length: k }, (_, j) =>
        this.run(
          urls.slice(j * size, (j + 1) * size),
          timestampsMs.slice(j * size, (j + 1) * size),
          signal,
          opts?.onFrame,
        ),
      ),
    );
    return {
      frames: parts.flatMap((p) => p.frames),
      world: parts.flatMap((p) => p.world),
      detectMs: parts.reduce((s, p) => s + p.detectMs, 0),
    };
  }

  detectPeople(urls: string[], signal?: AbortSignal): Promise<Landmark[][][]> {
    // First in the queue: it is short, and its clip is saved only after it.
    return this.enqueue((w) => w.detectPeople(urls, signal), signal, { first: true });
  }

  private run(urls: string[], timestampsMs: number[], signal?: AbortSignal, onFrame?: () => void): Promise<ClipPose> {
    return this.enqueue((w) => w.detect(urls, timestampsMs, signal, onFrame), signal);
  }

  private enqueue<T>(
    work: (w: PoseWorker) => Promise<T>,
    signal?: AbortSignal,
    opts?: { first?: boolean },
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const task: Task = {
        work,
        signal,
        resolve: resolve as (value: unknown) => void,
        reject,
        // While queued, a cancel drops it here; once running, PoseWorker cancels it in the worker.
        dropOnCancel: () => {
          this.queue.splice(this.queue.indexOf(task), 1);
          reject(new DOMException('Cancelled', 'AbortError'));
        },
      };
      if (opts?.first) this.queue.unshift(task);
      else this.queue.push(task);
      signal?.addEventListener('abort', task.dropOnCancel, { once: true });
      this.pump();
    });
  }

  private pump() {
    for (const w of this.workers) {
      if (this.busy.has(w)) continue;
      const task = this.queue.shift();
      if (!task) return;
      task.signal?.removeEventListener('abort', task.dropOnCancel);
      this.busy.add(w);
      task
        .work(w)
        .then(task.resolve, task.reject)
        .finally(() => {
          this.busy.delete(w);
          this.pump();
        });
    }
  }

  offerFrame(source: HTMLVideoElement, timestampMs: number): Promise<FramePose> | null {
    const w = this.workers.find((x) => !x.frameBusy);
    if (!w) return null;
    w.frameBusy = true;
    // The copy is taken now (this frame); the worker gets it without another copy (transfer).
    return createImageBitmap(source)
      .then((image) => w.detectFrame(image, timestampMs))
      .then((r) => ({ ...r, timestampMs }))
      .finally(() => (w.frameBusy = false));
  }

  close() {
    for (const w of this.workers) w.close();
  }
}

class PageDetector implements ClipDetector {
  constructor(
    readonly variant: PoseModelVariant,
    private readonly runner: PoseLandmarkerRunner,
    private readonly why: string,
  ) {}

  get delegate() {
    return this.runner.delegate;
  }

  get description() {
    return `${this.delegate} on the page (${this.why})`;
  }

  readonly parallelism = 1;

  detect(
    urls: string[],
    timestampsMs: number[],
    signal?: AbortSignal,
    opts?: { onFrame?: () => void },
  ): Promise<ClipPose> {
    return detectClip(this.runner, urls, timestampsMs, signal, opts?.onFrame);
  }

  detectPeople(urls: string[], signal?: AbortSignal): Promise<Landmark[][][]> {
    return detectPeople(this.runner, urls, signal);
  }

  close() {
    this.runner.close();
  }
}

export async function createClipDetector(variant: PoseModelVariant, size = defaultPoolSize()): Promise<ClipDetector> {
  let why = size === 0 ? 'asked for no workers' : 'no Worker support';
  if (typeof Worker !== 'undefined' && size > 0) {
    // One compile and one model fetch for all the workers; if that fails, each worker loads its own.
    const { wasmBase, modelBase } = poseAssetBases();
    const assets = loadPoseAssets(variant, wasmBase, modelBase).catch((err: unknown) => {
      console.warn('[pose] loading the pose assets once for all workers failed; each loads its own:', err);
      return null;
    });
    const started = await Promise.allSettled(Array.from({ length: size }, () => PoseWorker.start(variant, assets)));
    const ok = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    if (ok.length > 0) return new WorkerPool(variant, ok);
    const err = started.find((s): s is PromiseRejectedResult => s.status === 'rejected')?.reason as Error | undefined;
    console.warn(`[pose] workers unavailable, extracting on the page: ${err?.message ?? 'unknown'}`);
    why = 'workers unavailable';
  }
  return new PageDetector(variant, await PoseLandmarkerRunner.create({ variant }), why);
}

/** Detectors kept for the session, most recently used last (live and extraction may use different variants). */
const kept = new Map<string, Promise<ClipDetector>>();
const KEEP = 2;

/**
 * One detector per variant and pool size, kept for the session: starting one costs about a second.
 * Two are kept (e.g. extraction with heavy while the live view runs full); asking for a third closes the
 * least recently used. `size` 0 runs the model on the page (benchmarks compare it with the pool).
 */
export function clipDetectorFor(variant: PoseModelVariant, size = defaultPoolSize()): Promise<ClipDetector> {
  const key = `${variant}/${size}`;
  let detector = kept.get(key);
  if (detector) kept.delete(key);
  else {
    detector = createClipDetector(variant, size);
    const started = detector;
    started.catch(() => {
      if (kept.get(key) === started) kept.delete(key);
    });
  }
  kept.set(key, detector);
  while (kept.size > KEEP) {
    const [oldest, old] = kept.entries().next().value!;
    kept.delete(oldest);
    old.then(
      (d) => d.close(),
      () => undefined,
    );
  }
  return detector;
}
