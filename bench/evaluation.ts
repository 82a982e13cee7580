/**
 * Evaluation benchmark: `evaluation.run` over 1,000 labeled videos with cached keypoints (standard model, 1,000
 * bootstrap resamples), through the real services (SQLite, keypoint cache, tfjs WASM). Target < 2 s.
 * Three ways, interleaved in the same run, each with wall and CPU seconds (CPU stays comparable on a loaded machine):
 *  - now: the LSTM inference fast path (src-shared/model/lstm-infer.ts) on this thread and a helper worker thread
 *    (src-main/models/predict-helper.ts);
 *  - one thread: the fast path without the worker (session 3);
 *  - training kernel: neither (before session 3).
 * Writes bench/results/evaluation.json.   npx tsx bench/evaluation.ts
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { Services } from '../src-main/services';
import { seedTrainingHome } from '../test/training/seed';
import { seedModel } from '../test/support/seed-model';
import { setLstmInferenceFastPath } from '../src-shared/model/lstm-infer';
import { predictBatches, setPredictWorker } from '../src-main/models/predict-helper';

const N = 1000;
const home = mkdtempSync(join(tmpdir(), 'fs-bench-eval-'));
try {
  const seeded = seedTrainingHome(home, N);
  await seedModel(home, 3);
  const s = new Services({ home, mode: 'browser', version: 'bench' });
  const MODES = ['old', 'oneThread', 'fast'] as const;
  const runs = { fast: [] as number[], oneThread: [] as number[], old: [] as number[] };
  const cpu = { fast: [] as number[], oneThread: [] as number[], old: [] as number[] };
  const workerShare: number[] = [];
  let n = 0;
  let firstSeconds = 0;
  const once = async (): Promise<[number, number]> => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const r = await s.invoke('evaluation.run', { split: 'train' });
    const c = process.cpuUsage(c0);
    n = r.n;
    return [(performance.now() - t0) / 1000, (c.user + c.system) / 1e6];
  };
  firstSeconds = (await once())[0]; // model load (and the worker's start)
  for (let i = 0; i < 3; i++)
    for (const mode of MODES) {
      setLstmInferenceFastPath(mode !== 'old');
      setPredictWorker(mode === 'fast');
      const before = { ...predictBatches };
      const [wall, c] = await once();
      if (mode === 'fast')
        workerShare.push(
          (predictBatches.worker - before.worker) /
            (predictBatches.worker + predictBatches.here - before.worker - before.here),
        );
      runs[mode].push(wall);
      cpu[mode].push(c);
    }
  s.close();
  const median = (a: number[]) => a.slice().sort((x, y) => x - y)[Math.floor(a.length / 2)];
  const result = {
    videos: n,
    labeledTrain: seeded.labeledTrain,
    firstSeconds,
    medianSeconds: median(runs.fast),
    medianCpuSeconds: median(cpu.fast),
    workerBatchShare: median(workerShare),
    oneThread: { medianSeconds: median(runs.oneThread), medianCpuSeconds: median(cpu.oneThread) },
    withoutFastPath: { medianSeconds: median(runs.old), medianCpuSeconds: median(cpu.old) },
    targetSeconds: 2,
    loadAvg1m: loadavg()[0],
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/evaluation.json', JSON.stringify(result, null, 2) + '\n');
  console.log(
    `evaluation of ${n} videos (standard model, cached keypoints), median of 3 after the model load (${firstSeconds.toFixed(2)} s):\n` +
      `  fast path, 2 threads (now): ${result.medianSeconds.toFixed(2)} s (CPU ${result.medianCpuSeconds.toFixed(2)} s; the worker took ${(100 * result.workerBatchShare).toFixed(0)} % of the batches)\n` +
      `  fast path, 1 thread:        ${result.oneThread.medianSeconds.toFixed(2)} s (CPU ${result.oneThread.medianCpuSeconds.toFixed(2)} s)\n` +
      `  training kernel, 1 thread:  ${result.withoutFastPath.medianSeconds.toFixed(2)} s (CPU ${result.withoutFastPath.medianCpuSeconds.toFixed(2)} s)\n` +
      `  target < 2 s · load ${result.loadAvg1m.toFixed(1)} on ${availableParallelism()} cores`,
  );
} finally {
  rmSync(home, { recursive: true, force: true });
}
