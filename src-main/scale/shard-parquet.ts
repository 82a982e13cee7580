/**
 * Keypoint shards as Parquet, written and read with parquet-wasm (the Apache Arrow Rust Parquet writer/reader
 * compiled to WASM: no native build, ZSTD, row-group reads from a file handle so a merge never holds a
 * whole shard) over apache-arrow (the official Arrow JS). One row per video; `data` is the keypoint cache
 * record itself (the bytes `KeypointStore` keeps), so a merge copies results bit for bit and never
 * re-serializes them; the numeric columns carry the same keypoints for other readers (pyarrow, Ray).
 */
import { readFileSync, renameSync, writeFileSync, openAsBlob, rmSync } from 'node:fs';
import {
  Binary,
  Field,
  Float64,
  Int32,
  List,
  Table,
  Utf8,
  makeData,
  makeVector,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
  type Data,
  type DataType,
} from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead } from 'hyparquet';

export const SHARD_FORMAT = 'form-studio-keypoint-shard';
export const SHARD_META_KEY = 'form_studio';
/** 2: `data` holds binary cache records. Version 1 shards (JSON records) still import: records are converted. */
export const SHARD_VERSION = 2;
export const SHARD_VERSIONS: readonly number[] = [1, 2];

/** What every shard of one run shares (also in its JSON summary). */
export interface ShardMeta {
  format: typeof SHARD_FORMAT;
  version: 1 | 2;
  manifestSha256: string;
  project: { key: string; name: string } | null;
  variant: string;
  numFrames: number;
  sampling: string;
  shard: number;
  shards: number;
}

export interface ShardRow {
  path: string;
  contentHash: string;
  status: 'ok' | 'no_pose';
  personRate: number | null;
  message: string | null;
  /** The cache record as stored (binary, see src-shared/keypoints/cache-record.ts; JSON in version 1 shards). */
  data: Uint8Array;
  timestamps: number[];
  /** Null only in synthetic benchmark shards (see test/support/synthetic-shards.ts). */
  landmarks: Array<number[] | null> | null;
  world: Array<number[] | null> | null;
}

const listOf = (t: DataType) => new List(new Field('item', t, true));
/** Column → type: the schema a reader checks (the numeric columns are for other readers, not the merge). */
export const SHARD_COLUMNS: Record<string, DataType> = {
  path: new Utf8(),
  content_hash: new Utf8(),
  num_frames: new Int32(),
  sampling: new Utf8(),
  variant: new Utf8(),
  status: new Utf8(),
  person_rate: new Float64(),
  message: new Utf8(),
  data: new Binary(),
  timestamps: listOf(new Float64()),
  landmarks: listOf(listOf(new Float64())),
  world: listOf(listOf(new Float64())),
};
/** The columns a merge reads. */
export const MERGE_COLUMNS = [
  'content_hash',
  'num_frames',
  'sampling',
  'variant',
  'status',
  'person_rate',
  'message',
  'data',
];

/** list<float64> data from nullable arrays, built from flat buffers (Arrow's generic builder is ~100× slower here). */
function listData(lists: Array<ArrayLike<number> | null>, child: Data<Float64> | null): Data<List<Float64>> & Data {
  const offsets = new Int32Array(lists.length + 1);
  const valid = new Uint8Array(Math.ceil(lists.length / 8));
  let nulls = 0;
  for (let i = 0; i < lists.length; i++) {
    const l = lists[i];
    offsets[i + 1] = offsets[i] + (l ? l.length : 0);
    if (l) valid[i >> 3] |= 1 << (i & 7);
    else nulls++;
  }
  let values = child;
  if (!values) {
    const flat = new Float64Array(offsets[lists.length]);
    for (let i = 0; i < lists.length; i++) if (lists[i]) flat.set(lists[i]!, offsets[i]);
    values = makeData({ type: new Float64(), length: flat.length, data: flat });
  }
  return makeData({
    type: listOf(new Float64()) as List<Float64>,
    length: lists.length,
    nullCount: nulls,
    nullBitmap: nulls ? valid : undefined,
    valueOffsets: offsets,
    child: values,
  });
}

