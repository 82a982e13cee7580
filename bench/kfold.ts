/**
 * k-fold cost benchmark (issue 17's target "k-fold adds no more than k × one run's time"): one normal training run
 * and one k-fold run with the same settings, side by side in this process, through the real run (runTraining over
 * Services: SQLite, keypoint cache, tfjs WASM), as the CLI and the app's worker run it.
 *
 * A k-fold run trains k fold models (each on (k−1)/k of the clips, validated on the rest, like a normal run on
 * 1 − valShare) and then the final model on every clip for the folds' mean best epoch. The final model is the run the
 * user would have trained anyway; the folds are what k-fold adds. So the target is
 *   kfoldTime − oneRunTime ≤ k × oneRunTime, i.e. kfoldTime / oneRunTime ≤ k + 1.
 * Normal runs are timed before and after the k-fold run (their mean is the reference, so load drift cancels out);
 * CPU seconds are reported too (they stay comparable on a loaded machine).
 *
 *   npx tsx bench/kfold.ts [--k 5] [--clips 40] [--epochs 5]      writes bench/results/kfold.json
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Services } from '../src-main/services';
import { TRAINING_DEFAULTS } from '../src-shared/api/training-contract';
import { runTraining, type RunSettings } from '../src-shared/training/run';
import { seedTrainingHome } from '../test/training/seed';
import { wasmRunDeps } from '../test/training/run-deps';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const k = arg('k', 5);
const clips = arg('clips', 40);
const epochs = arg('epochs', 5);

interface Timed {
  wall: number;
  cpu: number;
  /** Inside trainModel (the folds' and the final model's training), wall seconds. */
  training: number;
  load: number;
  epochs: number;
  /** Clips × epochs trained, all models of the run. */
  work: number;
  /** Wall seconds inside each API call (checkpoints, saving, predictions…). */
  api: Record<string, number>;
  /** Seconds from the start to each status line (where the rest of the time goes). */
  phases: Array<[number, string]>;
}

