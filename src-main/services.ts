/**
 * The main-process services behind the typed API. No Electron import here: the desktop app's IPC and
 * the browser-mode web host are thin adapters over `Services.call` and `Services.media`.
 */
import { z } from 'zod';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { apiContract, isApiName, type ApiContract, type ApiEvent, type ApiName, type ApiOutput } from '../src-shared/api/contract';
import { ApiError, type ApiResult } from '../src-shared/api/errors';
import { formatLabelCsv } from '../src-shared/labels/csv';
import { guessExerciseType } from '../src-shared/domain/exercises';
import { openDatabase, type Db } from './store/database';
import { ProjectStore } from './store/project-store';
import { homePaths, type HomePaths } from './paths';
import { JobRegistry, type JobContext } from './jobs';
import { handleMediaRequest, type MediaRoots } from './media-protocol';
import { resolveInside, writeFileAtomic } from './fs-safe';
import { KeypointStore } from './store/keypoint-store';
import { trainingHandlers } from './training/handlers';
import { modelsHandlers, modelRegistry } from './models/handlers';
import { datasetsHandlers } from './datasets/handlers';
import { filesHandlers } from './library/folder-browser';
import { sessionsHandlers, sessionSnapshotPath } from './sessions/handlers';
import { DEFAULT_NUM_FRAMES, type PoseModelVariant } from '../src-shared/keypoints/format';
import { sampleFramesToDir } from './media/frames';
import { isMediaError } from './media/errors';
import { mediaUrlPath } from './media-protocol';

export type Handlers = {
  [K in ApiName]: (input: z.output<ApiContract[K]['input']>) => Promise<ApiOutput<K>> | ApiOutput<K>;
};
/** The handlers of one feature's calls. */
export type HandlersOf<C> = Pick<Handlers, Extract<keyof C, ApiName>>;

export interface ServiceOptions {
  home: string;
  mode: 'electron' | 'browser';
  version?: string;
}

/** Optional capabilities that later modules plug in (media import, extraction…). */
export interface Extensions {
  importVideos?: (ctx: JobContext, services: Services, paths: string[], split: 'train' | 'test' | undefined) => Promise<string>;
  ffmpegStatus?: () => { available: boolean; path: string | null; message: string | null };
  previewPath?: (services: Services, videoId: number) => string | null;
  thumbPath?: (services: Services, videoId: number) => string | null;
}

export class Services {
  readonly paths: HomePaths;
  readonly db: Db;
  readonly store: ProjectStore;
  readonly keypoints: KeypointStore;
  readonly jobs: JobRegistry;
  private readonly listeners = new Set<(e: ApiEvent) => void>();
  private readonly handlers: Handlers;
  readonly ext: Extensions = {};

  constructor(readonly options: ServiceOptions) {
    this.paths = homePaths(options.home);
    this.db = openDatabase(this.paths.db);
    this.store = ProjectStore.openDefault(this.db, this.paths.media);
    this.keypoints = new KeypointStore(this.db);
    this.jobs = new JobRegistry((e) => this.emit(e));
    this.handlers = this.buildHandlers();
  }

