/**
 * The dataset pipeline: catalog status, download → verify → extract (UCF-101 exercise clips, COCO keypoints),
 * and importing a folder. Used by the datasets API handlers (jobs) and so by the CLI; no argv parsing here.
 */
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { importVideos, type ImportOptions, type ImportResult } from '../media/import.js';
import { extractZip, listRar, listZip } from './archive.js';
import {
  datasetDir,
  datasetStatus,
  downloadsDir,
  extractedMarker,
  resolveDataset,
  type DatasetId,
  type DatasetStatusInfo,
  type FileOverrides,
} from './catalog.js';
import { extractCocoKeypoints, type CocoSplitSummary } from './coco.js';
import { downloadFile, type DownloadProgress } from './download.js';
import { DatasetError } from './errors.js';
import { extractUcf101, type UcfRecord } from './ucf101.js';

export async function listDatasets(home: string): Promise<DatasetStatusInfo[]> {
  return Promise.all((['ucf101', 'coco'] as const).map((id) => datasetStatus(home, id)));
}

export type DatasetJobEvent =
  { stage: 'download'; progress: DownloadProgress } | { stage: 'extract'; message: string; count: number };

export interface DownloadDatasetOptions {
  signal?: AbortSignal;
  onProgress?: (e: DatasetJobEvent) => void;
  /** Override URL/size/checksum by file name (e.g. { 'UCF101.rar': { url: 'http://127.0.0.1:…/UCF101.rar' } }). */
  overrides?: FileOverrides;
  /** UCF-101: download the zip mirror UCF101_videos.zip (URL via overrides) instead of UCF101.rar. */
  ucfZipMirror?: boolean;
  /** Injected free-space function (tests). */
  freeSpace?: (dir: string) => Promise<number>;
  retries?: number;
  backoffMs?: number;
  /** Skip extraction (download + verify only). */
  downloadOnly?: boolean;
  /** COCO: image folders to link. */
  cocoImages?: Partial<Record<'train' | 'val', string>>;
  /** UCF-101: official split number (default 1). */
  ucfSplit?: 1 | 2 | 3;
}

export type DownloadDatasetResult =
  | { id: 'ucf101'; status: DatasetStatusInfo; records: UcfRecord[]; refused: Array<{ name: string; reason: string }> }
  | { id: 'coco'; status: DatasetStatusInfo; splits: CocoSplitSummary[] };

/** Archive-integrity check used when no checksum is published: the whole index must read without error. */
async function verifyArchive(p: string, name: string): Promise<void> {
  const entries = name.toLowerCase().endsWith('.rar') ? await listRar(p) : await listZip(p);
  if (entries.length === 0) throw new Error('the archive is empty');
}

/** Download (resumable), verify, and extract one dataset into <home>/datasets/<id>/. */
export async function downloadDataset(
  id: DatasetId,
  home: string,
  opts: DownloadDatasetOptions = {},
): Promise<DownloadDatasetResult> {
  if (id !== 'ucf101' && id !== 'coco')
    throw new DatasetError('unknown_dataset', `Unknown dataset "${id}". Known: ucf101, coco.`);
  const d = resolveDataset(id, opts.overrides, { ucfZipMirror: opts.ucfZipMirror });
  if (d.files.some((f) => !f.url))
    throw new DatasetError('missing_file', `No URL for ${d.files.find((f) => !f.url)!.name}: pass one in overrides.`);
  const dl = downloadsDir(home, id);
  const paths: Record<string, string> = {};
  for (const f of d.files) {
    const dest = path.join(dl, f.name);
    await downloadFile({
      url: f.url,
      dest,
      expectedSize: f.size,
      approxSize: f.approxSize,
      checksum: f.checksum,
      verify: f.integrity === 'archive-listing' ? (p) => verifyArchive(p, f.name) : undefined,
      signal: opts.signal,
      retries: opts.retries,
      backoffMs: opts.backoffMs,
      freeSpace: opts.freeSpace,
      onProgress: (progress) => opts.onProgress?.({ stage: 'download', progress }),
    });
    paths[f.name] = dest;
  }
  const root = datasetDir(home, id);
  if (opts.downloadOnly)
    return id === 'ucf101'
      ? { id, status: await datasetStatus(home, id), records: [], refused: [] }
      : { id, status: await datasetStatus(home, id), splits: [] };
  await rm(extractedMarker(home, id), { force: true });
  if (id === 'ucf101') {
    const splitDir = path.join(root, 'splits');
    const splitZip = paths['UCF101TrainTestSplits-RecognitionTask.zip'];
    // the split zip holds ucfTrainTestlist/*.txt; flatten into splits/
    const sres = await extractZip(splitZip, splitDir, {
      select: (e) => (/\.txt$/i.test(e.name) ? e.name.split('/').pop()! : null),
      signal: opts.signal,
    });
    const res = await extractUcf101({
      archive: paths['UCF101.rar'] ?? paths['UCF101_videos.zip'],
      root,
      splitDir,
      splitNumber: opts.ucfSplit ?? 1,
      signal: opts.signal,
      onProgress: (p) => opts.onProgress?.({ stage: 'extract', message: p.current, count: p.extracted }),
    });
    const refused = [...sres.refused, ...res.refused];
    await writeFile(
      extractedMarker(home, id),
      JSON.stringify(
        {
          at: new Date().toISOString(),
          records: res.records.length,
          splitSource: res.splitSource,
          refused,
          items: res.records,
        },
        null,
        1,
      ),
    );
    return { id, status: await datasetStatus(home, id), records: res.records, refused };
  }
  const res = await extractCocoKeypoints({
    zip: paths['annotations_trainval2017.zip'],
    outDir: path.join(root, 'keypoints'),
    imagesDirs: opts.cocoImages,
    signal: opts.signal,
    onProgress: (p) =>
      opts.onProgress?.({
        stage: 'extract',
        message: `${p.split}: ${p.annotations} annotations`,
        count: p.annotations,
      }),
  });
  await writeFile(
    extractedMarker(home, id),
    JSON.stringify(
      { at: new Date().toISOString(), records: res.splits.reduce((a, s) => a + s.kept, 0), splits: res.splits },
      null,
      1,
    ),
  );
  return { id, status: await datasetStatus(home, id), splits: res.splits };
}

/** `form-studio import <folder>`: scan + probe + hash; the caller persists the records. */
export function importFolder(folder: string, opts: ImportOptions = {}): Promise<ImportResult> {
  return importVideos([folder], { mediaRoot: folder, ...opts });
}
