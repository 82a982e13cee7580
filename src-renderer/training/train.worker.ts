/// <reference lib="webworker" />
/**
 * The training worker: picks a tfjs backend by capability (WebGPU with a real adapter → WebGL on a real GPU → WASM
 * → CPU; "CPU only" skips the GPU ones), then runs the shared training run. API calls are proxied through the
 * page (postMessage), so the worker works the same in Electron and in browser mode.
 */
import * as tf from '@tensorflow/tfjs';
import { trainModel, splitByGroup, predictWithSaved } from '../../src-shared/model';
import { runTraining, TrainingProblem } from '../../src-shared/training/run';
import { ApiError } from '../../src-shared/api/errors';
import { httpCall } from '../api/http-call';
import type { ApiName, ApiInput, ApiOutput } from '../../src-shared/api/contract';
import type { BackendReport, FromWorker, ToWorker } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

const post = (m: FromWorker) => self.postMessage(m);
let nextId = 0;
const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
let controller: AbortController | null = null;

let direct = false;

/** API calls: straight to the web host in browser mode (checkpoints of tens of MB never touch the page's thread), else via the page. */
async function invoke<K extends ApiName>(name: K, input: ApiInput<K>): Promise<ApiOutput<K>> {
  if (direct) {
    const r = await httpCall(name, input);
    if (!r.ok) throw ApiError.fromBody(r.error);
    return r.value as ApiOutput<K>;
  }
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
    post({ type: 'call', id, name, input });
  });
}

const SOFTWARE_GPU = /swiftshader|llvmpipe|softpipe|software|basic render|microsoft basic|mesa offscreen/i;

function webglRenderer(): string | null {
  try {
    const canvas = new OffscreenCanvas(1, 1);
    const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
    if (!gl) return null;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const r = ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return String(r);
  } catch {
    return null;
  }
}

interface GpuAdapterLike {
  isFallbackAdapter?: boolean;
  info?: { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean };
}

/** Can a nested classic worker importScripts() a blob: URL (what tfjs-wasm's pthread workers do)? */
function canImportBlobScripts(): Promise<boolean> {
  return new Promise((resolve) => {
    let w: Worker | null = null;
    const done = (ok: boolean) => {
      w?.terminate();
      resolve(ok);
    };
    try {
      const src = `try{importScripts(URL.createObjectURL(new Blob([''],{type:'text/javascript'})));postMessage(true)}catch(e){postMessage(false)}`;
      w = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })));
      w.onmessage = (e) => done(e.data === true);
      w.onerror = (e) => {
        e.preventDefault();
        done(false);
      };
      setTimeout(() => done(false), 3000);
    } catch {
      done(false);
    }
  });
}

async function chooseBackend(cpuOnly: boolean, wasmBase: string): Promise<BackendReport> {
  const skipped: string[] = [];
  if (cpuOnly) skipped.push('GPU backends: “CPU only” is on');
  else {
    const gpu = (self.navigator as unknown as { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } }).gpu;
    if (!gpu) skipped.push('WebGPU: not available in this browser');
    else {
      try {
        const adapter = await gpu.requestAdapter();
        const fallback = !!adapter && (adapter.isFallbackAdapter || adapter.info?.isFallbackAdapter);
        if (!adapter) skipped.push('WebGPU: no adapter');
        else if (fallback)
          skipped.push(
            `WebGPU: only a software fallback adapter (${adapter.info?.vendor || adapter.info?.architecture || 'unknown'}), slower than WASM`,
          );
        else {
          await import('@tensorflow/tfjs-backend-webgpu');
          if (await tf.setBackend('webgpu')) {
            await tf.ready();
            const i = adapter.info ?? {};
            return {
              name: 'webgpu',
              detail: [i.vendor, i.architecture, i.description].filter(Boolean).join(' ') || 'GPU adapter',
              skipped,
            };
          }
          skipped.push('WebGPU: backend failed to start');
        }
      } catch (err) {
        skipped.push(`WebGPU: ${(err as Error).message}`);
      }
    }
    const renderer = webglRenderer();
    if (!renderer) skipped.push('WebGL: not available');
    else if (SOFTWARE_GPU.test(renderer))
      skipped.push(`WebGL: software renderer (${renderer.slice(0, 80)}), slower than WASM`);
    else {
      try {
        if (await tf.setBackend('webgl')) {
          await tf.ready();
          return { name: 'webgl', detail: renderer, skipped };
        }
      } catch (err) {
        skipped.push(`WebGL: ${(err as Error).message}`);
      }
    }
  }
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(wasmBase);
    // Threads need SharedArrayBuffer (cross-origin isolation) and pthread workers that load blob: scripts.
    const blobScripts = self.crossOriginIsolated && (await canImportBlobScripts());
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', blobScripts);
    if (await tf.setBackend('wasm')) {
      await tf.ready();
      if (!self.crossOriginIsolated) skipped.push('WASM threads: the page is not cross-origin isolated');
      else if (!blobScripts)
        skipped.push('WASM threads: the page policy blocks the blob: scripts the pthread workers need');
      const threads = blobScripts ? `${wasm.getThreadsCount?.() ?? '?'} thread(s)` : '1 thread';
      return { name: 'wasm', detail: `WASM SIMD · ${threads}`, skipped };
    }
    skipped.push('WASM: backend failed to start');
  } catch (err) {
    skipped.push(`WASM: ${(err as Error).message}`);
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return { name: 'cpu', detail: 'pure JavaScript', skipped };
}

async function start(msg: Extract<ToWorker, { type: 'start' }>): Promise<void> {
  controller = new AbortController();
  direct = msg.direct;
  try {
    post({ type: 'status', text: 'Choosing a backend…' });
    const report = await chooseBackend(msg.settings.cpuOnly, msg.wasmBase);
    post({ type: 'backend', report });
    const result = await runTraining(
      msg.settings,
      {
        invoke,
        trainModel,
        splitByGroup,
        predict: predictWithSaved,
        backend: report.name,
      },
      {
        onStatus: (text) => post({ type: 'status', text }),
        onRun: (r) => post({ type: 'run', ...r }),
        onBatch: (m) => post({ type: 'batch', m }),
        onEpoch: (m) => post({ type: 'epoch', m }),
        onCheckpoint: (epoch) => post({ type: 'checkpoint', epoch }),
        onFold: (f) => post({ type: 'fold', fold: f.fold, k: f.k }),
        onFoldEpoch: (fold, m) => post({ type: 'fold-epoch', fold, m }),
      },
      { signal: controller.signal, resumeRunId: msg.resumeRunId },
    );
    post({ type: 'done', result });
  } catch (err) {
    const problem = err instanceof TrainingProblem || err instanceof ApiError;
    post({ type: 'error', message: err instanceof Error ? err.message : String(err), problem });
  }
}

self.onmessage = (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  if (msg.type === 'start') void start(msg);
  else if (msg.type === 'stop') controller?.abort();
  else if (msg.type === 'reply') {
    const w = waiting.get(msg.id);
    if (!w) return;
    waiting.delete(msg.id);
    if (msg.ok) w.resolve(msg.value);
    else w.reject(ApiError.fromBody(msg.error));
  }
};