  subscribe(listener: (e: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: ApiEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // a broken listener must not stop the others
      }
    }
  }

  /** Validate and run one API call. Never throws: errors come back as typed bodies. */
  async call(name: unknown, rawInput: unknown): Promise<ApiResult<unknown>> {
    try {
      if (!isApiName(name)) throw new ApiError('not_found', `Unknown API call "${String(name)}"`);
      const schema = apiContract[name].input;
      const parsed = schema.safeParse(rawInput ?? {});
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(input)', message: i.message }));
        throw new ApiError('bad_input', `Invalid input for ${name}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
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

  readonly mediaRoots: MediaRoots = {
    mediaRoot: () => this.store.mediaRoot,
    cacheRoot: () => this.paths.cache,
    videoPath: (id) => {
      const preview = this.ext.previewPath?.(this, id);
      if (preview) return preview;
      const row = this.store.videoById(id);
      return row ? resolveInside(this.store.mediaRoot, row.relPath) : null;
    },
    thumbPath: (id) => this.ext.thumbPath?.(this, id) ?? null,
    sessionSnapshot: (id) => sessionSnapshotPath(this, id),
  };

  media(subpath: string, range: string | null, method = 'GET'): Response {
    return handleMediaRequest(this.mediaRoots, subpath, range, method);
  }

  close(): void {
    this.jobs.cancelAll();
    modelRegistry(this).close();
    this.db.close();
  }

  requireVideo(videoId: number) {
    const row = this.store.videoById(videoId);
    if (!row) throw new ApiError('not_found', `Video ${videoId} is not in this project`);
    return row;
  }

  /** Absolute path of a video's original file, confined to the media root. */
  videoFile(videoId: number, relPath: string): string {
    const file = resolveInside(this.store.mediaRoot, relPath);
    if (!file) throw new ApiError('bad_input', `Video ${videoId} has a path outside the project: ${relPath}`);
    return file;
  }

  private labeler(): string {
    try {
      return userInfo().username;
    } catch {
      return 'coach';
    }
  }

  private buildHandlers(): Handlers {
    return {
      ...trainingHandlers(this),
      ...modelsHandlers(this),
      ...datasetsHandlers(this),
      ...filesHandlers(),
      ...sessionsHandlers(this),
      'app.info': () => ({
        version: this.options.version ?? readVersion(),
        mode: this.options.mode,
        home: this.paths.home,
        dbPath: this.paths.db,
        ffmpeg: this.ext.ffmpegStatus?.() ?? { available: false, path: null, message: 'Media support is not loaded' },
      }),
      'project.get': () => this.store.summary(),
      'project.rename': ({ name }) => {
        this.store.rename(name);
        this.emit({ type: 'project.changed' });
        return this.store.summary();
      },
      'project.getSetting': ({ key }) => this.store.getSetting(key),
      'project.setSetting': ({ key, value }) => {
        const check = SETTING_SCHEMAS[key];
        if (check && value !== null) {
          const r = check.safeParse(value);
          if (!r.success) throw new ApiError('bad_input', `Invalid value for ${key}: ${r.error.issues[0]?.message ?? 'invalid'}`);
        }
        this.store.setSetting(key, value);
        return { ok: true as const };
      },
      'videos.list': ({ limit }) => this.store.listRows(limit),
      'videos.get': ({ videoIds }) => this.store.rowsByIds(videoIds),
      'videos.import': ({ paths, split }) => {
        const importer = this.ext.importVideos;
        if (!importer) throw new ApiError('unavailable', 'Video import needs the media module, which failed to load');
        const job = this.jobs.start('import', `Import ${paths.length === 1 ? paths[0] : `${paths.length} items`}`, (ctx) =>
          importer(ctx, this, paths, split),
        );
        return { jobId: job.id };
      },
      'videos.remove': ({ videoIds }) => {
        const removed = this.store.removeVideos(videoIds);
        this.emit({ type: 'videos.changed', videoIds });
        return { removed };
      },
      'labels.edit': ({ edits }) => {
        const ids = this.store.applyLabelEdits(edits, this.labeler());
        this.emit({ type: 'videos.changed', videoIds: ids });
        return { rows: this.store.rowsByIds([...new Set(ids)]) };
      },
      'labels.previewCsv': ({ csv }) => {
        const { rows: _rows, ...preview } = this.store.previewCsv(csv);
        return preview;
      },
      'labels.applyCsv': ({ csv }) => {
        const applied = this.store.applyCsv(csv, this.labeler());
        this.emit({ type: 'videos.changed', videoIds: 'all' });
        return { applied };
      },
      'labels.exportCsv': async ({ path }) => {
        const rows = this.store.labelRows();
        const csv = formatLabelCsv(rows);
        if (path) await writeFileAtomic(path, csv);
        return { csv, path: path ?? null, rows: rows.length };
      },
      'keypoints.pending': ({ numFrames, variant, videoIds, force }) => {
        const n = numFrames ?? DEFAULT_NUM_FRAMES;
        const v = (variant ?? this.store.poseVariant()) as PoseModelVariant;
        const rows = videoIds ? this.store.rowsByIds(videoIds) : this.store.listRows();
        return rows
          .filter((r) => r.status === 'ok' && r.contentHash)
          .filter((r) => force || !this.keypoints.has({ contentHash: r.contentHash!, numFrames: n, variant: v }))
          .map((r) => r.id);
      },
      'keypoints.prepare': async ({ videoId, numFrames }) => {
        const row = this.requireVideo(videoId);
        const file = this.videoFile(row.id, row.relPath);
        const n = numFrames ?? DEFAULT_NUM_FRAMES;
        try {
          const frames = await sampleFramesToDir(file, join(this.paths.cache, 'frames'), { n, maxSide: 640, format: 'jpeg' });
          const rel = frames.dir.slice(this.paths.cache.length + 1).split(/[\\/]/).join('/');
          return {
            videoId,
            contentHash: frames.contentHash,
            numFrames: n,
            timestamps: frames.timestamps,
            frameUrls: frames.files.map((f) => mediaUrlPath('cache', `${rel}/${f}`)),
            width: frames.width,
            height: frames.height,
          };
        } catch (err) {
          if (isMediaError(err)) throw new ApiError('bad_input', `${row.relPath}: ${err.message}`);
          throw err;
        }
      },
      'keypoints.save': ({ videoId, numFrames, variant, timestamps, frames, world, error }) => {
        const row = this.requireVideo(videoId);
        if (!row.contentHash) throw new ApiError('conflict', `${row.relPath} has no content hash yet; import it again`);
        const summary = this.keypoints.save(
          { contentHash: row.contentHash, numFrames, variant },
          error ? null : { numFrames, variant, timestamps, frames, world: world ?? null },
          error,
        );
        this.emit({ type: 'videos.changed', videoIds: [videoId] });
        return summary;
      },
      'keypoints.get': ({ videoId, numFrames, variant }) => {
        const row = this.requireVideo(videoId);
        if (!row.contentHash) return null;
        const kp = this.keypoints.get({ contentHash: row.contentHash, numFrames: numFrames ?? DEFAULT_NUM_FRAMES, variant: (variant ?? this.store.poseVariant()) as PoseModelVariant });
        if (!kp || kp.status !== 'ok') return null;
        return { numFrames: kp.numFrames, variant: kp.variant, timestamps: kp.timestamps, frames: kp.frames, world: kp.world };
      },
      'keypoints.clear': () => {
        const removed = this.keypoints.clear();
        this.emit({ type: 'videos.changed', videoIds: 'all' });
        return { removed };
      },
      'labels.generate': () => {
        const rows = this.store.labelRows().map((r) => ({ relativePath: r.relativePath, exerciseType: guessExerciseType(r.relativePath), score: null }));
        return { csv: formatLabelCsv(rows), rows: rows.length, guessed: rows.filter((r) => r.exerciseType !== null).length };
      },
      'jobs.list': () => this.jobs.list(),
      'jobs.cancel': ({ jobId }) => {
        this.jobs.cancel(jobId);
        return { ok: true as const };
      },
    };
  }
}

/** Settings other code relies on get a schema; free-form UI state (grid layout…) is stored as given. */
const SETTING_SCHEMAS: Record<string, z.ZodType> = {
  'pose.variant': z.enum(['lite', 'full', 'heavy']),
  'live.camera': z.number().int().min(0).max(64),
};

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const e = err as { code?: string; message?: string };
  if (e?.code === 'SQLITE_FULL' || e?.code === 'ENOSPC') return new ApiError('io_error', 'The disk is full: free some space and try again. Nothing already saved was lost.');
  if (e?.code === 'EACCES' || e?.code === 'EPERM') return new ApiError('io_error', `Permission denied: ${e.message}`);
  if (e?.code === 'ENOENT') return new ApiError('not_found', e.message ?? 'File not found');
  console.error('[form-studio] internal error:', err);
  return new ApiError('internal', e?.message ?? String(err));
}

function readVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}
