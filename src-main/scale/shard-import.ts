/**
 * `form-studio keypoints import DIR…`: merge finished keypoint shards into the project's keypoint cache.
 * Everything is checked before anything is written (summaries, same manifest, every shard present, this
 * project, this pose model, each Parquet file's schema and row count); then all rows go in one transaction.
 * A result already cached for the same key is never replaced by a different one (a cached *error* is: the
 * app retries those anyway). Failed and missing videos are reported, never silently dropped.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Services } from '../services';
import { projectKey } from './manifest';
import { MERGE_COLUMNS, SHARD_FORMAT, SHARD_VERSIONS, openShard, type OpenShard } from './shard-parquet';
import type { ShardFailure, ShardSummary } from './shard-run';
import type { PoseModelVariant } from '../../src-shared/keypoints/format';
import { KeypointRecordError, toBinaryKeypointRecord } from '../../src-shared/keypoints/cache-record';

function toRecord(bytes: Uint8Array): Uint8Array {
  try {
    return toBinaryKeypointRecord(bytes);
  } catch (err) {
    if (err instanceof KeypointRecordError || err instanceof SyntaxError)
      throw new ShardImportError(`a shard row's keypoint record is unreadable (${err.message}); nothing was imported`);
    throw err;
  }
}

export class ShardImportError extends Error {}

export interface ShardImportReport {
  shards: number;
  rows: number;
  added: number;
  unchanged: number;
  /** Keys whose cached result differs from the shard's: the project's result was kept. */
  conflicts: Array<{ contentHash: string; numFrames: number; variant: string }>;
  failed: ShardFailure[];
}

function summariesIn(dir: string): Array<{ dir: string; file: string; s: ShardSummary }> {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error();
    names = readdirSync(dir);
  } catch {
    throw new ShardImportError(`${dir}: not a folder`);
  }
  const found = names.filter((n) => /^shard-\d+-of-\d+\.json$/.test(n)).sort();
  const parquets = names.filter((n) => /^shard-\d+-of-\d+\.parquet$/.test(n));
  for (const p of parquets) {
    if (!found.includes(p.replace(/\.parquet$/, '.json')))
      throw new ShardImportError(
        `${join(dir, p)} has no summary (${p.replace(/\.parquet$/, '.json')}): that shard did not finish; run it again`,
      );
  }
  if (!found.length)
    throw new ShardImportError(
      `${dir}: no keypoint shards here (shard-*-of-*.json, from \`form-studio keypoints --manifest … --shard I/N --out ${dir}\`)`,
    );
  return found.map((file) => {
    let s: ShardSummary;
    try {
      s = JSON.parse(readFileSync(join(dir, file), 'utf8')) as ShardSummary;
    } catch {
      throw new ShardImportError(`${join(dir, file)}: not JSON`);
    }
    if (s.format !== SHARD_FORMAT || !SHARD_VERSIONS.includes(s.version) || !s.parquet)
      throw new ShardImportError(`${join(dir, file)}: not a Form Studio keypoint shard summary`);
    return { dir, file, s };
  });
}

