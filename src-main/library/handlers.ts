/** The library calls: the video list, import and removal, and label edits (grid, CSV). */
import { userInfo } from 'node:os';
import type { ApiName } from '../../src-shared/api/contract';
import { formatLabelCsv } from '../../src-shared/labels/csv';
import { guessExerciseType } from '../../src-shared/domain/exercises';
import type { AppContext, Feature } from '../app-context';
import { writeFileAtomic } from '../fs-safe';
import { runImportJob } from './import-job';
import { removeUnreferenced } from './media-files';
import { findFolderCsvs } from './toolkit-csv';

type LibraryCalls = Extract<ApiName, `videos.${string}` | `labels.${string}`>;

export function createLibraryFeature(ctx: AppContext): Feature<LibraryCalls> {
  return {
    handlers: {
      'videos.list': ({ limit }) => ctx.store.listRows(limit),
      'videos.get': ({ videoIds }) => ctx.store.rowsByIds(videoIds),
      'videos.import': ({ paths, split }) => {
        const job = ctx.jobs.start(
          'import',
          `Import ${paths.length === 1 ? paths[0] : `${paths.length} items`}`,
          (jobCtx) => runImportJob(jobCtx, ctx, paths, split),
        );
        return { jobId: job.id };
      },
      'videos.remove': async ({ videoIds }) => {
        const keys = ctx.store.rowsByIds(videoIds).map((r) => r.storageKey);
        const removed = ctx.store.removeVideos(videoIds);
        await removeUnreferenced(ctx.db, ctx.store.mediaRoot, keys);
        ctx.emit({ type: 'videos.changed', videoIds });
        return { removed };
      },
      'labels.edit': ({ edits }) => {
        const ids = ctx.store.applyLabelEdits(edits, labeler());
        ctx.emit({ type: 'videos.changed', videoIds: ids });
        return { rows: ctx.store.rowsByIds([...new Set(ids)]) };
      },
      'labels.previewCsv': ({ csv, csvDir }) => {
        const { rows: _rows, videoIds: _ids, ...preview } = ctx.store.previewCsv(csv, { csvDir });
        return preview;
      },
      'labels.applyCsv': ({ csv, csvDir, allowUnknown }) => {
        const r = ctx.store.applyCsv(csv, labeler(), { csvDir, allowUnknown });
        ctx.emit({ type: 'videos.changed', videoIds: 'all' });
        return r;
      },
      'labels.folderCsv': ({ paths }) => findFolderCsvs(ctx.db, ctx.store.projectId, paths),
      'labels.exportCsv': async ({ path }) => {
        const { rows, format } = ctx.store.labelCsvExport();
        const csv = formatLabelCsv(rows, format);
        if (path) await writeFileAtomic(path, csv);
        return { csv, path: path ?? null, rows: rows.length };
      },
      'labels.generate': () => {
        const rows = ctx.store.labelCsvExport().rows.map((r) => ({
          relativePath: r.relativePath,
          exerciseType: guessExerciseType(r.relativePath),
          score: null,
        }));
        return {
          csv: formatLabelCsv(rows),
          rows: rows.length,
          guessed: rows.filter((r) => r.exerciseType !== null).length,
        };
      },
    },
  };
}

function labeler(): string {
  try {
    return userInfo().username;
  } catch {
    return 'coach';
  }
}
