/** Messages between the Training view and its Web Worker (all tf work happens in the worker). */
import type { BatchMetrics } from '../../src-shared/model/train';
import type { EpochRecord, TrainingSettings } from '../../src-shared/api/training-contract';
import type { RunResult, RunSettings } from '../../src-shared/training/run';
import type { ApiErrorBody } from '../../src-shared/api/errors';

export type ToWorker =
  /** `direct`: the worker calls the web host itself (browser mode); otherwise its calls go through the page (IPC). */
  | { type: 'start'; settings: RunSettings; resumeRunId?: number; wasmBase: string; direct: boolean }
  | { type: 'stop' }
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: ApiErrorBody };

export interface BackendReport {
  name: 'webgpu' | 'webgl' | 'wasm' | 'cpu';
  /** Adapter / renderer / threads, as found. */
  detail: string;
  /** Why faster backends were not used. */
  skipped: string[];
}

export type FromWorker =
  | { type: 'call'; id: number; name: string; input: unknown }
  | { type: 'backend'; report: BackendReport }
  | { type: 'status'; text: string }
  | {
      type: 'run';
      runId: number;
      settings: TrainingSettings;
      history: EpochRecord[];
      train: number;
      val: number;
      batchesPerEpoch: number;
    }
  | { type: 'batch'; m: BatchMetrics }
  | { type: 'epoch'; m: EpochRecord }
  | { type: 'checkpoint'; epoch: number }
  | { type: 'fold'; fold: number; k: number }
  | { type: 'fold-epoch'; fold: number; m: EpochRecord }
  | { type: 'done'; result: RunResult }
  | { type: 'error'; message: string; problem: boolean };
