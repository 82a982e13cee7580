/**
 * The cues feature: the coach's cue settings through the typed API, kept in the project folder by
 * settings-store.ts (cue-settings.json). Every place that evaluates cues reads them with `cueSettingsOf`.
 */
import type { AppContext, CallsOf, Feature } from '../app-context';
import type { cuesContract } from '../../src-shared/api/cues-contract';
import { ApiError } from '../../src-shared/api/errors';
import type { CueSettings } from '../../src-shared/cues';
import { CueSettingsError, loadCueSettings, saveCueSettings } from './settings-store';

/** The project's cue settings; a damaged file is a clear error (io_error), not defaults. */
export async function cueSettingsOf(ctx: Pick<AppContext, 'paths'>): Promise<CueSettings> {
  try {
    return await loadCueSettings(ctx.paths.home);
  } catch (e) {
    if (e instanceof CueSettingsError) throw new ApiError('io_error', e.message);
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
    },
  };
}
