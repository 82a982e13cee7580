/**
 * What every feature of one open home shares: its paths, database, stores, background jobs and the event
 * sink. Built once per `Services`; features get it as their only argument, so nothing is a hidden singleton.
 */
import type { z } from 'zod';
import type { ApiContract, ApiEvent, ApiName, ApiOutput } from '../src-shared/api/contract';
import { ApiError } from '../src-shared/api/errors';
import { openDatabase, type Db, type MigrationProgress } from './store/database';
import { ProjectStore } from './store/project-store';
import { KeypointStore } from './store/keypoint-store';
import { homePaths, type HomePaths } from './paths';
import { JobRegistry } from './jobs';
import { migrateMediaLayout, relocateMediaRoot, storedFileOf } from './library/media-files';
import { RunStore } from './training/run-store';
import { ModelRegistry } from './models/model-registry';

export interface ServiceOptions {
  home: string;
  mode: 'electron' | 'browser';
  version?: string;
  /** Hears a long data migration at open (migration 5 on a large keypoint cache): say so to the user. */
  onMigrationProgress?: MigrationProgress;
}

export type Handlers = {
  [K in ApiName]: (input: z.output<ApiContract[K]['input']>) => Promise<ApiOutput<K>> | ApiOutput<K>;
};
/** The call names of one contract (`typeof trainingContract`…). */
export type CallsOf<C> = Extract<keyof C, ApiName>;
/** The handlers of one feature's calls. */
export type HandlersOf<C> = Pick<Handlers, CallsOf<C>>;

/** One feature: the handlers of its calls and what to release when the home closes. */
export interface Feature<K extends ApiName> {
  handlers: Pick<Handlers, K>;
  close?(): void;
}

export interface AppContext {
  readonly options: ServiceOptions;
  readonly paths: HomePaths;
  readonly db: Db;
  readonly store: ProjectStore;
  readonly keypoints: KeypointStore;
  /** Training runs, checkpoints and saved models (made on first use: it creates the checkpoint folder). */
  readonly runs: RunStore;
  /** Trained and imported models, loaded on demand and cached. */
  readonly models: ModelRegistry;
  readonly jobs: JobRegistry;
  emit(event: ApiEvent): void;
  subscribe(listener: (e: ApiEvent) => void): () => void;
  requireVideo(videoId: number): NonNullable<ReturnType<ProjectStore['videoById']>>;
  /** Absolute path of the project's stored copy of a video (read-only to everyone), confined to the media root. */
  videoFile(videoId: number): string;
}

export function createAppContext(options: ServiceOptions): AppContext {
  const paths = homePaths(options.home);
  const db = openDatabase(paths.db, options.onMigrationProgress);
  const store = ProjectStore.openDefault(db, paths.media);
  // Older or moved projects: follow the home's media folder, then move rows into the content-addressed store.
  relocateMediaRoot(db, store.projectId, paths.media);
  migrateMediaLayout(db, store.projectId, store.mediaRoot);
  const listeners = new Set<(e: ApiEvent) => void>();
  const emit = (event: ApiEvent): void => {
    for (const l of listeners) {
      try {
        l(event);
      } catch {
        // a broken listener must not stop the others
      }
    }
  };
  let runs: RunStore | null = null;
  let models: ModelRegistry | null = null;
  return {
    options,
    paths,
    db,
    store,
    keypoints: new KeypointStore(db),
    jobs: new JobRegistry(emit),
    get runs() {
      return (runs ??= new RunStore(db, store, paths.models));
    },
    get models() {
      return (models ??= new ModelRegistry({ db, store }));
    },
    emit,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    requireVideo(videoId) {
      const row = store.videoById(videoId);
      if (!row) throw new ApiError('not_found', `Video ${videoId} is not in this project`);
      return row;
    },
    videoFile(videoId) {
      const row = store.videoById(videoId);
      if (!row) throw new ApiError('not_found', `Video ${videoId} is not in this project`);
      const file = storedFileOf(store.mediaRoot, row);
      if (!file) throw new ApiError('bad_input', `Video ${videoId} has a path outside the project: ${row.relPath}`);
      return file;
    },
  };
}
