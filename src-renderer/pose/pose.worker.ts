/**
 * A pose worker: one landmarker off the page's thread. tasks-vision loads in a module worker through
 * its ES-module wasm loader (FilesetResolver with useModule: no importScripts there).
 */
import { PoseLandmarkerRunner } from './landmarker';
import { detectClip, detectPeople } from './clip-detect';
import type { FromPoseWorker, ToPoseWorker } from './pose-protocol';

let runner: PoseLandmarkerRunner | null = null;
const post = (m: FromPoseWorker) => (self as unknown as Worker).postMessage(m);
// One message at a time: a clip never overlaps another on the same landmarker.
let chain: Promise<void> = Promise.resolve();

// Clips queued or running, by id. A cancel is handled on arrival (between frames), not queued.
const clips = new Map<number, AbortController>();

self.onmessage = (e: MessageEvent<ToPoseWorker>) => {
  const m = e.data;
  if (m.type === 'cancel') {
    clips.get(m.id)?.abort();
    return;
  }
  const clip = m.type === 'clip' || m.type === 'people' ? new AbortController() : null; // not one per live frame
  if (clip && (m.type === 'clip' || m.type === 'people')) clips.set(m.id, clip);
  chain = chain.then(async () => {
    if (m.type === 'init') {
      try {
        runner = await PoseLandmarkerRunner.create({
          variant: m.variant,
          wasmBase: m.wasmBase,
          modelBase: m.modelBase,
          moduleLoader: true,
          wasmModule: m.assets?.wasmModule,
          modelAssetBuffer: m.assets ? new Uint8Array(m.assets.modelBuffer) : undefined,
        });
        post({ type: 'ready', delegate: runner.delegate, delegateReason: runner.delegateReason });
      } catch (err) {
        post({ type: 'init-failed', message: (err as Error).message ?? String(err) });
      }
    } else if (m.type === 'frame') {
      try {
        if (!runner) throw new Error('pose worker not initialised');
        const t0 = performance.now();
        const pose = runner.detect(m.image, m.timestampMs);
        post({ type: 'frame', id: m.id, landmarks: pose?.landmarks ?? null, detectMs: performance.now() - t0 });
      } catch (err) {
        post({ type: 'frame-failed', id: m.id, message: (err as Error).message ?? String(err) });
      } finally {
        m.image.close();
      }
    } else if (m.type === 'people') {
      try {
        if (!runner) throw new Error('pose worker not initialised');
        post({ type: 'people', id: m.id, poses: await detectPeople(runner, m.urls, clip?.signal) });
      } catch (err) {
        post({ type: 'clip-failed', id: m.id, message: (err as Error).message ?? String(err) });
      } finally {
        clips.delete(m.id);
      }
    } else if (m.type === 'clip') {
      try {
        if (!runner) throw new Error('pose worker not initialised');
        const onFrame = () => post({ type: 'clip-frame', id: m.id });
        post({ type: 'clip', id: m.id, ...(await detectClip(runner, m.urls, m.timestampsMs, clip?.signal, onFrame)) });
      } catch (err) {
        post({ type: 'clip-failed', id: m.id, message: (err as Error).message ?? String(err) });
      } finally {
        clips.delete(m.id);
      }
      // Forget this clip's person now, while the page saves, rather than when the next clip starts.
      await runner?.reset().catch(() => undefined);
    }
  });
};
