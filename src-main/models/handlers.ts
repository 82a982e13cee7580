/** Main-process handlers of the models calls (see src-shared/api/models-contract.ts). */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { AppContext, CallsOf, Feature } from '../app-context';
import type { modelsContract } from '../../src-shared/api/models-contract';
import { ApiError } from '../../src-shared/api/errors';
import { joinErrors, tfliteClasses } from './model-registry';
import { exerciseMaskNote } from '../../src-shared/scoring/clip-score';
import { clipModelOf } from './scoring';
import { scoreClip } from '../../src-shared/scoring/pipeline';
import { exportModel, writeImported } from './export';
import { checkScoringSignature } from '../../src-shared/tflite/signature';
import { importKerasBytes } from './keras-file';
import { serializeImportedKeras } from './keras-import';
import { repReport } from './rep-report';
import { EXERCISE_TYPES, type ExerciseType } from '../../src-shared/domain/exercises';

export function createModelsFeature(services: AppContext): Feature<CallsOf<typeof modelsContract>> {
  const registry = () => services.models;
  return {
    close: () => services.models.close(),
    handlers: {
      'models.list': () => registry().list(),
      'models.delete': ({ modelId }) => {
        registry().delete(modelId);
        services.emit({ type: 'project.changed' });
        return { ok: true as const };
      },
      'models.rename': ({ modelId, name }) => {
        const info = registry().rename(modelId, name);
        services.emit({ type: 'project.changed' });
        return info;
      },
      'models.predict': async ({ modelId, frames, aspectRatio }) => {
        const id = modelId ?? registry().latestId();
        const r = await scoreClip(clipModelOf(await registry().load(id)), frames, aspectRatio);
        return { ...r, latencyMs: r.latencyMs ?? 0, modelId: id };
      },
      'models.repReport': async ({ modelId, videoId, numFrames, exercise }) => {
        if (exercise && exercise !== 'auto' && !(EXERCISE_TYPES as readonly string[]).includes(exercise))
          throw new ApiError('bad_input', `Unknown exercise "${exercise}"`);
        return repReport(services, await registry().load(modelId ?? registry().latestId()), {
          videoId,
          numFrames,
          exercise: exercise as ExerciseType | 'auto' | undefined,
        });
      },
      'models.export': ({ modelId, weights, optimize, test, outputPath }) =>
        exportModel(services, registry(), { modelId, weights, optimize, test, outputPath }),
      'models.importKeras': async ({ name, path, bytesBase64, scoreScale, classNames, reshapeInput }) => {
        const bytes = await inputBytes(path, bytesBase64);
        let imp;
        try {
          imp = await importKerasBytes(bytes, name, { scoreScale, classNames, reshapeInput });
        } catch (err) {
          throw new ApiError('bad_input', (err as Error).message);
        }
        // Our own converted copy is written (the user's file stays as it is); the row is added only once it exists.
        const packed = serializeImportedKeras(imp, name);
        const file = await writeImported(join(services.paths.models, 'imported'), randomUUID(), packed, '.fsmodel');
        const info = registry().insert({
          runId: null,
          name,
          kind: 'keras',
          role: 'imported',
          filePath: file,
          sizeBytes: packed.length,
          valMae: null,
          metrics: {
            numFrames: imp.saved.spec.numFrames,
            hasExerciseHead: !!imp.saved.spec.heads.exercise,
            ...imp.saved.metadata,
            layers: imp.summary.layers,
          },
        });
        services.emit({ type: 'project.changed' });
        return info;
      },
      'models.importTflite': async ({ name, path, bytesBase64, scoreOutput, probsOutput, scoreScale, classNames }) => {
        const bytes = await inputBytes(path, bytesBase64);
        let sig;
        try {
          sig = checkScoringSignature(bytes, { scoreOutput, probsOutput, scoreScale });
        } catch (err) {
          throw new ApiError('bad_input', `${name} is not a TFLite model: ${(err as Error).message}`);
        }
        if (!sig.ok) {
          throw new ApiError(
            'bad_input',
            `${name} cannot be used to score: ${joinErrors(sig.errors)}. A scoring model needs input float32 [1, N, 132] (N frames × 33 landmarks × x,y,z,visibility), one score output [1, 1] and at most one exercise output [1, K].`,
            // The UI asks which output is which when the shapes do not tell.
            sig.ambiguousOutputs?.map((o) => ({ path: 'outputs', message: o.name })),
          );
        }
        const k = sig.numExercises ?? 0;
        if (classNames && classNames.length !== k)
          throw new ApiError(
            'bad_input',
            `${classNames.length} class names given, but the exercise output has ${k} classes`,
          );
        if (k > 0 && k !== 14 && !classNames) {
          throw new ApiError(
            'bad_input',
            `${name}: the exercise output "${sig.probsOutput}" has ${k} classes (not the toolkit's 14): name them in order`,
          );
        }
        const file = await writeImported(join(services.paths.models, 'imported'), randomUUID(), bytes);
        // The mask its metadata carries (a file exported by this app), applied whenever it scores; said in its info.
        const classes = tfliteClasses(classNames ? { exerciseLabels: classNames } : {}, sig.formStudio);
        const info = registry().insert({
          runId: null,
          name,
          kind: 'tflite',
          role: 'imported',
          filePath: file,
          sizeBytes: bytes.length,
          valMae: null,
          metrics: {
            numFrames: sig.numFrames ?? null,
            hasExerciseHead: !!sig.probsOutput,
            warnings: sig.warnings,
            formStudio: sig.formStudio ?? null,
            scoreOutput: sig.scoreOutput,
            probsOutput: sig.probsOutput ?? null,
            scoreScale: sig.scoreScale ?? 1,
            ...(classNames ? { exerciseLabels: classNames } : {}),
            trainedExercises: k > 0 ? classes.trained : null,
            exerciseMask: exerciseMaskNote(k, classes.trained),
          },
        });
        services.emit({ type: 'project.changed' });
        return info;
      },
    },
  };
}

async function inputBytes(path: string | undefined, bytesBase64: string | undefined): Promise<Uint8Array> {
  if (!path) return new Uint8Array(Buffer.from(bytesBase64!, 'base64'));
  try {
    return new Uint8Array(await readFile(path));
  } catch {
    throw new ApiError('not_found', `Cannot read ${path}`);
  }
}
