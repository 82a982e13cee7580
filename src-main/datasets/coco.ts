/**
 * COCO person keypoints → compact tables, streamed from annotations_trainval2017.zip.
 *
 * Only annotations/person_keypoints_{train,val}2017.json are read (yauzl, entry by entry, no full unzip).
 * The JSON is not parsed as a whole (train is ~240 MB): a small streaming scanner walks the top-level
 * "images" and "annotations" arrays and JSON.parses one element at a time, so memory stays flat.
 *
 * Output in outDir, per split:
 *   keypoints_<split>2017.jsonl  one array per annotation:
 *       [image_id, ann_id, bbox_x, bbox_y, bbox_w, bbox_h, num_keypoints, x1, y1, v1, … x17, y17, v17]
 *   images_<split>2017.jsonl     {"id","file_name","width","height","path"} (path: absolute image path when an
 *                                images folder was given and the file exists there, else null)
 *   manifest.json                columns, counts, source, linked-image counts
 * By default crowd annotations and annotations with 0 labelled keypoints are dropped (`keepAll` keeps them).
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { access, mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { readZipEntry } from './archive.js';
import { DatasetError } from './errors.js';

// prettier-ignore
export const COCO_KEYPOINT_NAMES = [
  'nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear', 'left_shoulder', 'right_shoulder', 'left_elbow',
  'right_elbow', 'left_wrist', 'right_wrist', 'left_hip', 'right_hip', 'left_knee', 'right_knee', 'left_ankle',
  'right_ankle',
] as const;

export const COCO_ROW_COLUMNS = [
  'image_id',
  'ann_id',
  'bbox_x',
  'bbox_y',
  'bbox_w',
  'bbox_h',
  'num_keypoints',
  ...COCO_KEYPOINT_NAMES.flatMap((n) => [`${n}_x`, `${n}_y`, `${n}_v`]),
];

/**
 * Streaming scanner: calls onElement(key, jsonText) for each element of the top-level arrays named in `keys`.
 * Handles strings/escapes and chunk boundaries; keeps only the current element in memory.
 */
export class TopLevelArrayScanner {
  private depth = 0;
  private inString = false;
  private escape = false;
  private lastKey = '';
  private keyBuf: string | null = null;
  private arrayKey: string | null = null; // inside a wanted top-level array
  private elem: string[] | null = null;
  private elemStart = -1;
  constructor(
    private readonly keys: ReadonlySet<string>,
    private readonly onElement: (key: string, text: string) => void,
  ) {}

  write(chunk: string): void {
    let segStart = this.elem ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === 92 /* \ */) this.escape = true;
        else if (c === 34 /* " */) {
          this.inString = false;
          if (this.keyBuf !== null) {
            this.lastKey = this.keyBuf + chunk.slice(this.elemStart, i);
            this.keyBuf = null;
          }
        }
        continue;
      }
      if (c === 34) {
        this.inString = true;
        if (this.depth === 1) {
          this.keyBuf = '';
          this.elemStart = i + 1;
        }
        continue;
      }
      if (c === 123 /* { */ || c === 91 /* [ */) {
        this.depth++;
        if (this.depth === 2 && c === 91 && this.keys.has(this.lastKey)) this.arrayKey = this.lastKey;
        else if (this.depth === 3 && this.arrayKey) {
          this.elem = [];
          segStart = i;
        }
      } else if (c === 125 /* } */ || c === 93 /* ] */) {
        if (this.depth === 3 && this.elem) {
          this.elem.push(chunk.slice(segStart, i + 1));
          this.onElement(this.arrayKey!, this.elem.join(''));
          this.elem = null;
          segStart = -1;
        }
        if (this.depth === 2) this.arrayKey = null;
        this.depth--;
      }
    }
    if (this.keyBuf !== null && this.inString) {
      this.keyBuf += chunk.slice(this.elemStart);
      this.elemStart = 0;
    }
    if (this.elem && segStart >= 0) this.elem.push(chunk.slice(segStart));
  }
}

export interface CocoSplitSummary {
  split: 'train' | 'val';
  images: number;
  annotations: number;
  kept: number;
  imagesLinked: number;
  keypointsFile: string;
  imagesFile: string;
}

export interface CocoExtractOptions {
  zip: string;
  outDir: string;
  splits?: Array<'train' | 'val'>;
  /** Image folders to link, e.g. { val: '/data/coco/val2017' }. */
  imagesDirs?: Partial<Record<'train' | 'val', string>>;
  keepAll?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: { split: string; annotations: number }) => void;
}

function writeLine(ws: WriteStream, line: string): Promise<void> | null {
  return ws.write(line + '\n') ? null : new Promise((r) => ws.once('drain', () => r()));
}

