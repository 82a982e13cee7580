/**
 * `form-studio train` — the toolkit's train.py over the same services and the same training run as the app:
 *   --epochs 100 --batch-size 8 --learning-rate 1e-4 --patience 7 --standard-model|--high-accuracy --num-frames 24
 *   --cpu-only [--val-share 0.2] [--seed 1] [--no-augment] [--resume RUN] [--plot FILE] [--home DIR]
 * Labeled training videos without keypoints are extracted first (the toolkit's order; --no-extract skips it).
 * tfjs runs on its WASM backend in Node (the CPU; --cpu-only changes nothing here). Ctrl-C stops after the current
 * batch, keeps the best model and a checkpoint (`--resume RUN` continues).
 */
import { createRequire } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';
import { writeFileAtomic } from '../fs-safe';
import { parseArgs, numberFlag, CliError } from './args';
import type { Services } from '../services';
import { TRAINING_DEFAULTS, type CrossValidation, type EpochRecord } from '../../src-shared/api/training-contract';
import { runTraining, TrainingProblem, type RunSettings } from '../../src-shared/training/run';
import { renderHistoryPng } from '../training/history-plot';
import { extractForTraining } from './extract-first';

export const TRAIN_USAGE = `form-studio train [options]
  --epochs N            Number of training epochs (default 100)
  --batch-size N        Batch size (default 8)
  --learning-rate X     Initial learning rate (default 1e-4)
  --patience N          Early stopping patience in epochs (default 7)
  --high-accuracy       Maximum accuracy model (default)
  --standard-model      Faster standard model
  --num-frames N        Frames per video (default 24; keypoints must be extracted for it)
  --cpu-only            Force CPU (tfjs WASM/CPU backends)
  --val-share X         Validation share 0–0.5 (default 0.2)
  --k-fold K            K-fold cross-validation (group-aware, e.g. 5): mean ± sd across folds, then the final
                        model trains on all clips for the folds' mean best epoch (--val-share is then unused)
  --seed N              Random seed (default 1)
  --no-augment          Disable augmentation
  --no-extract          Do not extract missing keypoints first (train on what is extracted)
  --resume RUN          Continue a stopped or interrupted run from its checkpoint
  --plot FILE           Where to write training_history.png (default <home>/models/training_history.png)
  --home DIR            Project home (default FORM_STUDIO_HOME or the user data folder)`;

/** Per-fold held-out metrics and mean ± sd (the toolkit had no k-fold; the layout follows the validation line). */
function printCrossValidation(cv: CrossValidation): void {
  const f = (v: number | null, d = 2) => (v === null ? '–' : v.toFixed(d));
  const ms = (s: { mean: number | null; sd: number | null }, d = 2) => `${f(s.mean, d)} ± ${f(s.sd, d)}`;
  console.log(`${cv.k}-fold cross-validation (held-out folds; the line above pools their out-of-fold predictions):`);
  for (const x of cv.folds) {
    console.log(
      `  fold ${x.fold}: ${x.train} train / ${x.val} held out, best epoch ${x.bestEpoch}: MAE ${f(x.mae)}  RMSE ${f(x.rmse)}  Spearman ρ ${f(x.spearman, 3)}${x.exerciseAccuracy !== null ? `  exercise accuracy ${(x.exerciseAccuracy * 100).toFixed(1)} %` : ''}`,
    );
  }
  const s = cv.summary;
  console.log(
    `  mean ± sd: MAE ${ms(s.mae)}  RMSE ${ms(s.rmse)}  Spearman ρ ${ms(s.spearman, 3)}${s.exerciseAccuracy.mean !== null ? `  exercise accuracy ${ms(s.exerciseAccuracy, 3)}` : ''}  best epoch ${ms(s.bestEpoch, 1)}`,
  );
  console.log(`  final model: all clips, ${cv.finalEpochs} epochs`);
}

async function initBackend(cpuOnly: boolean): Promise<string> {
  const tf = await import('@tensorflow/tfjs');
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const dist = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
    wasm.setWasmPaths(dist + sep);
    if (await tf.setBackend('wasm')) {
      await tf.ready();
      return 'wasm';
    }
  } catch {
    // fall back to the pure-JS CPU backend
  }
  void cpuOnly;
  await tf.setBackend('cpu');
  await tf.ready();
  return 'cpu';
}

function bar(done: number, total: number, width = 28): string {
  const f = total ? Math.min(1, done / total) : 0;
  const n = Math.round(f * width);
  return `[${'#'.repeat(n)}${'.'.repeat(width - n)}]`;
}

