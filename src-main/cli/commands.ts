/** CLI commands over the services: keypoints, score, export, models. */
import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Services } from '../services';
import { CliError } from './args';
import { extractHeadless } from './headless';
import { PoseSession, denseFrameCount, extractForScore, presampleNewFile } from './score-keypoints';
import { knownVideo, videoRowForScoring } from '../library/add-for-scoring';
import { probe } from '../media/probe';
import { isMediaError } from '../media/errors';
import { loadModelFile } from '../models/model-registry';
import { isKerasFile } from '../models/keras-file';
import type { KerasImportOptions } from '../../src-shared/keras';
import { clipModelOf } from '../models/scoring';
import { formatScoreBlock } from '../../src-shared/scoring/clip-score';
import { scoreClip, scoreClipReps } from '../../src-shared/scoring/pipeline';
import { EXERCISE_DISPLAY_NAMES, type ExerciseType } from '../../src-shared/domain/exercises';
import { formatRepReport } from '../../src-shared/reps/report';
import { unflattenFrame } from '../../src-shared/keypoints/stored';
import { NO_POSE_ADVICE } from '../../src-shared/keypoints/stored';
import { DEFAULT_NUM_FRAMES, type PoseModelVariant } from '../../src-shared/keypoints/format';
import { VIDEO_EXTENSIONS } from '../media/scan';
import { mark } from './timing';

function bar(done: number, total: number, width = 30): string {
  const f = total > 0 ? done / total : 0;
  const n = Math.round(f * width);
  return `[${'#'.repeat(n)}${'.'.repeat(width - n)}] ${done}/${total}`;
}

/** `form-studio keypoints [--variant full] [--num-frames 24] [--no-cache]`: extract every video that needs it. */
export async function keypointsCommand(
  services: Services,
  opts: { variant?: PoseModelVariant; numFrames?: number; noCache: boolean },
): Promise<number> {
  const ids = await services.invoke('keypoints.pending', {
    variant: opts.variant,
    numFrames: opts.numFrames,
    force: opts.noCache,
  });
  if (ids.length === 0) {
    console.log('Keypoints are up to date.');
    return 0;
  }
  console.log(`Extracting keypoints for ${ids.length} video(s)…`);
  const r = await extractHeadless(services, ids, {
    ...opts,
    onProgress: (d, t) => process.stdout.write(`\r${bar(d, t)}`),
  });
  process.stdout.write(`\r${bar(r.done, ids.length)}\n`);
  console.log(
    `${r.ok} ok, ${r.noPose} with no pose, ${r.failed} failed · ${r.delegate ?? '?'} · ${r.msPerFrame?.toFixed(0) ?? '?'} ms/frame`,
  );
  return r.failed > 0 ? 1 : 0;
}

/** `form-studio score <video> [--model id|path] [--no-cache]`: the toolkit's test_model.py. */
export async function scoreCommand(
  services: Services,
  file: string,
  opts: { model?: string; noCache: boolean; json?: boolean; exercise?: ExerciseType; keras?: KerasImportOptions },
): Promise<number> {
  mark('start-up (imports, services)');
  const path = resolve(file);
  if (!existsSync(path) || !statSync(path).isFile()) throw new CliError(`Video file not found: ${file}`);
  const ext = path.slice(path.lastIndexOf('.')).toLowerCase();
  if (!(VIDEO_EXTENSIONS as readonly string[]).includes(ext)) {
    throw new CliError(
      `Unsupported format "${ext || '(none)'}": Form Studio reads ${VIDEO_EXTENSIONS.join(' ')} videos.`,
    );
  }
  // Load the model first: a bad model should fail before the slow part.
  const model = opts.model
    ? /^\d+$/.test(opts.model)
      ? await services.models.load(Number(opts.model))
      : await loadModelFile(resolve(opts.model), opts.keras)
    : await services.models.load(services.models.latestId());
  mark('model loaded');
  // The project's cue settings (cue-settings.json) as the app applies them; a damaged file fails before the slow part.
  const { settings: cueSettings } = await services.invoke('cues.getSettings', {});
  const { models: learnedCues } = await services.invoke('cues.listLearned', {}); // the project's trained cue models
  // Content already in the project (same bytes, read fine at import) is scored as it is, not probed again.
  const known = await knownVideo(services, path).catch(() => null);
  mark('cue settings, known video');
  const pose = new PoseSession(services, services.store.poseVariant() as PoseModelVariant);
  let imported: Promise<void> | null = null;
  try {
    // New content needs pose: Chromium, the page and the pose model start now, and its frames are sampled,
    // while the file is checked and imported.
    if (!known) {
      void pose.open();
      if (!opts.noCache) presampleNewFile(services, path, clipModelOf(model).numFrames);
    }
    // Otherwise check the file first, for a clear message ("not a video", "truncated", "no video stream"…).
    if (!known) {
      try {
        await probe(path, { verifyDecode: true });
      } catch (err) {
        if (isMediaError(err)) throw new CliError(err.message);
        throw err;
      }
    }
    // A new video joins the test split, no other row changes.
    // Scoring goes on once the row is recorded; the import's thumbnail is awaited before we return.
    const added = known
      ? null
      : await videoRowForScoring(services, path).catch((err: Error) => {
          throw new CliError(`${file}: ${err.message}`);
        });
    imported = added?.imported ?? null;
    const row = known ?? added!.row;
    if (row.status === 'error') throw new CliError(`${file}: ${row.errorMessage ?? row.errorCode}`);
    mark('video row');
    const clipModel = clipModelOf(model);
    const numFrames = clipModel.numFrames;
    // Reps: dense keypoints (5 fps, exact frames) counted and each rep scored by the model on its own window.
    const dense = denseFrameCount(row.durationSec);
    const [modelFramesDone, denseDone] = await extractForScore(services, pose, row.id, [numFrames, dense], {
      noCache: opts.noCache,
      failMessage: (n) => `${file}: pose extraction${n === numFrames ? '' : ' for rep counting'} failed`,
    });
    denseDone.catch(() => undefined); // awaited below, after the clip's score
    await modelFramesDone;
    mark('keypoints (model frames)');
    const kp = await services.invoke('keypoints.get', { videoId: row.id, numFrames });
    if (!kp) throw new CliError(`${file}: ${NO_POSE_ADVICE}`);
    const aspect = row.width && row.height ? row.width / row.height : 1;
    const result = await scoreClip(clipModel, kp.frames, aspect);
    mark('clip scored');
    await denseDone.catch(() => undefined); // the pose progress line (a terminal's stderr) is gone by then
    if (!opts.json) console.log(formatScoreBlock(result, (t) => EXERCISE_DISPLAY_NAMES[t]));
    await denseDone;
    mark('keypoints (dense frames)');
    await pose.close();
    const dkp = await services.invoke('keypoints.get', { videoId: row.id, numFrames: dense });
    const reps = dkp
      ? await scoreClipReps(clipModel, result, {
          cueSettings,
          learnedCues,
          frames: dkp.frames.map(unflattenFrame),
          timestampsSec: dkp.timestamps,
          aspect,
          exercise: opts.exercise ?? 'auto',
        })
      : null;
    mark('reps counted and scored');
    // Warnings saved with the keypoints (two people in frame…), once each.
    const warnings = [...new Set([kp.note, dkp?.note].filter((n): n is string => !!n))];
    if (opts.json) {
      console.log(
        JSON.stringify(
          { file: path, score: result.score, exercise: result.exercise, confidence: result.confidence, reps, warnings },
          null,
          2,
        ),
      );
      return 0;
    }
    console.log(reps ? formatRepReport(reps, (t) => EXERCISE_DISPLAY_NAMES[t]) : `Reps: 0\nNote: ${NO_POSE_ADVICE}`);
    for (const w of warnings) console.log(`Warning: ${w}`);
    return 0;
  } finally {
    await pose.close();
    await imported?.catch(() => undefined);
  }
}

