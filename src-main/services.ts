/**
 * The main-process services behind the typed API: one context per open home, one module per feature.
 * No Electron import here: the desktop app's IPC and the browser-mode web host are thin adapters over
 * `Services.call` and `Services.media`.
 */
import type { z } from 'zod';
import {
  apiContract,
  isApiName,
  type ApiContract,
  type ApiEvent,
  type ApiName,
  type ApiOutput,
} from '../src-shared/api/contract';
import { ApiError, type ApiResult } from '../src-shared/api/errors';
import { createAppContext, type AppContext, type Feature, type Handlers, type ServiceOptions } from './app-context';
import { handleMediaRequest, type MediaRoots } from './media-protocol';
import { projectMediaRoots } from './media-roots';
import { createProjectFeature } from './project/handlers';
import { createLibraryFeature } from './library/handlers';
import { createKeypointsFeature } from './keypoints/handlers';
import { createTrainingFeature } from './training/handlers';
import { createModelsFeature } from './models/handlers';
import { createDatasetsFeature } from './datasets/handlers';
import { createSetsFeature } from './sets/handlers';
import { createCuesFeature } from './cues/handlers';
import { createEvaluationFeature } from './evaluation/handlers';
import { createFilesFeature } from './library/folder-browser';

export type { Handlers, HandlersOf, ServiceOptions } from './app-context';

export class Services {
  readonly ctx: AppContext;
  // The context's parts, for the CLI and tests that reach past the API.
  readonly paths: AppContext['paths'];
  readonly db: AppContext['db'];
  readonly store: AppContext['store'];
  readonly keypoints: AppContext['keypoints'];
  readonly jobs: AppContext['jobs'];
  readonly mediaRoots: MediaRoots;
  private readonly features: Feature<ApiName>[];
  private readonly handlers: Handlers;

  constructor(readonly options: ServiceOptions) {
    const ctx = (this.ctx = createAppContext(options));
    ({ paths: this.paths, db: this.db, store: this.store, keypoints: this.keypoints, jobs: this.jobs } = ctx);
    this.mediaRoots = projectMediaRoots(ctx);
    const features = [
      createProjectFeature(ctx),
      createLibraryFeature(ctx),
      createKeypointsFeature(ctx),
      createTrainingFeature(ctx),
      createModelsFeature(ctx),
      createDatasetsFeature(ctx),
      createSetsFeature(ctx),
      createCuesFeature(ctx),
      createEvaluationFeature(ctx),
      createFilesFeature(),
    ];
    this.features = features as Feature<ApiName>[];
    // The features' calls must cover the contract exactly once: `satisfies` fails the build on a gap.
    this.handlers = Object.assign({}, ...features.map((f) => f.handlers)) satisfies Handlers;
  }

  get models(): AppContext['models'] {
    return this.ctx.models;
  }

  subscribe(listener: (e: ApiEvent) => void): () => void {
    return this.ctx.subscribe(listener);
  }

  emit(event: ApiEvent): void {
    this.ctx.emit(event);
  }

  /** Validate and run one API call. Never throws: errors come back as typed bodies. */
  async call(name: unknown, rawInput: unknown): Promise<ApiResult<unknown>> {
    try {
      if (!isApiName(name)) throw new ApiError('not_found', `Unknown API call "${String(name)}"`);
      const schema = apiContract[name].input;
      const parsed = schema.safeParse(rawInput ?? {});
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(input)', message: i.message }));
        throw new ApiError(
          'bad_input',
          `Invalid input for ${name}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
          issues,
        );
      }
      const handler = this.handlers[name] as (input: unknown) => unknown;
      const value = await handler(parsed.data);
      return { ok: true, value };
    } catch (err) {
      return { ok: false, error: toApiError(err).toBody() };
    }
  }

  /** Typed call for in-process users (CLI, tests). Throws ApiError. */
  async invoke<K extends ApiName>(name: K, input: z.input<ApiContract[K]['input']>): Promise<ApiOutput<K>> {
    const r = await this.call(name, input);
    if (!r.ok) throw ApiError.fromBody(r.error);
    return r.value as ApiOutput<K>;
  }

  media(subpath: string, range: string | null, method = 'GET'): Response {
    return handleMediaRequest(this.mediaRoots, subpath, range, method);
  }

  close(): void {
    this.jobs.cancelAll();
    for (const f of this.features) f.close?.();
    this.db.close();
  }
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const e = err as { code?: string; message?: string };
  if (e?.code === 'SQLITE_FULL' || e?.code === 'ENOSPC')
    return new ApiError('io_error', 'The disk is full: free some space and try again. Nothing already saved was lost.');
  if (e?.code === 'EACCES' || e?.code === 'EPERM') return new ApiError('io_error', `Permission denied: ${e.message}`);
  if (e?.code === 'ENOENT') return new ApiError('not_found', e.message ?? 'File not found');
  console.error('[form-studio] internal error:', err);
  return new ApiError('internal', e?.message ?? String(err));
}
