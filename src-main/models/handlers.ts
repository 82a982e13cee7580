/** Main-process handlers of the models calls (see src-shared/api/models-contract.ts). */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Services, HandlersOf } from '../services';
import type { modelsContract } from '../../src-shared/api/models-contract';
import { ApiError } from '../../src-shared/api/errors';
import { ModelRegistry } from './model-registry';
import { scoreWithModel } from './scoring';
import { exportModel, writeImported } from './export';
import { checkScoringSignature } from '../../src-shared/tflite/signature';

const registries = new WeakMap<Services, ModelRegistry>();

export function modelRegistry(services: Services): ModelRegistry {
  let r = registries.get(services);
  if (!r) {
    r = new ModelRegistry(services);
    registries.set(services, r);
  }
  return r;
}

export function modelsHandlers(services: Services): HandlersOf<typeof modelsContract> {
  const registry = () => modelRegistry(services);
  return {
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
      return scoreWithModel(await registry().load(id), frames, aspectRatio);
    },
    'models.export': ({ modelId, weights, optimize, test, outputPath }) => exportModel(services, registry(), { modelId, weights, optimize, test, outputPath }),
    'models.importTflite': async ({ name, path, bytesBase64 }) => {
      let bytes: Uint8Array;
      if (path) {
        try {
          bytes = new Uint8Array(await readFile(path));
        } catch {
          throw new ApiError('not_found', `Cannot read ${path}`);
        }
      } else bytes = new Uint8Array(Buffer.from(bytesBase64!, 'base64'));
      let sig;
      try {
        sig = checkScoringSignature(bytes);
      } catch (err) {
        throw new ApiError('bad_input', `${name} is not a TFLite model: ${(err as Error).message}`);
      }
      if (!sig.ok) {
        throw new ApiError(
          'bad_input',
          `${name} cannot be used to score: ${sig.errors.join('; ')}. A scoring model needs input float32 [1, N, 132] (N frames × 33 landmarks × x,y,z,visibility) and an output "score" [1, 1] (0–100), optionally "exercise_probs" [1, 14].`,
        );
      }
      const file = await writeImported(join(services.paths.models, 'imported'), randomUUID(), bytes);
      const info = registry().insert({
        runId: null,
        name,
        kind: 'tflite',
        role: 'imported',
        filePath: file,
        sizeBytes: bytes.length,
        valMae: null,
        metrics: { numFrames: sig.numFrames ?? null, hasExerciseHead: !!sig.probsOutput, warnings: sig.warnings, formStudio: sig.formStudio ?? null },
      });
      services.emit({ type: 'project.changed' });
      return info;
    },
  };
}
