/** Main-process handlers of the datasets calls: catalog status, and download → verify → extract → import jobs. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AppContext, CallsOf, Feature } from '../app-context';
import type { datasetsContract, DatasetSummary } from '../../src-shared/api/datasets-contract';
import { ApiError } from '../../src-shared/api/errors';
import { listDatasets, downloadDataset, type DatasetJobEvent } from './pipeline';
import { datasetDir, type DatasetStatusInfo, type FileOverrides } from './catalog';
import { formatDownloadProgress } from './progress-text';
import { runImportJob } from '../library/import-job';

/**
 * Where files come from can be overridden (a local mirror, tests on 127.0.0.1):
 * FORM_STUDIO_DATASET_OVERRIDES='{"UCF101_videos.zip":{"url":"http://127.0.0.1:8000/UCF101_videos.zip"}}'
 */
export function datasetOverrides(): FileOverrides {
  const raw = process.env.FORM_STUDIO_DATASET_OVERRIDES;
  if (!raw) return {};
  try {
    return JSON.parse(raw) as FileOverrides;
  } catch {
    throw new ApiError('bad_input', 'FORM_STUDIO_DATASET_OVERRIDES is not valid JSON');
  }
}

export function toSummary(d: DatasetStatusInfo): DatasetSummary {
  return {
    id: d.id,
    name: d.name,
    description: d.description,
    license: d.license,
    homepage: d.homepage,
    downloadBytes: d.downloadBytes,
    diskNeededBytes: d.diskNeededBytes,
    status: d.status,
    bytesOnDisk: d.files.reduce((a, f) => a + (f.bytes ?? 0), 0),
    extracted: d.extracted,
  };
}

function describe(e: DatasetJobEvent): { fraction: number | null; message: string } {
  if (e.stage === 'download') {
    const p = e.progress;
    return { fraction: p.total ? (p.bytes / p.total) * 0.8 : null, message: formatDownloadProgress(p) };
  }
  return { fraction: 0.85, message: `Extracting: ${e.message} (${e.count})` };
}

export function createDatasetsFeature(services: AppContext): Feature<CallsOf<typeof datasetsContract>> {
  // The running download job of each dataset: a second request joins it (two jobs would race on one .part).
  const jobs = new Map<string, string>();
  return {
    handlers: {
      'datasets.list': async () => (await listDatasets(services.paths.home)).map(toSummary),
      'datasets.download': ({ id }) => {
        const current = jobs.get(id);
        if (current && services.jobs.list().some((j) => j.id === current && j.state === 'running'))
          return { jobId: current };
        const overrides = datasetOverrides();
        const job = services.jobs.start(
          'dataset',
          `Download ${id === 'ucf101' ? 'UCF-101' : 'COCO keypoints'}`,
          async (ctx) => {
            const result = await downloadDataset(id, services.paths.home, {
              signal: ctx.signal,
              overrides,
              ucfZipMirror: id === 'ucf101' && !!overrides['UCF101_videos.zip'],
              onProgress: (e) => {
                const d = describe(e);
                ctx.progress(d.fraction, d.message);
              },
            });
            services.emit({ type: 'project.changed' });
            if (result.id === 'coco')
              return `COCO keypoints ready: ${result.splits.map((s) => `${s.split} ${s.kept} people`).join(', ')}`;
            // UCF-101: the exercise clips join the project, split and exercise type pre-filled, no score.
            const root = datasetDir(services.paths.home, 'ucf101');
            const folders = ['exercises_train', 'exercises_test']
              .map((f) => join(root, f))
              .filter((f) => existsSync(f));
            if (folders.length === 0) return `No exercise clips found in the archive`;
            const imported = await runImportJob(ctx, services, folders, undefined);
            return `UCF-101: ${result.records.length} exercise clips extracted. ${imported}`;
          },
        );
        jobs.set(id, job.id);
        return { jobId: job.id };
      },
    },
  };
}