/** `form-studio export --model <id> --output x.tflite [--no-optimize] [--quantize] [--float16] [--test]`. */
export async function exportCommand(
  services: Services,
  opts: {
    model?: string;
    output?: string;
    optimize: boolean;
    quantize: boolean;
    float16: boolean;
    test: boolean;
    keras?: KerasImportOptions;
  },
): Promise<number> {
  if (opts.quantize && opts.float16) throw new CliError('Choose one of --quantize (INT8) and --float16');
  const registry = services.models;
  let modelId = opts.model ? (/^\d+$/.test(opts.model) ? Number(opts.model) : NaN) : registry.latestId();
  if (opts.model && isKerasFile(opts.model)) {
    // A Keras model is imported into the project first (a converted copy; the file itself is only read).
    const path = resolve(opts.model);
    const k = opts.keras ?? {};
    const info = await services.invoke('models.importKeras', {
      name: basename(path),
      path,
      scoreScale: k.scoreScale,
      classNames: k.classNames ? [...k.classNames] : undefined,
      reshapeInput: k.reshapeInput,
    });
    console.log(`Imported ${basename(path)} as model ${info.id} (${String(info.metrics.layers ?? '')})`);
    modelId = info.id;
  }
  if (!Number.isFinite(modelId))
    throw new CliError('--model takes a model id (see `form-studio models`) or a Keras .keras/.h5 file');
  const report = await services.invoke('models.export', {
    modelId,
    weights: opts.quantize ? 'int8' : opts.float16 ? 'float16' : 'float32',
    optimize: opts.optimize,
    test: opts.test,
    outputPath: opts.output ? resolve(opts.output) : undefined,
  });
  console.log(
    `Wrote ${report.path} (${(report.sizeBytes / 1e6).toFixed(2)} MB, ${report.weights}${report.optimize ? ', optimized' : ''})`,
  );
  console.log(
    `Ops: ${Object.entries(report.ops)
      .map(([k, v]) => `${k}×${v}`)
      .join(', ')}`,
  );
  if (report.check) {
    const c = report.check;
    console.log(
      `Check (${c.samples} ${c.source} samples, ${c.runtime}): builtin ops only: ${c.builtinOnly ? 'yes' : 'NO'}`,
    );
    console.log(
      `  score difference vs the app's model: max ${c.maxAbsScoreDiff.toFixed(4)}, mean ${c.meanAbsScoreDiff.toFixed(4)} points`,
    );
    if (c.exerciseAgreement !== null) console.log(`  same exercise: ${(c.exerciseAgreement * 100).toFixed(1)}%`);
    if (!c.builtinOnly) return 1;
  }
  return 0;
}

export async function modelsCommand(services: Services): Promise<number> {
  const list = await services.invoke('models.list', {});
  if (list.length === 0) console.log('No models yet. Train one: form-studio train');
  for (const m of list)
    console.log(
      `${String(m.id).padStart(4)}  ${m.name.padEnd(40)} ${m.kind.padEnd(14)} ${m.role.padEnd(8)} val MAE ${m.valMae?.toFixed(2) ?? '—'}`,
    );
  return 0;
}

export { DEFAULT_NUM_FRAMES };
