/**
 * Training state on the page: the worker's live metrics, the run list, the run shown in the charts.
 * Module-level (zustand), so training keeps going and stays visible while the user switches views.
 */
import { create } from 'zustand';
import { api } from '../api/client';
import { useApp } from '../app/store';
import { ApiError } from '../../src-shared/api/errors';
import {
  type EpochRecord,
  type RunDetail,
  type RunSummary,
  type TrainingData,
  type TrainingSettings,
} from '../../src-shared/api/training-contract';
import { OUT_OF_MEMORY_ADVICE, isOutOfMemory, type RunResult, type RunSettings } from '../../src-shared/training/run';
import type { ApiName } from '../../src-shared/api/contract';
import type { BackendReport, FromWorker, ToWorker } from './protocol';

export type Phase = 'idle' | 'starting' | 'training' | 'stopping' | 'finishing';

export interface BatchPoint {
  x: number;
  loss: number;
  mae: number;
}

interface TrainingState {
  phase: Phase;
  status: string;
  backend: BackendReport | null;
  runId: number | null;
  settings: TrainingSettings | null;
  split: { train: number; val: number; batchesPerEpoch: number } | null;
  history: EpochRecord[];
  batches: BatchPoint[];
  samplesPerSec: number | null;
  batchPos: { epoch: number; batch: number; of: number } | null;
  startedAt: number | null;
  lastCheckpoint: number | null;
  /** k-fold: each fold's epochs so far (index = fold − 1), and the fold being trained (null once the final model trains). */
  folds: EpochRecord[][];
  foldPos: { fold: number; k: number } | null;
  error: string | null;
  result: RunResult | null;
  data: TrainingData | null;
  runs: RunSummary[];
  /** Run shown when not training (detail incl. evaluation). */
  viewed: RunDetail | null;
  compare: RunDetail | null;
  loadData(numFrames: number): Promise<void>;
  loadRuns(): Promise<void>;
  viewRun(runId: number | null): Promise<void>;
  compareWith(runId: number | null): Promise<void>;
  start(settings: RunSettings, resumeRunId?: number): void;
  stop(): void;
}

let worker: Worker | null = null;
const SMOOTH = 0.8;
const BATCH_DRAW_MS = 500;

function wasmBase(): string {
  return new URL('wasm/tfjs/', document.baseURI).href;
}

