/** The dataset catalog and on-disk status. Layout: <home>/datasets/<id>/downloads/<file>, extracted data beside it. */
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { partPath, readVerified, type Checksum } from './download.js';

export type DatasetId = 'ucf101' | 'coco';
export type DatasetStatus = 'not_downloaded' | 'partial' | 'downloaded' | 'verified' | 'extracted';

export interface DatasetFile {
  /** File name under downloads/. */
  name: string;
  url: string;
  /** Exact size when published. */
  size?: number;
  /** Approximate size (for disk checks and display) when the exact one is not published. */
  approxSize: number;
  checksum?: Checksum;
  /** How integrity is checked when there is no checksum. */
  integrity: 'checksum' | 'archive-listing';
}

export interface DatasetInfo {
  id: DatasetId;
  name: string;
  description: string;
  license: string;
  homepage: string;
  files: DatasetFile[];
  /** Sum of file sizes (exact or approximate). */
  downloadBytes: number;
  /** Downloads + extracted output, roughly. */
  diskNeededBytes: number;
}

export const DATASETS: Record<DatasetId, DatasetInfo> = {
  ucf101: {
    id: 'ucf101',
    name: 'UCF-101 (exercise classes)',
    description:
      'Action-recognition videos (320×240 Xvid AVI). Only BodyWeightSquats, PushUps, WallPushups, PullUps, Lunges, JumpingJack and BenchPress are extracted, split by the official train/test list 1.',
    license: 'Research use; videos from YouTube — no redistribution license. Cite Soomro et al. 2012.',
    homepage: 'https://www.crcv.ucf.edu/data/UCF101.php',
    files: [
      // No checksum is published: we record the size on download and verify by reading the whole archive index.
      {
        name: 'UCF101.rar',
        url: 'https://www.crcv.ucf.edu/data/UCF101/UCF101.rar',
        approxSize: 6.5e9,
        integrity: 'archive-listing',
      },
      {
        name: 'UCF101TrainTestSplits-RecognitionTask.zip',
        url: 'https://www.crcv.ucf.edu/data/UCF101/UCF101TrainTestSplits-RecognitionTask.zip',
        approxSize: 120_000,
        integrity: 'archive-listing',
      },
    ],
    downloadBytes: 6.5e9 + 120_000,
    diskNeededBytes: 6.5e9 + 0.7e9, // archive + ~7/101 of the clips
  },
  coco: {
    id: 'coco',
    name: 'COCO 2017 person keypoints',
    description:
      'Person annotations with 17 keypoints (train 2017 + val 2017), converted to a compact keypoint table. Images are not downloaded; link a val2017/ folder to use them.',
    license: 'Annotations CC BY 4.0 (COCO Consortium); images under their Flickr licenses.',
    homepage: 'https://cocodataset.org/#download',
    files: [
      {
        name: 'annotations_trainval2017.zip',
        url: 'http://images.cocodataset.org/annotations/annotations_trainval2017.zip',
        size: 252_907_541,
        approxSize: 252_907_541,
        checksum: { algorithm: 'md5', value: 'f4bbac642086de4f52a3fdda2de5fa2c' },
        integrity: 'checksum',
      },
    ],
    downloadBytes: 252_907_541,
    diskNeededBytes: 252_907_541 + 150e6,
  },
};

export const datasetDir = (home: string, id: DatasetId): string => path.join(home, 'datasets', id);
export const downloadsDir = (home: string, id: DatasetId): string => path.join(datasetDir(home, id), 'downloads');
export const extractedMarker = (home: string, id: DatasetId): string =>
  path.join(datasetDir(home, id), 'extracted.json');

/** The zip mirror of the UCF-101 videos (same UCF-101/<Class>/v_*.avi tree); no official URL, so one must be given. */
export const UCF101_ZIP_MIRROR: DatasetFile = {
  name: 'UCF101_videos.zip',
  url: '',
  approxSize: 6.5e9,
  integrity: 'archive-listing',
};