const home = mkdtempSync(join(tmpdir(), 'fs-bench-kfold-'));
try {
  const seeded = seedTrainingHome(home, clips);
  const s = new Services({ home, mode: 'browser', version: 'bench' });
  const deps = await wasmRunDeps(s);
  let training = 0;
  let api: Record<string, number> = {};
  const invoke = deps.invoke;
  deps.invoke = async (name, input) => {
    const t0 = performance.now();
    try {
      return await invoke(name, input);
    } finally {
      api[name] = (api[name] ?? 0) + (performance.now() - t0) / 1000;
    }
  };
  const trainModel = deps.trainModel;
  deps.trainModel = async (...a) => {
    const t0 = performance.now();
    try {
      return await trainModel(...a);
    } finally {
      training += (performance.now() - t0) / 1000;
    }
  };
  const base: RunSettings = {
    ...TRAINING_DEFAULTS,
    modelKind: 'standard',
    epochs,
    batchSize: 8,
    // No early stop: every model trains the same number of epochs, so the comparison is the cost of the runs.
    patience: epochs + 1,
    augment: false,
    source: 'cli',
  };
  const time = async (settings: RunSettings): Promise<Timed & { finalEpochs?: number; foldEpochs?: number }> => {
    let trained = 0;
    let foldEpochs = 0;
    // Clips × epochs trained (the gradient work), folds and final (or the one) model.
    let work = 0;
    let foldTrain = 0;
    let runTrain = 0;
    training = 0;
    api = {};
    const phases: Timed['phases'] = [];
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await runTraining(settings, deps, {
      onRun: (info) => (runTrain = info.train),
      onEpoch: () => {
        trained++;
        work += runTrain;
      },
      onFold: (f) => (foldTrain = f.train),
      onFoldEpoch: () => {
        foldEpochs++;
        work += foldTrain;
      },
      onStatus: (text) => phases.push([Math.round(performance.now() - t0) / 1000, text.slice(0, 60)]),
    });
    const wall = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    if (r.status !== 'completed') throw new Error(`run ${r.runId} ${r.status}: ${r.message}`);
    const cv = r.evaluation?.crossValidation;
    return {
      wall,
      cpu: (c.user + c.system) / 1e6,
      training,
      api: Object.fromEntries(Object.entries(api).map(([n, v]) => [n, Math.round(v * 100) / 100])),
      load: loadavg()[0],
      phases,
      epochs: trained,
      work,
      ...(cv ? { finalEpochs: cv.finalEpochs, foldEpochs } : {}),
    };
  };
  await time(base); // warm-up, a whole run: the first one pays for tfjs kernels and SQLite pages (≈ 2–3× slower)
  const before = await time(base);
  const kfold = await time({ ...base, kFold: k });
  const after = await time(base);
  const one = {
    wall: (before.wall + after.wall) / 2,
    cpu: (before.cpu + after.cpu) / 2,
    training: (before.training + after.training) / 2,
  };
  const ratio = kfold.wall / one.wall;
  const trainingRatio = kfold.training / one.training;
  const cpuRatio = kfold.cpu / one.cpu;
  const out = {
    date: new Date().toISOString(),
    clips: seeded.labeledTrain,
    settings: { k, epochs, batchSize: base.batchSize, model: base.modelKind, valShare: base.valFraction },
    oneRun: { before, after, meanWall: one.wall, meanCpu: one.cpu, meanTraining: one.training },
    kfold,
    ratio,
    cpuRatio,
    trainingRatio,
    /** The gradient work (clips × epochs) of the k-fold run over one run's: what the ratio tends to when training dominates. */
    workRatio: kfold.work / after.work,
    addedOverOneRun: (kfold.wall - one.wall) / one.wall,
    target: `kfoldTime / oneRunTime ≤ k + 1 = ${k + 1} (k-fold adds ≤ k × one run)`,
    meetsTarget: ratio <= k + 1,
    loadAvgAtEnd: loadavg(),
  };
  console.log(
    `${seeded.labeledTrain} clips, standard model, ${epochs} epochs, batch 8 (k-fold final model: ${kfold.finalEpochs} epochs on all clips)\n` +
      `one run:  ${before.wall.toFixed(1)} s before, ${after.wall.toFixed(1)} s after (CPU ${one.cpu.toFixed(1)} s)  [load ${before.load.toFixed(1)} / ${after.load.toFixed(1)}]\n` +
      `${k}-fold:   ${kfold.wall.toFixed(1)} s (CPU ${kfold.cpu.toFixed(1)} s, ${kfold.foldEpochs} fold epochs + ${kfold.epochs} final)  [load ${kfold.load.toFixed(1)}]\n` +
      `gradient work (clips × epochs): one run ${after.work}, ${k}-fold ${kfold.work} → ${(kfold.work / after.work).toFixed(2)}×\n` +
      `training alone (inside trainModel): one run ${one.training.toFixed(1)} s, ${k}-fold ${kfold.training.toFixed(1)} s → ${trainingRatio.toFixed(2)}×\n` +
      `ratio k-fold / one run: ${ratio.toFixed(2)} wall, ${cpuRatio.toFixed(2)} CPU → adds ${out.addedOverOneRun.toFixed(2)} × one run ` +
      `(target ≤ ${k}: ${out.meetsTarget ? 'met' : 'NOT met'})`,
  );
  for (const [name, r] of [
    ['one run (after)', after],
    [`${k}-fold`, kfold],
  ] as const)
    console.log(
      `${name} phases: ${r.phases.map(([t, text]) => `${t.toFixed(1)} s ${text}`).join(' | ')}\n  API seconds: ${JSON.stringify(r.api)}`,
    );
  s.close();
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'kfold.json'), JSON.stringify(out, null, 2) + '\n');
} finally {
  rmSync(home, { recursive: true, force: true });
}
