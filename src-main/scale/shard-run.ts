/**
 * One shard of a sharded keypoint extraction (`form-studio keypoints --manifest m.jsonl --shard I/N --out DIR`):
 * the shard's videos go through the app's own extraction (import into a scratch home beside the output,
 * headless renderer, same cache key), then one Parquet file and a JSON summary are written by atomic rename.
 * A re-run after a crash resumes from the scratch home's cache; a re-run after success changes nothing.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Services } from '../services';
import { openHeadless, type HeadlessSession } from '../cli/headless';
import { addCheckedVideo } from '../library/import-job';
import { hashFile } from '../media/hash';
import { probe } from '../media/probe';
import { isMediaError } from '../media/errors';
import { readManifest, shardEntries, type ManifestEntry } from './manifest';
import {
  SHARD_FORMAT,
  SHARD_VERSION,
  parquetBytes,
  shardTable,
  writeAtomic,
  type ShardMeta,
  type ShardRow,
} from './shard-parquet';
import type { PoseModelVariant } from '../../src-shared/keypoints/format';
import { decodeKeypointRecord } from '../../src-shared/keypoints/cache-record';

export interface ShardFailure {
  path: string;
  contentHash: string;
  line: number;
  message: string;
}

export interface ShardSummary extends ShardMeta {
  videos: number;
  ok: number;
  noPose: number;
  failed: ShardFailure[];
  parquet: { file: string; sha256: string; rows: number; bytes: number };
  seconds: number;
  msPerFrame: number | null;
  /**
   * Seconds per phase, where time goes: process start-up, checking and adding the videos, the start-up the
   * checks did not hide, extraction. webHost/browser/pageLoad ran beside the checks (from the session's start).
   */
  phases?: Record<string, number>;
  finishedAt: string;
}

export const shardBase = (i: number, n: number) =>
  `shard-${String(i).padStart(5, '0')}-of-${String(n).padStart(5, '0')}`;
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A finished shard for this manifest, if its files are there and agree with each other. */
function finished(out: string, base: string, manifestSha256: string): ShardSummary | null {
  try {
    const s = JSON.parse(readFileSync(join(out, `${base}.json`), 'utf8')) as ShardSummary;
    if (s.format !== SHARD_FORMAT || s.manifestSha256 !== manifestSha256) return null;
    return sha256(readFileSync(join(out, s.parquet.file))) === s.parquet.sha256 ? s : null;
  } catch {
    return null;
  }
}

/**
 * Check one video and add it to the scratch project: there, unchanged since the manifest (content hash),
 * decodable (first and last frame), then our own copy and its row. One probe and one hash per video, and no
 * thumbnail or preview (the import job's extras: a shard never shows its videos). The video's id, or why not.
 */
async function checkAndAdd(
  services: Services,
  e: ManifestEntry,
  file: string,
  /** Called once the file is there with the manifest's content: pose work is likely. */
  onFound: () => void,
): Promise<number | string> {
  if (!existsSync(file) || !statSync(file).isFile()) return `file not found: ${file}`;
  const h = await hashFile(file).catch((err: Error) => ({ hash: `unreadable: ${err.message}` }));
  if (h.hash !== e.contentHash) return `${file} has changed since the manifest was written (content hash differs)`;
  onFound();
  // Added by an earlier run of this shard that stopped before its keypoints were saved.
  const known = services.store.findByHash(e.contentHash);
  if (known) return known.id;
  let p;
  try {
    p = await probe(file, { verifyDecode: true });
  } catch (err) {
    if (isMediaError(err)) return err.message;
    throw err;
  }
  if (p.frameCount < 2) return `${file} has only ${p.frameCount} frame (a still image?): pose needs a video clip`;
  const { id } = await addCheckedVideo(services, {
    relPath: e.path,
    split: 'train',
    contentHash: e.contentHash,
    probe: p,
    source: 'import',
    originalPath: file,
    toolkitPath: null,
    exerciseType: null,
    groupKey: null,
  });
  return id;
}