export type FileOverrides = Partial<Record<string, Partial<Pick<DatasetFile, 'url' | 'size' | 'checksum'>>>>;

/**
 * Catalog entry with overrides applied: URLs (tests point them at 127.0.0.1, users at a mirror), and
 * optionally the UCF-101 zip mirror instead of the RAR.
 */
export function resolveDataset(
  id: DatasetId,
  overrides: FileOverrides = {},
  opts: { ucfZipMirror?: boolean } = {},
): DatasetInfo {
  const d = DATASETS[id];
  const files = d.files.map((f) =>
    id === 'ucf101' && opts.ucfZipMirror && f.name === 'UCF101.rar' ? UCF101_ZIP_MIRROR : f,
  );
  return {
    ...d,
    files: files.map((f) => {
      const o = overrides[f.name] ?? {};
      const size = 'size' in o ? o.size : f.size;
      return { ...f, ...o, size, approxSize: size ?? f.approxSize };
    }),
  };
}

export interface FileState {
  name: string;
  state: 'missing' | 'partial' | 'downloaded' | 'verified';
  bytes: number;
  expected: number | null;
}

export interface DatasetStatusInfo extends DatasetInfo {
  status: DatasetStatus;
  files: Array<DatasetFile & FileState>;
  /** Summary from extracted.json when extracted. */
  extracted: { at: string; records: number } | null;
}

const sizeOf = (p: string): Promise<number | null> =>
  stat(p).then(
    (s) => s.size,
    () => null,
  );

/** Status from the files on disk only (no network, no hashing: verification results are read from sidecars). */
export async function datasetStatus(home: string, id: DatasetId): Promise<DatasetStatusInfo> {
  const d = DATASETS[id];
  const dl = downloadsDir(home, id);
  const useMirror =
    id === 'ucf101' &&
    (await sizeOf(path.join(dl, 'UCF101.rar'))) === null &&
    (await sizeOf(partPath(path.join(dl, 'UCF101.rar')))) === null &&
    ((await sizeOf(path.join(dl, UCF101_ZIP_MIRROR.name))) !== null ||
      (await sizeOf(partPath(path.join(dl, UCF101_ZIP_MIRROR.name)))) !== null);
  const files = await Promise.all(
    (useMirror ? resolveDataset(id, {}, { ucfZipMirror: true }).files : d.files).map(
      async (f): Promise<DatasetFile & FileState> => {
        const dest = path.join(dl, f.name);
        const expected = f.size ?? null;
        const v = await readVerified(dest);
        if (v && (expected === null || v.size === expected))
          return { ...f, state: 'verified', bytes: v.size, expected };
        const full = await sizeOf(dest);
        if (full !== null) return { ...f, state: 'downloaded', bytes: full, expected };
        const part = await sizeOf(partPath(dest));
        if (part !== null) return { ...f, state: 'partial', bytes: part, expected };
        return { ...f, state: 'missing', bytes: 0, expected };
      },
    ),
  );
  let extracted: DatasetStatusInfo['extracted'] = null;
  try {
    const m = JSON.parse(await readFile(extractedMarker(home, id), 'utf8')) as { at: string; records: number };
    extracted = { at: m.at, records: m.records };
  } catch {
    /* not extracted */
  }
  let status: DatasetStatus;
  if (extracted) status = 'extracted';
  else if (files.every((f) => f.state === 'verified')) status = 'verified';
  else if (files.every((f) => f.state === 'verified' || f.state === 'downloaded')) status = 'downloaded';
  else if (files.every((f) => f.state === 'missing')) status = 'not_downloaded';
  else status = 'partial';
  return { ...d, files, status, extracted };
}

export async function listDatasetIds(): Promise<DatasetId[]> {
  return Object.keys(DATASETS) as DatasetId[];
}

/** Files under a folder (for diagnostics). */
export async function listDir(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}
