/**
 * The cues feature: the coach's cue settings through the typed API, kept in the project folder by
 * settings-store.ts (cue-settings.json), and the learned cue models trained from landmark CSVs
 * (learned-train.ts), kept by learned-store.ts (cue-models/<exercise>[.<name>].json). Every place that evaluates cues
 * reads them with `cueSettingsOf` and `learnedCuesOf`.
 */
import type { AppContext, CallsOf, Feature } from '../app-context';
import type { cuesContract } from '../../src-shared/api/cues-contract';
import { ApiError } from '../../src-shared/api/errors';
import type { CueSettings } from '../../src-shared/cues';
import type { StoredLearnedCueModel } from '../../src-shared/api/cues-contract';
import { CueSettingsError, loadCueSettings, saveCueSettings } from './settings-store';
import { LearnedCueStoreError, deleteLearnedCue, loadLearnedCues, saveLearnedCue } from './learned-store';
import { previewLandmarkCsv, startLearnedCueTraining, trainLearnedCueModel } from './learned-train';
import { learnedModelId } from '../../src-shared/cues/learned';

/** The project's cue settings; a damaged file is a clear error (io_error), not defaults. */
export async function cueSettingsOf(ctx: Pick<AppContext, 'paths'>): Promise<CueSettings> {
  try {
    return await loadCueSettings(ctx.paths.home);
  } catch (e) {
    if (e instanceof CueSettingsError) throw new ApiError('io_error', e.message);
    throw e;
  }
}

/** The project's learned cue models; a damaged model file is a clear error (io_error), not skipped. */
export async function learnedCuesOf(ctx: Pick<AppContext, 'paths'>): Promise<StoredLearnedCueModel[]> {
  try {
    return await loadLearnedCues(ctx.paths.home);
  } catch (e) {
    if (e instanceof LearnedCueStoreError) throw new ApiError('io_error', e.message);
    throw e;
  }
}

export function createCuesFeature(ctx: AppContext): Feature<CallsOf<typeof cuesContract>> {
  return {
    handlers: {
      'cues.getSettings': async () => ({ settings: await cueSettingsOf(ctx) }),
      'cues.setSettings': async ({ settings }) => {
        try {
          return { settings: await saveCueSettings(ctx.paths.home, settings) };
        } catch (e) {
          if (e instanceof CueSettingsError)
            throw new ApiError(
              'bad_input',
              e.message,
              e.problems.map((message) => ({ path: 'settings', message })),
            );
          throw e;
        }
      },
      'cues.previewCsv': (input) => previewLandmarkCsv(input),
      'cues.trainLearned': async (input) => {
        const model = await trainLearnedCueModel(input);
        await saveLearnedCue(ctx.paths.home, model); // only a finished model reaches the disk
        return model;
      },
      'cues.startTraining': async (input) => {
        const training = await startLearnedCueTraining(input); // bad data: bad_input now, no job
        const what = `${input.exercise}${input.modelName ? ` ${input.modelName}` : ''} cue model`;
        const job = ctx.jobs.start('cue-training', `Train the ${what}`, async (job) => {
          const model = await training.run({
            signal: job.signal,
            onEpoch: (epoch, epochs) => job.progress(epoch / epochs, `epoch ${epoch} of ${epochs}`),
          });
          if (job.signal.aborted) return 'Cancelled: nothing saved';
          await saveLearnedCue(ctx.paths.home, model); // only a finished model reaches the disk
          return `Saved the ${what}: held-out accuracy ${(model.metrics.accuracy * 100).toFixed(1)} %`;
        });
        return { jobId: job.id };
      },
      'cues.listLearned': async () => ({ models: await learnedCuesOf(ctx) }),
      'cues.deleteLearned': async ({ exercise, modelName }) => {
        if (!(await deleteLearnedCue(ctx.paths.home, exercise, modelName)))
          throw new ApiError('not_found', `No learned cue model ${learnedModelId(exercise, modelName)}`);
        return { ok: true };
      },
    },
  };
}