/** `f` over `items`, `n` at a time (ffprobe and ffmpeg are separate processes: two keep two cores busy). */
async function eachLimited<T>(items: T[], n: number, f: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await f(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}

/** Write a shard's Parquet file, then its summary (whose presence marks the shard done), each by atomic rename. */
export function writeShard(
  out: string,
  meta: ShardMeta,
  rows: ShardRow[],
  failed: ShardFailure[],
  timing: { seconds: number; msPerFrame: number | null; phases?: Record<string, number> },
): ShardSummary {
  const base = shardBase(meta.shard, meta.shards);
  const bytes = parquetBytes(shardTable(meta, rows), meta);
  const parquetFile = `${base}.parquet`;
  writeAtomic(join(out, parquetFile), bytes);
  const summary: ShardSummary = {
    ...meta,
    videos: rows.length + failed.length,
    ok: rows.filter((r) => r.status === 'ok').length,
    noPose: rows.filter((r) => r.status === 'no_pose').length,
    failed: [...failed].sort((a, b) => a.line - b.line),
    parquet: { file: parquetFile, sha256: sha256(bytes), rows: rows.length, bytes: bytes.length },
    ...timing,
    finishedAt: new Date().toISOString(),
  };
  writeAtomic(join(out, `${base}.json`), JSON.stringify(summary, null, 2) + '\n');
  return summary;
}

export async function runShard(opts: {
  manifest: string;
  index: number;
  count: number;
  out: string;
  /** Where the manifest's relative paths live here (a mounted volume); default the manifest's root. */
  videosRoot?: string;
  log?: (line: string) => void;
  onProgress?: (done: number, total: number) => void;
}): Promise<ShardSummary & { reused: boolean }> {
  const t0 = Date.now();
  // Node + CLI start-up before this point (module loading; tsx compiling when run from sources).
  const phases: Record<string, number> = { processStart: Math.round(process.uptime() * 1000) / 1000 };
  let lapAt = performance.now();
  const lap = (name: string) => {
    phases[name] = Math.round(performance.now() - lapAt) / 1000;
    lapAt = performance.now();
  };
  const log = opts.log ?? (() => undefined);
  const m = readManifest(opts.manifest);
  const out = resolve(opts.out);
  mkdirSync(out, { recursive: true });
  const base = shardBase(opts.index, opts.count);
  const done = finished(out, base, m.sha256);
  if (done) return { ...done, reused: true };

  const h = m.header;
  const meta: ShardMeta = {
    format: SHARD_FORMAT,
    version: SHARD_VERSION,
    manifestSha256: m.sha256,
    project: h.project,
    variant: h.variant,
    numFrames: h.numFrames,
    sampling: h.sampling,
    shard: opts.index,
    shards: opts.count,
  };
  const entries = shardEntries(m, opts.index, opts.count);
  const root = resolve(opts.videosRoot ?? h.root);
  const failed: ShardFailure[] = [];
  const fail = (e: ManifestEntry, message: string) => {
    failed.push({ path: e.path, contentHash: e.contentHash, line: e.line, message });
    log(`failed: ${e.path}: ${message}`);
  };
  const variant = h.variant as PoseModelVariant;
  const key = (e: ManifestEntry) => ({ contentHash: e.contentHash, numFrames: h.numFrames, variant });

  // The scratch home: the app's import (a read-only copy), its frame cache and keypoint cache. Kept on a crash.
  const work = join(out, `.${base}.work`);
  const services = new Services({ home: work, mode: 'browser' });
  let msPerFrame: number | null = null;
  const rows: ShardRow[] = [];
  let session: Promise<HeadlessSession> | null = null;
  try {
    // Results already in the scratch cache (a re-run after a crash) need neither a check nor pose.
    const todo = entries.filter((e) => !services.keypoints.has(key(e)));
    // Chromium, the web host and the pose model start while main checks the videos (from the first video
    // found unchanged), not after the checks.
    const startUp = () => {
      if (session) return;
      session = openHeadless(services, { warm: { variant, workers: 1 } });
      session.catch(() => undefined); // awaited below when there is something to extract
    };
    const ids: number[] = [];
    await eachLimited(todo, 2, async (e) => {
      const r = await checkAndAdd(services, e, resolve(root, e.path), startUp);
      if (typeof r === 'string') fail(e, r);
      else ids.push(r);
    });
    lap('checkImport');
    log(
      `${entries.length} video(s) in shard ${opts.index}/${opts.count}: ${entries.length - todo.length} already extracted, ${ids.length} to extract`,
    );
    if (ids.length) {
      startUp();
      const s = await (session as unknown as Promise<HeadlessSession>);
      lap('waitStartUp'); // the part of the start-up the checks did not hide
      const r = await s.extract(ids, { variant, numFrames: h.numFrames, workers: 1, onProgress: opts.onProgress });
      msPerFrame = r.msPerFrame;
      Object.assign(phases, r.phases);
    }
    const failedLines = new Set(failed.map((f) => f.line));
    for (const e of entries) {
      if (failedLines.has(e.line)) continue;
      const raw = services.keypoints.raw({ ...key(e), sampling: h.sampling });
      if (!raw) fail(e, 'no keypoints were saved');
      else if (raw.status === 'error' || !raw.data) fail(e, raw.message ?? 'pose extraction failed');
      else {
        const kp = decodeKeypointRecord(raw.data, { numFrames: h.numFrames, variant });
        rows.push({
          path: e.path,
          contentHash: e.contentHash,
          status: raw.status,
          personRate: raw.personRate,
          message: raw.message,
          data: raw.data,
          timestamps: kp.timestamps,
          landmarks: kp.frames,
          world: kp.world,
        });
      }
    }
  } finally {
    // (Assigned in startUp(), which TypeScript's narrowing does not follow.)
    await (session as Promise<HeadlessSession> | null)?.then(
      (s) => s.close(),
      () => undefined,
    );
    services.close();
  }
  const summary = writeShard(out, meta, rows, failed, { seconds: (Date.now() - t0) / 1000, msPerFrame, phases });
  rmSync(work, { recursive: true, force: true });
  return { ...summary, reused: false };
}
