/**
 * Evaluation benchmark: `evaluation.run` over 1,000 labeled videos with cached keypoints (standard model, 1,000
 * bootstrap resamples), through the real services (SQLite, keypoint cache, tfjs WASM). Target < 2 s.
 * Writes bench/results/evaluation.json.   npx tsx bench/evaluation.ts
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { Services } from '../src-main/services';
import { seedTrainingHome } from '../test/training/seed';
import { seedModel } from '../test/support/seed-model';

const N = 1000;
const home = mkdtempSync(join(tmpdir(), 'fs-bench-eval-'));
try {
  const seeded = seedTrainingHome(home, N);
  await seedModel(home, 3);
  const s = new Services({ home, mode: 'browser', version: 'bench' });
  const runs: number[] = [];
  let n = 0;
  for (let i = 0; i < 4; i++) {
    const t0 = performance.now();
    const r = await s.invoke('evaluation.run', { split: 'train' });
    runs.push((performance.now() - t0) / 1000);
    n = r.n;
  }
  s.close();
  const warm = runs.slice(1).sort((a, b) => a - b);
  const result = {
    videos: n,
    labeledTrain: seeded.labeledTrain,
    firstSeconds: runs[0],
    medianSeconds: warm[Math.floor(warm.length / 2)],
    targetSeconds: 2,
    loadAvg1m: loadavg()[0],
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/evaluation.json', JSON.stringify(result, null, 2) + '\n');
  console.log(
    `evaluation of ${n} videos (standard model, cached keypoints): first ${runs[0].toFixed(2)} s (model load), then median ${result.medianSeconds.toFixed(2)} s · target < 2 s · load ${result.loadAvg1m.toFixed(1)}`,
  );
} finally {
  rmSync(home, { recursive: true, force: true });
}
