/** The app and project calls: app info, project name and settings, background jobs. */
import { z } from 'zod';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '../../src-shared/api/errors';
import type { AppContext, Feature } from '../app-context';
import type { ApiName } from '../../src-shared/api/contract';
import { findFfmpeg } from '../media/ffmpeg';

type ProjectCalls = Extract<ApiName, `app.${string}` | `project.${string}` | `jobs.${string}`>;

/** Settings other code relies on get a schema; free-form UI state (grid layout…) is stored as given. */
const SETTING_SCHEMAS: Record<string, z.ZodType> = {
  'pose.variant': z.enum(['lite', 'full', 'heavy']),
  'live.camera': z.number().int().min(0).max(64),
};

export function createProjectFeature(ctx: AppContext): Feature<ProjectCalls> {
  return {
    handlers: {
      'app.info': () => ({
        version: appVersion(ctx),
        mode: ctx.options.mode,
        home: ctx.paths.home,
        dbPath: ctx.paths.db,
        ffmpeg: ffmpegStatus(),
      }),
      'project.get': () => ctx.store.summary(),
      'project.rename': ({ name }) => {
        ctx.store.rename(name);
        ctx.emit({ type: 'project.changed' });
        return ctx.store.summary();
      },
      'project.getSetting': ({ key }) => ctx.store.getSetting(key),
      'project.setSetting': ({ key, value }) => {
        const check = SETTING_SCHEMAS[key];
        if (check && value !== null) {
          const r = check.safeParse(value);
          if (!r.success)
            throw new ApiError('bad_input', `Invalid value for ${key}: ${r.error.issues[0]?.message ?? 'invalid'}`);
        }
        ctx.store.setSetting(key, value);
        return { ok: true as const };
      },
      'jobs.list': () => ctx.jobs.list(),
      'jobs.cancel': ({ jobId }) => {
        ctx.jobs.cancel(jobId);
        return { ok: true as const };
      },
    },
  };
}

/** The app's version: given by Electron, else package.json's. */
export function appVersion(ctx: AppContext): string {
  return ctx.options.version ?? readVersion();
}

function ffmpegStatus(): { available: boolean; path: string | null; message: string | null } {
  try {
    const tools = findFfmpeg();
    return { available: true, path: tools.ffmpeg, message: null };
  } catch (err) {
    return { available: false, path: null, message: (err as Error).message };
  }
}

function readVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}
