/** Main-process handlers of the training calls (see src-shared/api/training-contract.ts). */
import type { AppContext, CallsOf, Feature } from '../app-context';
import type { trainingContract } from '../../src-shared/api/training-contract';
import { DEFAULT_NUM_FRAMES, type PoseModelVariant } from '../../src-shared/keypoints/format';

const fromB64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

export function createTrainingFeature(services: AppContext): Feature<CallsOf<typeof trainingContract>> {
  const runs = () => services.runs;
  return {
    handlers: {
      'training.data': ({ numFrames, variant, withOthers }) =>
        runs().trainingData(
          numFrames ?? DEFAULT_NUM_FRAMES,
          (variant ?? services.store.poseVariant()) as PoseModelVariant,
          withOthers ?? false,
        ),
      'runs.create': ({ settings, backend, dataSummary }) => {
        const runId = runs().create(settings, backend, dataSummary);
        services.emit({ type: 'project.changed' });
        return { runId };
      },
      'runs.epoch': ({ runId, metrics }) => {
        runs().saveEpoch(runId, metrics);
        return { ok: true as const };
      },
      'runs.checkpoint': async ({ runId, epoch, part, parts, bytesBase64 }) => {
        const complete = await runs().checkpointPart({ runId, epoch, part, parts, bytes: fromB64(bytesBase64) });
        return { ok: true as const, complete };
      },
      'runs.resumeInfo': ({ runId }) => runs().resumeInfo(runId),
      'runs.readCheckpoint': ({ runId, offset }) => {
        const r = runs().readCheckpoint(runId, offset);
        return { bytesBase64: r.bytes.toString('base64'), done: r.done };
      },
      'runs.reopen': ({ runId, backend }) => {
        runs().reopen(runId);
        runs().setBackend(runId, backend);
        return runs().get(runId).run;
      },
      'runs.setBackend': ({ runId, backend }) => {
        runs().setBackend(runId, backend);
        return { ok: true as const };
      },
      'runs.finish': ({ runId, status, message, bestEpoch, bestValMae, evaluation }) => {
        const run = runs().finish(runId, { status, message, bestEpoch, bestValMae, evaluation });
        services.emit({ type: 'project.changed' });
        return run;
      },
      'runs.list': () => runs().list(),
      'runs.get': ({ runId }) => runs().get(runId),
      'runs.saveModel': async ({ runId, role, bytesBase64, valMae, metrics }) => {
        const r = await runs().saveModel({ runId, role, bytes: fromB64(bytesBase64), valMae, metrics });
        services.emit({ type: 'project.changed' });
        return r;
      },
      'predictions.save': ({ modelId, items }) => {
        const saved = runs().savePredictions(modelId, items);
        services.emit({ type: 'videos.changed', videoIds: [...new Set(items.map((i) => i.videoId))] });
        return { saved };
      },
    },
  };
}