/** list<list<float64>>: per row a list of frames, each 132 numbers or null. */
function nestedVector(rows: Array<Array<number[] | null> | null>) {
  const inner = listData(
    rows.flatMap((r) => r ?? []),
    null,
  );
  const offsets = new Int32Array(rows.length + 1);
  const valid = new Uint8Array(Math.ceil(rows.length / 8));
  let nulls = 0;
  rows.forEach((r, i) => {
    offsets[i + 1] = offsets[i] + (r ? r.length : 0);
    if (r) valid[i >> 3] |= 1 << (i & 7);
    else nulls++;
  });
  return makeVector(
    makeData({
      type: listOf(listOf(new Float64())) as List<List<Float64>>,
      length: rows.length,
      nullCount: nulls,
      nullBitmap: nulls ? valid : undefined,
      valueOffsets: offsets,
      child: inner,
    }),
  );
}

export function shardTable(meta: ShardMeta, rows: ShardRow[]): Table {
  // One column per field, in SHARD_COLUMNS' types.
  const col = (name: string, value: (r: ShardRow) => unknown) => vectorFromArray(rows.map(value), SHARD_COLUMNS[name]);
  return new Table({
    path: col('path', (r) => r.path),
    content_hash: col('content_hash', (r) => r.contentHash),
    num_frames: col('num_frames', () => meta.numFrames),
    sampling: col('sampling', () => meta.sampling),
    variant: col('variant', () => meta.variant),
    status: col('status', (r) => r.status),
    person_rate: col('person_rate', (r) => r.personRate),
    message: col('message', (r) => r.message),
    data: col('data', (r) => r.data),
    timestamps: makeVector(
      listData(
        rows.map((r) => r.timestamps),
        null,
      ),
    ),
    landmarks: nestedVector(rows.map((r) => r.landmarks)),
    world: nestedVector(rows.map((r) => r.world)),
  });
}

/** Write the Parquet bytes of a table with the run's metadata; row groups of `rowGroup` rows. */
export function parquetBytes(table: Table, meta: object, rowGroup = 256): Uint8Array {
  const props = new pw.WriterPropertiesBuilder()
    // Snappy: writes ~1.7x faster than ZSTD here for ~1.4x the size. Unique doubles gain nothing from
    // dictionaries or min/max statistics, and both cost more than the rest of the write.
    .setCompression(pw.Compression.SNAPPY)
    // The cache records are float32 landmarks: Snappy saves ~1% of them and costs time on every read.
    .setColumnCompression('data', pw.Compression.UNCOMPRESSED)
    .setStatisticsEnabled(pw.EnabledStatistics.None)
    .setDictionaryEnabled(false)
    .setMaxRowGroupSize(rowGroup)
    .setKeyValueMetadata(new Map([[SHARD_META_KEY, JSON.stringify(meta)]]))
    .build();
  return pw.writeParquet(pw.Table.fromIPCStream(tableToIPC(table, 'stream')), props);
}