export const useTraining = create<TrainingState>((set, get) => ({
  phase: 'idle',
  status: '',
  backend: null,
  runId: null,
  settings: null,
  split: null,
  history: [],
  batches: [],
  samplesPerSec: null,
  batchPos: null,
  startedAt: null,
  lastCheckpoint: null,
  folds: [],
  foldPos: null,
  error: null,
  result: null,
  data: null,
  runs: [],
  viewed: null,
  compare: null,

  async loadData(numFrames) {
    try {
      set({ data: await api.call('training.data', { numFrames }) });
    } catch (err) {
      set({ error: (err as Error).message });
    }
  },
  async loadRuns() {
    try {
      set({ runs: await api.call('runs.list', {}) });
    } catch (err) {
      set({ error: (err as Error).message });
    }
  },
  async viewRun(runId) {
    if (runId === null) return set({ viewed: null });
    const detail = await api.call('runs.get', { runId });
    // The run just trained keeps its live curve's array: same records, so the charts need not redraw them.
    const h = get().history;
    const same =
      detail.run.id === get().runId &&
      detail.metrics.length === h.length &&
      detail.metrics.every((m, i) => m.epoch === h[i].epoch && m.loss === h[i].loss);
    set({ viewed: same ? { ...detail, metrics: h } : detail });
  },
  async compareWith(runId) {
    if (runId === null) return set({ compare: null });
    set({ compare: await api.call('runs.get', { runId }) });
  },

  start(settings, resumeRunId) {
    if (worker) return;
    set({
      phase: 'starting',
      status: resumeRunId ? `Resuming run ${resumeRunId}…` : 'Starting…',
      error: null,
      result: null,
      history: [],
      batches: [],
      batchPos: null,
      samplesPerSec: null,
      runId: null,
      viewed: null,
      startedAt: performance.now(),
      lastCheckpoint: null,
      folds: [],
      foldPos: null,
    });
    const w = new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module' });
    worker = w;
    let ema: { loss: number; mae: number } | null = null;
    let pending: BatchPoint[] = [];
    let sps: number | null = null;
    let pos: TrainingState['batchPos'] = null;
    let flushTimer: ReturnType<typeof setTimeout> | null = null;
    const flushBatches = () => {
      if (flushTimer) clearTimeout(flushTimer);
      flushTimer = null;
      if (!pending.length) return;
      let batches = [...get().batches, ...pending];
      pending = [];
      while (batches.length > 1500) batches = batches.filter((_, i) => i % 2 === 0);
      set({ batches, batchPos: pos, samplesPerSec: sps });
    };
    const finish = () => {
      flushBatches();
      w.terminate(); // frees the backend's memory (WASM heaps only grow)
      if (worker === w) worker = null;
      void get().loadRuns();
      void useApp.getState().refreshProject();
    };
    w.onerror = (e) => {
      set({ phase: 'idle', error: `The training worker failed: ${e.message || 'unknown error'}` });
      finish();
    };
    w.onmessage = (e: MessageEvent<FromWorker>) => {
      const m = e.data;
      switch (m.type) {
        case 'call':
          void api.call(m.name as ApiName, m.input as never).then(
            (value) => w.postMessage({ type: 'reply', id: m.id, ok: true, value } satisfies ToWorker),
            (err: unknown) =>
              w.postMessage({
                type: 'reply',
                id: m.id,
                ok: false,
                error:
                  err instanceof ApiError
                    ? err.toBody()
                    : { code: 'internal', message: String((err as Error)?.message ?? err) },
              } satisfies ToWorker),
          );
          break;
        case 'backend':
          set({ backend: m.report });
          break;
        case 'status':
          set({
            status: m.text,
            ...(get().phase === 'training' && /^Saving|^Predicting/.test(m.text)
              ? { phase: 'finishing' as Phase }
              : {}),
          });
          break;
        case 'run':
          set({
            runId: m.runId,
            settings: m.settings,
            history: m.history,
            split: { train: m.train, val: m.val, batchesPerEpoch: m.batchesPerEpoch },
            phase: get().phase === 'stopping' ? 'stopping' : 'training',
          });
          void get().loadRuns();
          break;
        case 'batch': {
          const b = m.m;
          ema = ema
            ? { loss: SMOOTH * ema.loss + (1 - SMOOTH) * b.loss, mae: SMOOTH * ema.mae + (1 - SMOOTH) * b.mae }
            : { loss: b.loss, mae: b.mae };
          pending.push({ x: b.epoch - 1 + b.batch / b.batchesPerEpoch, loss: ema.loss, mae: ema.mae });
          sps = sps === null ? b.samplesPerSec : 0.8 * sps + 0.2 * b.samplesPerSec;
          pos = { epoch: b.epoch, batch: b.batch, of: b.batchesPerEpoch };
          // Fast batches arrive many per second: the page draws them at most a few times a second.
          flushTimer ??= setTimeout(flushBatches, BATCH_DRAW_MS);
          break;
        }
        case 'epoch':
          flushBatches();
          set({ foldPos: null, history: [...get().history.filter((h) => h.epoch < m.m.epoch), m.m] });
          break;
        case 'fold':
          set({ foldPos: { fold: m.fold, k: m.k }, folds: [...get().folds.slice(0, m.fold - 1), []] });
          break;
        case 'fold-epoch': {
          const folds = [...get().folds];
          folds[m.fold - 1] = [...(folds[m.fold - 1] ?? []), m.m];
          set({ folds });
          break;
        }
        case 'checkpoint':
          set({ lastCheckpoint: m.epoch });
          break;
        case 'done':
          set({
            phase: 'idle',
            result: m.result,
            status: `${m.result.status === 'cancelled' ? 'Stopped' : 'Finished'}: ${m.result.message}`,
          });
          finish();
          void get().viewRun(m.result.runId);
          useApp
            .getState()
            .toast(
              'info',
              `Run ${m.result.runId} ${m.result.status === 'cancelled' ? 'stopped' : 'finished'}${m.result.bestValMae !== null ? `: best val MAE ${m.result.bestValMae.toFixed(2)}` : ''}`,
            );
          break;
        case 'error': {
          const msg =
            isOutOfMemory(m.message) && !m.message.startsWith(OUT_OF_MEMORY_ADVICE)
              ? `${OUT_OF_MEMORY_ADVICE} (${m.message})`
              : m.message;
          set({ phase: 'idle', error: msg, status: '' });
          finish();
          break;
        }
      }
    };
    w.postMessage({
      type: 'start',
      settings,
      resumeRunId,
      wasmBase: wasmBase(),
      direct: api.mode === 'browser',
    } satisfies ToWorker);
  },

  stop() {
    if (!worker) return;
    set({ phase: 'stopping', status: 'Stopping after this batch…' });
    worker.postMessage({ type: 'stop' } satisfies ToWorker);
  },
}));
