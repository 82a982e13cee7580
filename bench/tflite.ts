/**
 * TFLite export benchmark: file sizes (float32 / float16 / int8) for both model kinds, LiteRT.js latency
 * (CPU/WASM, batch 1) vs the app's tfjs forward (WASM backend) in the same run, and the score drift of each
 * export against tfjs on a real squat clip. Writes bench/results/tflite.json and prints a table.
 *
 *   npx tsx bench/tflite.ts            # ≈ 1–2 min on 2 cores
 *   npx tsx bench/tflite.ts --quick    # fewer timed runs
 */
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { countParams, highAccuracyModel, standardModel, type ModelSpec } from '../src-shared/model/architecture';
import { forward, initParams } from '../src-shared/model/forward';
import { paramSpecs } from '../src-shared/model/architecture';
import { exportTflite, type WeightMode } from '../src-shared/tflite/exporter';
import { initLiteRt, liteRtBuild, loadTflite } from '../src-main/models/tflite-runtime';
import { initTfjsWasm } from '../test/tflite/tfjs-backend';
import { squatClip } from '../test/tflite/fixtures';

const quick = process.argv.includes('--quick');
const N = 24;
const MODES: WeightMode[] = ['float32', 'float16', 'int8'];

interface Row {
  model: string;
  params: number;
  weights: WeightMode;
  bytes: number;
  ratioToFloat32: number;
  ops: number;
  tensors: number;
  exportMs: number;
  loadCompileMs: number;
  liteRtMsMedian: number;
  liteRtMsP90: number;
  tfjsMsMedian: number;
  scoreDriftVsTfjs: number;
  sameExercise: boolean;
}

const median = (a: number[]) => {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
};
const p90 = (a: number[]) => {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.9))];
};
const argmax = (a: ArrayLike<number>) => Array.prototype.indexOf.call(a, Math.max(...Array.from(a)));

async function benchModel(spec: ModelSpec, backend: string): Promise<Row[]> {
  // Random but non-trivial weights: the app's initializer, then small random biases/BN stats so folding matters.
  const { params } = initParams(spec, 7);
  const shapes = Object.fromEntries(paramSpecs(spec).map((p) => [p.name, p.shape]));
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  for (const [k, v] of Object.entries(params)) {
    if (/bias$|\/b[qkvo]$|beta$|moving_mean$/.test(k)) for (let i = 0; i < v.length; i++) v[i] += (rnd() - 0.5) * 0.2;
    if (/moving_variance$|gamma$/.test(k)) for (let i = 0; i < v.length; i++) v[i] = 0.5 + rnd();
  }
  const x = squatClip(N).data;
  const runs = quick ? 15 : spec.kind === 'standard' ? 100 : 40;

  // tfjs (the app's forward, WASM backend).
  const tp: Record<string, tf.Tensor> = {};
  for (const [k, v] of Object.entries(params)) tp[k] = tf.tensor(v, shapes[k]);
  const xt = tf.tensor3d(x, [1, N, 132]);
  const tfjsOnce = () =>
    tf.tidy(() => {
      const r = forward(spec, tp, xt);
      return {
        score: r.score.dataSync()[0],
        probs: r.exerciseProbs ? Float32Array.from(r.exerciseProbs.dataSync()) : new Float32Array(0),
      };
    });
  for (let i = 0; i < 3; i++) tfjsOnce();
  const tfjsTimes: number[] = [];
  let tfjsOut = tfjsOnce();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    tfjsOut = tfjsOnce();
    tfjsTimes.push(performance.now() - t0);
  }
  Object.values(tp).forEach((t) => t.dispose());
  xt.dispose();
  const tfjsMs = median(tfjsTimes);

  const rows: Row[] = [];
  let f32Bytes = 0;
  for (const weights of MODES) {
    const t0 = performance.now();
    const ex = exportTflite(spec, params, { weights });
    const exportMs = performance.now() - t0;
    if (weights === 'float32') f32Bytes = ex.bytes.length;
    const t1 = performance.now();
    const m = await loadTflite(ex.bytes);
    let out = await m.run({ keypoints: x });
    const loadCompileMs = performance.now() - t1;
    for (let i = 0; i < 3; i++) out = await m.run({ keypoints: x });
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const s = performance.now();
      out = await m.run({ keypoints: x });
      times.push(performance.now() - s);
    }
    m.dispose();
    rows.push({
      model: String(spec.kind),
      params: countParams(spec).total,
      weights,
      bytes: ex.bytes.length,
      ratioToFloat32: ex.bytes.length / f32Bytes,
      ops: Object.values(ex.ops).reduce((a, b) => a + b, 0),
      tensors: ex.numTensors,
      exportMs,
      loadCompileMs,
      liteRtMsMedian: median(times),
      liteRtMsP90: p90(times),
      tfjsMsMedian: tfjsMs,
      scoreDriftVsTfjs: Math.abs(out.outputs.score[0] - tfjsOut.score),
      sameExercise: spec.heads.exercise ? argmax(out.outputs.exercise_probs) === argmax(tfjsOut.probs) : true,
    });
  }
  void backend;
  return rows;
}

async function main(): Promise<void> {
  const [, backend] = await Promise.all([initLiteRt(), initTfjsWasm()]);
  const rows: Row[] = [];
  for (const spec of [standardModel(N), highAccuracyModel(N)]) rows.push(...(await benchModel(spec, backend)));
  const result = {
    benchmark: 'tflite-export',
    date: new Date().toISOString(),
    node: process.version,
    cpus: (await import('node:os')).cpus().length,
    liteRt: `@litertjs/core 2.5.3, CPU (XNNPACK in WASM, single thread), build: ${liteRtBuild}`,
    tfjsBackend: backend,
    numFrames: N,
    batch: 1,
    quick,
    rows,
  };
  const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'tflite.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  const fmtMB = (b: number) => (b / 1e6).toFixed(2) + ' MB';
  console.log(`\nTFLite export — batch 1, ${N} frames, LiteRT build: ${liteRtBuild}, tfjs backend: ${backend}\n`);
  console.log(
    '| model | weights | size | × f32 | ops | LiteRT ms (med / p90) | tfjs ms | load+compile ms | |Δscore| vs tfjs | same exercise |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.model} | ${r.weights} | ${fmtMB(r.bytes)} | ${r.ratioToFloat32.toFixed(3)} | ${r.ops} | ${r.liteRtMsMedian.toFixed(2)} / ${r.liteRtMsP90.toFixed(2)} | ${r.tfjsMsMedian.toFixed(2)} | ${r.loadCompileMs.toFixed(0)} | ${r.scoreDriftVsTfjs.toExponential(2)} | ${r.sameExercise ? 'yes' : 'NO'} |`,
    );
  console.log(`\nwrote ${out}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