function fmtTime(sec: number): string {
  if (!Number.isFinite(sec) || sec < 0) return '–';
  const m = Math.floor(sec / 60);
  const s = Math.round(sec % 60);
  return m >= 60 ? `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m` : `${m}m${String(s).padStart(2, '0')}s`;
}

export async function trainCommand(argv: string[], open: (home: string | undefined) => Services): Promise<number> {
  const args = parseArgs(argv, {
    booleans: ['standard-model', 'high-accuracy', 'cpu-only', 'no-augment', 'no-extract', 'help'],
    values: [
      'epochs',
      'batch-size',
      'learning-rate',
      'patience',
      'num-frames',
      'val-share',
      'k-fold',
      'seed',
      'resume',
      'plot',
      'home',
    ],
  });
  if (args.flags.help) {
    console.log(TRAIN_USAGE);
    return 0;
  }
  if (args.flags['standard-model'] && args.flags['high-accuracy'])
    throw new CliError('Choose one of --standard-model and --high-accuracy');
  if (args.positionals.length) throw new CliError(`Unexpected argument "${args.positionals[0]}"\n\n${TRAIN_USAGE}`);
  const D = TRAINING_DEFAULTS;
  const settings: RunSettings = {
    modelKind: args.flags['standard-model'] ? 'standard' : 'high-accuracy',
    epochs: numberFlag(
      args,
      'epochs',
      D.epochs,
      (n) => Number.isInteger(n) && n >= 1 && n <= 10_000,
      'a whole number 1–10000',
    ),
    batchSize: numberFlag(
      args,
      'batch-size',
      D.batchSize,
      (n) => Number.isInteger(n) && n >= 1 && n <= 1024,
      'a whole number 1–1024',
    ),
    learningRate: numberFlag(args, 'learning-rate', D.learningRate, (n) => n > 0 && n <= 1, 'a number in (0, 1]'),
    patience: numberFlag(args, 'patience', D.patience, (n) => Number.isInteger(n) && n >= 1, 'a whole number ≥ 1'),
    numFrames: numberFlag(
      args,
      'num-frames',
      D.numFrames,
      (n) => Number.isInteger(n) && n >= 2 && n <= 256,
      'a whole number 2–256',
    ),
    cpuOnly: !!args.flags['cpu-only'],
    valFraction: numberFlag(args, 'val-share', D.valFraction, (n) => n >= 0 && n <= 0.5, 'a number 0–0.5'),
    seed: numberFlag(args, 'seed', D.seed, (n) => Number.isInteger(n) && n >= 0 && n < 2 ** 31, 'a whole number ≥ 0'),
    augment: !args.flags['no-augment'],
    source: 'cli',
    ...(args.flags['k-fold'] !== undefined
      ? { kFold: numberFlag(args, 'k-fold', 0, (n) => Number.isInteger(n) && n >= 2 && n <= 20, 'a whole number 2–20') }
      : {}),
  };
  const resumeRunId =
    args.flags.resume !== undefined
      ? numberFlag(args, 'resume', 0, (n) => Number.isInteger(n) && n > 0, 'a run number')
      : undefined;

  const services = open(args.flags.home as string | undefined);
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\nStopping after this batch (Ctrl-C again to quit now)…\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    services.store.poseVariant();
    if (!args.flags['no-extract'] && resumeRunId === undefined) await extractForTraining(services, settings.numFrames);
    const backend = await initBackend(settings.cpuOnly);
    const { trainModel, splitByGroup, predictWithSaved } = await import('../../src-shared/model');
    const tty = process.stdout.isTTY;
    let epochs = settings.epochs;
    let batchesPerEpoch = 1;
    let history: EpochRecord[] = [];
    let epochStart = Date.now();
    let lastDraw = 0;
    const result = await runTraining(
      settings,
      {
        invoke: (name, input) => services.invoke(name, input),
        trainModel,
        splitByGroup,
        predict: predictWithSaved,
        backend,
      },
      {
        onStatus: (t) => console.log(t),
        onRun: (r) => {
          epochs = r.settings.epochs;
          batchesPerEpoch = r.batchesPerEpoch;
          history = [...r.history];
          const s = r.settings;
          console.log(
            `Run ${r.runId}: ${s.modelKind} model, ${s.epochs} epochs, batch ${s.batchSize}, lr ${s.learningRate}, patience ${s.patience}, ${s.numFrames} frames, ` +
              `${r.train} training / ${r.val} validation clips, backend ${backend}${s.augment ? ', augmentation' : ''}`,
          );
          epochStart = Date.now();
        },
        onBatch: (b) => {
          if (!tty || Date.now() - lastDraw < 200) return;
          lastDraw = Date.now();
          process.stdout.write(
            `\rEpoch ${b.epoch}/${epochs} ${bar(b.batch, b.batchesPerEpoch)} ${b.batch}/${b.batchesPerEpoch} loss ${b.loss.toFixed(4)} mae ${b.mae.toFixed(2)} ${b.samplesPerSec.toFixed(1)} samples/s   `,
          );
        },
        onEpoch: (m) => {
          history.push(m);
          const left = (epochs - m.epoch) * (history.reduce((a, h) => a + h.seconds, 0) / history.length);
          if (tty) process.stdout.write('\r\x1b[2K');
          const val =
            m.valMae !== undefined
              ? ` - val_loss ${m.valLoss!.toFixed(4)} - val_mae ${m.valMae.toFixed(2)} - val_rmse ${m.valRmse!.toFixed(2)}`
              : '';
          const acc = m.exerciseAcc !== undefined ? ` - acc ${m.exerciseAcc.toFixed(3)}` : '';
          const vacc = m.valExerciseAcc !== undefined ? ` - val_acc ${m.valExerciseAcc.toFixed(3)}` : '';
          console.log(
            `Epoch ${m.epoch}/${epochs} ${bar(m.epoch, epochs, 20)} ${m.seconds.toFixed(1)}s - loss ${m.loss.toFixed(4)} - mae ${m.mae.toFixed(2)} - rmse ${m.rmse.toFixed(2)}${acc}${val}${vacc} - lr ${m.lr.toExponential(1)} - ${m.samplesPerSec.toFixed(1)} samples/s - ETA ${fmtTime(left)}${m.improved ? '  * best' : ''}`,
          );
          epochStart = Date.now();
          void epochStart;
          void batchesPerEpoch;
        },
        onCheckpoint: () => undefined,
        onFoldEpoch: (fold, m) => {
          if (tty) process.stdout.write('\r\x1b[2K');
          const val = m.valMae !== undefined ? ` - val_mae ${m.valMae.toFixed(2)}` : '';
          console.log(
            `  fold ${fold} epoch ${m.epoch} - loss ${m.loss.toFixed(4)} - mae ${m.mae.toFixed(2)}${val}${m.improved ? '  * best' : ''}`,
          );
        },
      },
      { signal: controller.signal, resumeRunId },
    );
    console.log(`\n${result.status === 'cancelled' ? 'Stopped' : 'Finished'}: ${result.message}`);
    for (const m of result.models) console.log(`Saved ${m.role} model "${m.name}" → ${m.path}`);
    if (result.evaluation) {
      const e = result.evaluation;
      const f = (v: number | null, d = 2) => (v === null ? '–' : v.toFixed(d));
      console.log(
        `${e.crossValidation ? 'Out-of-fold' : 'Validation'} (${e.n} clips): MAE ${f(e.mae)}  RMSE ${f(e.rmse)}  Spearman ρ ${f(e.spearman, 3)}${e.exerciseAccuracy !== null ? `  exercise accuracy ${(e.exerciseAccuracy * 100).toFixed(1)} %` : ''}`,
      );
      for (const p of e.perExercise) console.log(`  ${p.exercise.padEnd(18)} MAE ${p.mae.toFixed(2)} (${p.count})`);
      if (e.crossValidation) printCrossValidation(e.crossValidation);
    }
    if (result.predictions)
      console.log(`Predictions saved for ${result.predictions} videos (Library → predicted columns).`);
    const detail = await services.invoke('runs.get', { runId: result.runId });
    const plot = resolve(
      (args.flags.plot as string | undefined) ?? join(services.paths.models, 'training_history.png'),
    );
    await writeFileAtomic(
      plot,
      renderHistoryPng(detail.metrics, {
        title: `FORM STUDIO RUN ${result.runId} ${detail.run.modelKind.toUpperCase()}`,
        bestEpoch: detail.run.bestEpoch,
      }),
    );
    console.log(`Training history plot → ${plot}`);
    if (result.status === 'cancelled') console.log(`Resume with: form-studio train --resume ${result.runId}`);
    return result.status === 'cancelled' ? 130 : 0;
  } catch (err) {
    if (err instanceof TrainingProblem) {
      console.error(`form-studio train: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
    services.close();
  }
}