async function convertStream(
  stream: Readable,
  split: 'train' | 'val',
  opts: CocoExtractOptions,
): Promise<
  Omit<CocoSplitSummary, 'imagesLinked'> & {
    imageRows: Array<{ id: number; file_name: string; width: number; height: number }>;
  }
> {
  const kpFile = path.join(opts.outDir, `keypoints_${split}2017.jsonl`);
  const imgFile = path.join(opts.outDir, `images_${split}2017.jsonl`);
  const ws = createWriteStream(`${kpFile}.part`);
  const imageRows: Array<{ id: number; file_name: string; width: number; height: number }> = [];
  let annotations = 0;
  let kept = 0;
  let pending: Promise<void> | null = null;
  const scanner = new TopLevelArrayScanner(new Set(['images', 'annotations']), (key, text) => {
    const o = JSON.parse(text);
    if (key === 'images')
      return void imageRows.push({ id: o.id, file_name: o.file_name, width: o.width, height: o.height });
    annotations++;
    if (!opts.keepAll && (o.iscrowd || !(o.num_keypoints > 0))) return;
    if (!Array.isArray(o.keypoints) || o.keypoints.length !== 51) return;
    kept++;
    const b = (o.bbox ?? [0, 0, 0, 0]).map((x: number) => Math.round(x * 100) / 100);
    const p = writeLine(ws, JSON.stringify([o.image_id, o.id, ...b, o.num_keypoints ?? 0, ...o.keypoints]));
    if (p) pending = p;
  });
  const dec = new StringDecoder('utf8');
  for await (const chunk of stream) {
    if (opts.signal?.aborted) {
      stream.destroy();
      ws.destroy();
      throw new DatasetError('aborted', 'COCO conversion cancelled.');
    }
    scanner.write(dec.write(chunk as Buffer));
    if (pending) {
      await pending;
      pending = null;
    }
    opts.onProgress?.({ split, annotations });
  }
  scanner.write(dec.end());
  await new Promise<void>((r, j) => ws.end((e?: Error | null) => (e ? j(e) : r())));
  await rename(`${kpFile}.part`, kpFile);
  return { split, images: imageRows.length, annotations, kept, keypointsFile: kpFile, imagesFile: imgFile, imageRows };
}

/** Convert person keypoints from the annotations zip. Throws 'missing_file' if a requested split is absent. */
export async function extractCocoKeypoints(
  opts: CocoExtractOptions,
): Promise<{ splits: CocoSplitSummary[]; manifest: string }> {
  await mkdir(opts.outDir, { recursive: true });
  const splits = opts.splits ?? ['train', 'val'];
  const out: CocoSplitSummary[] = [];
  for (const split of splits) {
    const want = `person_keypoints_${split}2017.json`;
    let res: Awaited<ReturnType<typeof convertStream>> | null = null;
    await readZipEntry(
      opts.zip,
      (n) => n.split('/').pop() === want,
      async (s) => void (res = await convertStream(s, split, opts)),
      opts.signal,
    );
    if (!res) throw new DatasetError('missing_file', `${want} is not in ${opts.zip}.`);
    const r = res as Awaited<ReturnType<typeof convertStream>>;
    const imgDir = opts.imagesDirs?.[split];
    let linked = 0;
    const lines: string[] = [];
    for (const im of r.imageRows) {
      let p: string | null = null;
      if (imgDir) {
        const cand = path.resolve(imgDir, path.basename(im.file_name));
        if (
          await access(cand).then(
            () => true,
            () => false,
          )
        ) {
          p = cand;
          linked++;
        }
      }
      lines.push(JSON.stringify({ ...im, path: p }));
    }
    await writeFile(`${r.imagesFile}.part`, lines.join('\n') + (lines.length ? '\n' : ''));
    await rename(`${r.imagesFile}.part`, r.imagesFile);
    out.push({
      split,
      images: r.images,
      annotations: r.annotations,
      kept: r.kept,
      imagesLinked: linked,
      keypointsFile: r.keypointsFile,
      imagesFile: r.imagesFile,
    });
  }
  const manifest = path.join(opts.outDir, 'manifest.json');
  await writeFile(
    manifest,
    JSON.stringify(
      {
        format: 'coco-person-keypoints-v1',
        columns: COCO_ROW_COLUMNS,
        keypoints: COCO_KEYPOINT_NAMES,
        source: path.basename(opts.zip),
        keepAll: !!opts.keepAll,
        splits: out.map(({ keypointsFile, imagesFile, ...s }) => ({
          ...s,
          keypointsFile: path.basename(keypointsFile),
          imagesFile: path.basename(imagesFile),
        })),
      },
      null,
      1,
    ),
  );
  return { splits: out, manifest };
}
