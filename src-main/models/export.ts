/**
 * Export a trained model to TFLite (builtin ops only) and check the file against the app's model:
 * run both on real project keypoints (synthetic inputs only when the project has none) and compare.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { AppContext } from '../app-context';
import { appVersion } from '../project/handlers';
import type { ExportCheck, ExportReport } from '../../src-shared/api/models-contract';
import { ApiError } from '../../src-shared/api/errors';
import { EXERCISE_TYPES } from '../../src-shared/domain/exercises';
import { exportTflite } from '../../src-shared/tflite/exporter';
import { readTflite } from '../../src-shared/tflite/reader';
import { modelInput } from '../../src-shared/scoring/model-input';
import { loadTflite } from './tflite-runtime';
import type { ModelRegistry } from './model-registry';
import { mediaUrlPath } from '../media-protocol';
import { writeFileAtomic } from '../fs-safe';
import type { ScoringModel } from '../../src-shared/model';
import { argmax } from '../../src-shared/model/metrics';

export interface ExportRequest {
  modelId: number;
  weights: 'float32' | 'float16' | 'int8';
  optimize: boolean;
  test: boolean;
  outputPath?: string;
}

function safeName(s: string): string {
  return (
    s
      .replace(/[^a-zA-Z0-9._-]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 80) || 'model'
  );
}

/** Model inputs from the project's cached keypoints (up to `max`), else seeded synthetic inputs. */
function checkInputs(
  services: AppContext,
  model: ScoringModel,
  max: number,
): { inputs: Float32Array[]; source: 'project' | 'synthetic' } {
  const inputs: Float32Array[] = [];
  for (const row of services.store.listRows()) {
    if (inputs.length >= max) break;
    if (!row.contentHash || row.pose.status !== 'ok') continue;
    const kp = services.keypoints.get({
      contentHash: row.contentHash,
      numFrames: model.spec.numFrames,
      variant: services.store.poseVariant() as 'full',
    });
    if (!kp || kp.status !== 'ok') continue;
    inputs.push(modelInput(kp, model.spec.numFrames, row.width && row.height ? row.width / row.height : 1));
  }
  if (inputs.length > 0) return { inputs, source: 'project' };
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  for (let i = 0; i < 8; i++)
    inputs.push(Float32Array.from({ length: model.spec.numFrames * model.spec.numFeatures }, rand));
  return { inputs, source: 'synthetic' };
}

export async function exportModel(
  services: AppContext,
  registry: ModelRegistry,
  req: ExportRequest,
): Promise<ExportReport> {
  const loaded = await registry.load(req.modelId);
  if (loaded.format !== 'fsmodel')
    throw new ApiError(
      'bad_input',
      'This model is already a .tflite file; export works on models trained in Form Studio.',
    );
  const model = loaded.model;
  const saved = model.toSaved();
  const result = exportTflite(model.spec, saved.params, {
    weights: req.weights,
    optimize: req.optimize,
    numFrames: model.spec.numFrames,
    exerciseLabels: model.spec.heads.exercise ? (loaded.exerciseLabels ?? EXERCISE_TYPES) : undefined,
    // The mask the app applies to the exercise head travels with the file (an imported TFLite applies it too).
    trainedExercises: model.trainedExercises,
    version: appVersion(services),
    extraMetadata: { modelName: loaded.info.name, modelId: loaded.info.id, valMae: loaded.info.valMae },
  });
  const name = `${safeName(loaded.info.name)}-${req.weights}${req.optimize ? '' : '-noopt'}.tflite`;
  const out = req.outputPath ?? join(services.paths.cache, 'exports', name);
  await mkdir(dirname(out), { recursive: true });
  await writeFileAtomic(out, result.bytes);
  const insideCache = out.startsWith(services.paths.cache + sep);
  const report: ExportReport = {
    path: out,
    url: insideCache ? mediaUrlPath('cache', relative(services.paths.cache, out).split(sep).join('/')) : '',
    sizeBytes: result.bytes.length,
    weights: req.weights,
    optimize: req.optimize,
    ops: result.ops,
    check: null,
  };
  if (req.test) report.check = await checkExport(services, model, result.bytes);
  return report;
}

export async function checkExport(services: AppContext, model: ScoringModel, bytes: Uint8Array): Promise<ExportCheck> {
  const read = readTflite(bytes);
  const ops = [...new Set(read.operatorCodes.map((c) => c.opName))].sort();
  // CUSTOM (32) is where Flex/select-TF ops live; a builtin-only file has none and no custom codes.
  const builtinOnly = read.operatorCodes.every(
    (c) => c.customCode === undefined && c.opName !== 'CUSTOM' && !c.opName.startsWith('BUILTIN_'),
  );
  const { inputs, source } = checkInputs(services, model, 32);
  const lite = await loadTflite(bytes);
  try {
    let maxDiff = 0;
    let sumDiff = 0;
    let agree = 0;
    const ref = model.predict(inputs);
    for (let i = 0; i < inputs.length; i++) {
      const out = await lite.run(inputs[i]);
      const s = out.outputs.score?.[0] ?? NaN;
      const d = Math.abs(s - ref.scores[i]);
      maxDiff = Math.max(maxDiff, d);
      sumDiff += d;
      const probs = out.outputs.exercise_probs;
      if (probs && ref.exerciseProbs) {
        const a = argmax(probs);
        const b = argmax(ref.exerciseProbs[i]);
        if (a === b) agree++;
      }
    }
    return {
      samples: inputs.length,
      maxAbsScoreDiff: maxDiff,
      meanAbsScoreDiff: sumDiff / inputs.length,
      exerciseAgreement: ref.exerciseProbs ? agree / inputs.length : null,
      builtinOnly,
      ops,
      runtime: 'LiteRT.js (CPU)',
      source,
    };
  } finally {
    lite.dispose();
  }
}

export async function writeImported(dir: string, id: string, bytes: Uint8Array, ext = '.tflite'): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${id}${ext}`);
  await writeFile(file, bytes);
  return file;
}