/** Everything that can be wrong, checked before the first write. */
async function plan(services: Services, dirs: string[]) {
  const all = dirs.flatMap((d) => summariesIn(resolve(d)));
  const first = all[0].s;
  for (const { dir, file, s } of all) {
    if (s.manifestSha256 !== first.manifestSha256 || s.shards !== first.shards) {
      throw new ShardImportError(
        `${join(dir, file)} comes from another run (manifest ${s.manifestSha256.slice(0, 12)}…, ${s.shards} shards) than ${join(all[0].dir, all[0].file)} (manifest ${first.manifestSha256.slice(0, 12)}…, ${first.shards} shards): import one run at a time`,
      );
    }
  }
  const byIndex = new Map<number, (typeof all)[number]>();
  for (const x of all) {
    const prev = byIndex.get(x.s.shard);
    if (prev && prev.s.parquet.sha256 !== x.s.parquet.sha256)
      throw new ShardImportError(
        `shard ${x.s.shard} is there twice with different results: ${join(prev.dir, prev.file)} and ${join(x.dir, x.file)}`,
      );
    byIndex.set(x.s.shard, x);
  }
  const missing = Array.from({ length: first.shards }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length)
    throw new ShardImportError(
      `missing shard(s) ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ', …' : ''} of ${first.shards}: run them (--shard I/${first.shards}) or pass the folders that hold them; nothing was imported`,
    );
  const key = projectKey(services);
  if (first.project && first.project.key !== key) {
    throw new ShardImportError(
      `these shards were extracted for another project ("${first.project.name}", ${first.project.key}); this one is "${services.store.summary().name}" (${key}). Write a manifest for this project with \`form-studio keypoints manifest\``,
    );
  }
  const variant = services.store.poseVariant();
  if (first.variant !== variant) {
    throw new ShardImportError(
      `these shards were extracted with the "${first.variant}" pose model; this project uses "${variant}" (change the project's pose model, or extract with a manifest for "${variant}")`,
    );
  }
  const shards: Array<{ x: (typeof all)[number]; shard: OpenShard }> = [];
  try {
    for (const x of [...byIndex.values()].sort((a, b) => a.s.shard - b.s.shard)) {
      const file = join(x.dir, x.s.parquet.file);
      if (!existsSync(file)) throw new ShardImportError(`${file}: missing (its summary ${x.file} is there)`);
      const shard = await openShard(file);
      shards.push({ x, shard });
      const m = shard.meta;
      if (
        m.manifestSha256 !== x.s.manifestSha256 ||
        m.shard !== x.s.shard ||
        m.variant !== x.s.variant ||
        m.numFrames !== x.s.numFrames
      ) {
        throw new ShardImportError(`${file} does not match its summary ${x.file} (another run's file?)`);
      }
      if (shard.rows !== x.s.parquet.rows)
        throw new ShardImportError(
          `${file}: ${shard.rows} rows, its summary says ${x.s.parquet.rows} (a partial copy?)`,
        );
    }
  } catch (err) {
    for (const s of shards) s.shard.close();
    throw err;
  }
  return {
    shards,
    failed: all
      .flatMap((x) => x.s.failed)
      .filter((f, i, a) => a.findIndex((g) => g.contentHash === f.contentHash) === i),
  };
}

/**
 * Leave WAL mode for a bulk merge when this is the database's only connection (else SQLite refuses, and the
 * merge runs in WAL as usual). In WAL, one transaction of gigabytes is written twice (to the WAL, then by the
 * checkpoint); with a rollback journal new pages are written once: measured ~3x less CPU and ~4x less time
 * on 10,000 records. Still one transaction: a crash rolls back from the journal on the next open.
 */
function leaveWal(db: Services['db']): boolean {
  try {
    return db.pragma('journal_mode = DELETE', { simple: true }) === 'delete';
  } catch {
    return false;
  }
}

export async function importShards(
  services: Services,
  dirs: string[],
  opts: { onProgress?: (rows: number) => void } = {},
): Promise<ShardImportReport> {
  if (!dirs.length) throw new ShardImportError('Usage: form-studio keypoints import DIR…');
  const { shards, failed } = await plan(services, dirs);
  const report: ShardImportReport = { shards: shards.length, rows: 0, added: 0, unchanged: 0, conflicts: [], failed };
  const db = services.db;
  // One transaction for every row: an error half-way leaves the cache as it was. Shards are read one row
  // group at a time, so memory is bounded by a row group (256 videos), however large the shards.
  const walOff = leaveWal(db);
  db.exec('BEGIN IMMEDIATE');
  try {
    for (const { shard } of shards) {
      for await (const batch of shard.batches(MERGE_COLUMNS)) {
        for (const row of batch) {
          const [contentHash, numFrames, sampling, variant, status, personRate, message, data] = row as [
            string,
            number,
            string,
            PoseModelVariant,
            'ok' | 'no_pose',
            number | null,
            string | null,
            Uint8Array,
          ];
          const key = { contentHash, numFrames, sampling, variant };
          // Version 1 shards carry JSON records: converted here, so the cache holds one format.
          const rec = { status, personRate, message, data: toRecord(data) };
          report.rows++;
          if (services.keypoints.addRaw(key, rec)) {
            report.added++;
            continue;
          }
          const have = services.keypoints.raw(key)!;
          if (have.status === rec.status && have.data && Buffer.from(have.data).equals(Buffer.from(rec.data)))
            report.unchanged++;
          else report.conflicts.push({ contentHash, numFrames, variant });
        }
        opts.onProgress?.(report.rows);
      }
    }
    db.exec('COMMIT');
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  } finally {
    for (const s of shards) s.shard.close();
    if (walOff) db.pragma('journal_mode = WAL');
  }
  if (report.added) services.ctx.emit({ type: 'videos.changed', videoIds: 'all' });
  return report;
}