/** Write `bytes` to `file` through a temporary name and a rename: readers see the whole file or none. */
export function writeAtomic(file: string, bytes: Uint8Array | string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

export class ShardFormatError extends Error {}

export interface OpenShard {
  meta: ShardMeta;
  rows: number;
  rowGroups: number;
  /** One row group's columns as an Arrow table. */
  readGroup(g: number, columns?: string[]): Promise<Table>;
  /** The whole file's columns as an Arrow table (one decode). */
  readAll(columns?: string[]): Promise<Table>;
  /**
   * The rows one row group at a time, as arrays in `columns` order (strings as strings, binary as bytes):
   * what a merge reads. hyparquet (pure JS) reads only that row group's column chunks from the file, so memory
   * is bounded by a row group; parquet-wasm's readAll copies the whole file into and out of WASM memory, which
   * measured ~6x the CPU and ~5x the memory on a 100,000-video merge.
   */
  batches(columns: string[]): AsyncGenerator<unknown[][]>;
  close(): void;
}

/** Open a shard for reading, checking it is ours: metadata present, every column there with its type. */
export async function openShard(file: string): Promise<OpenShard> {
  let pf: pw.ParquetFile;
  try {
    pf = await pw.ParquetFile.fromFile(await openAsBlob(file));
  } catch (err) {
    throw new ShardFormatError(`${file}: not a readable Parquet file (${(err as Error).message ?? String(err)})`);
  }
  const md = pf.metadata();
  const kv = md.fileMetadata().keyValueMetadata() as Map<string, string>;
  const raw = kv.get(SHARD_META_KEY);
  let meta: ShardMeta | null = null;
  try {
    meta = raw ? (JSON.parse(raw) as ShardMeta) : null;
  } catch {
    meta = null;
  }
  if (!meta || meta.format !== SHARD_FORMAT)
    throw new ShardFormatError(
      `${file}: a Parquet file, but not a Form Studio keypoint shard (no "${SHARD_META_KEY}" metadata)`,
    );
  if (!SHARD_VERSIONS.includes(meta.version))
    throw new ShardFormatError(
      `${file}: keypoint shard format version ${String(meta.version)}; this Form Studio reads versions ${SHARD_VERSIONS.join(', ')}`,
    );
  const schema = tableFromIPC(pf.schema().intoIPCStream()).schema;
  const problems: string[] = [];
  for (const [name, type] of Object.entries(SHARD_COLUMNS)) {
    const f = schema.fields.find((x) => x.name === name);
    if (!f) problems.push(`missing column "${name}"`);
    else if (String(f.type) !== String(type))
      problems.push(`column "${name}" is ${String(f.type)}, expected ${String(type)}`);
  }
  if (problems.length) throw new ShardFormatError(`${file}: wrong schema for a keypoint shard: ${problems.join('; ')}`);
  return {
    meta,
    rows: md.fileMetadata().numRows(),
    rowGroups: md.numRowGroups(),
    // One decode of the whole file per shard: readParquet copies the file into WASM memory on every call (so
    // per-row-group calls multiplied the copies), and the Blob-backed async reader measured ~4x slower here.
    // One shard is held at a time: keep shards to a few thousand videos each (see deploy/README.md).
    readAll: async (columns) => tableFromIPC(pw.readParquet(readFileSync(file), { columns }).intoIPCStream()),
    batches: (columns) => rowBatches(file, columns, schema),
    readGroup: async (g, columns) => tableFromIPC((await pf.read({ rowGroups: [g], columns })).intoIPCStream()),
    close: () => pf.free(),
  };
}

async function* rowBatches(file: string, columns: string[], schema: Table['schema']): AsyncGenerator<unknown[][]> {
  const buf = await asyncBufferFromFile(file);
  const metadata = await parquetMetadataAsync(buf);
  // Read bytes as bytes (utf8: false), then decode only the string columns.
  const strings = columns.map((c) => String(schema.fields.find((f) => f.name === c)?.type) === 'Utf8');
  const text = new TextDecoder();
  let start = 0;
  for (const rg of metadata.row_groups) {
    const n = Number(rg.num_rows);
    let rows: unknown[][] = [];
    await parquetRead({
      file: buf,
      metadata,
      columns,
      rowStart: start,
      rowEnd: start + n,
      utf8: false,
      onComplete: (d) => {
        rows = d as unknown[][];
      },
    });
    for (const r of rows)
      for (let c = 0; c < columns.length; c++) {
        const v = r[c];
        if (strings[c] && v instanceof Uint8Array) r[c] = text.decode(v);
      }
    start += n;
    yield rows;
  }
}
