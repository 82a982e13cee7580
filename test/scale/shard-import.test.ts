import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Float64, Table, Utf8, vectorFromArray } from 'apache-arrow';
import Database from 'better-sqlite3';
import { Services } from '../../src-main/services';
import { importShards, ShardImportError } from '../../src-main/scale/shard-import';
import { projectKey } from '../../src-main/scale/manifest';
import { parquetBytes, openShard } from '../../src-main/scale/shard-parquet';
import { writeShard } from '../../src-main/scale/shard-run';
import { syntheticHash, syntheticMeta, syntheticRow, writeSyntheticShard } from '../support/synthetic-shards';

// Merging keypoint shards into a real project home: exact copies, one transaction, never a silent overwrite,
// and a clear error for every kind of bad input (nothing merged).
const dirs: string[] = [];
const tmp = (p: string) => {
  const d = mkdtempSync(join(tmpdir(), p));
  dirs.push(d);
  return d;
};
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});
const cacheCount = (s: Services) => (s.db.prepare('SELECT COUNT(*) AS n FROM keypoint_cache').get() as { n: number }).n;
const key = (i: number, salt = '') => ({
  contentHash: syntheticHash(i, salt),
  numFrames: 24,
  variant: 'full' as const,
});

describe('keypoints import', () => {
  it('merges every shard bit for bit; a second import changes nothing', async () => {
    const out = tmp('fs-shards-');
    writeSyntheticShard(out, 0, 2, 0, 30);
    writeSyntheticShard(out, 1, 2, 30, 45);
    const s = new Services({ home: tmp('fs-home-'), mode: 'browser' });
    try {
      const r = await importShards(s, [out]);
      expect(r).toMatchObject({ shards: 2, rows: 45, added: 45, unchanged: 0, conflicts: [], failed: [] });
      for (const i of [0, 17, 44]) {
        expect(Buffer.from(s.keypoints.raw(key(i))!.data!).equals(Buffer.from(syntheticRow(i).data))).toBe(true);
        const kp = s.keypoints.get(key(i))!;
        expect(kp.status).toBe('ok');
        expect(kp.frames).toEqual(syntheticRow(i).landmarks);
      }
      // The merge left WAL for its bulk write (sole connection) and went back to it.
      expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
      // With another connection open (the app, say) it stays in WAL and merges the same.
      const other = new Database(s.paths.db);
      try {
        expect(await importShards(s, [out])).toMatchObject({ added: 0, unchanged: 45, conflicts: [] });
        expect((other.prepare('SELECT COUNT(*) AS n FROM keypoint_cache').get() as { n: number }).n).toBe(45);
      } finally {
        other.close();
      }
      expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(cacheCount(s)).toBe(45);
    } finally {
      s.close();
    }
  });

  it('imports version 1 shards (JSON records) converted to binary records, the same keypoints', async () => {
    const out = tmp('fs-shards-');
    writeSyntheticShard(out, 0, 1, 0, 6, { version: 1 }, { json: true });
    const s = new Services({ home: tmp('fs-home-'), mode: 'browser' });
    try {
      expect(await importShards(s, [out])).toMatchObject({ rows: 6, added: 6, conflicts: [] });
      for (const i of [0, 5]) {
        expect(Buffer.from(s.keypoints.raw(key(i))!.data!).equals(Buffer.from(syntheticRow(i).data))).toBe(true);
        expect(s.keypoints.get(key(i))!.frames).toEqual(syntheticRow(i).landmarks);
      }
    } finally {
      s.close();
    }
  });

  it('keeps a different cached result for the same key and says so; replaces a cached error', async () => {
    const out = tmp('fs-shards-');
    writeSyntheticShard(out, 0, 1, 0, 5);
    const s = new Services({ home: tmp('fs-home-'), mode: 'browser' });
    try {
      const mine = { numFrames: 24, variant: 'full' as const, timestamps: [0], frames: [null], world: null };
      s.keypoints.save(key(2), mine);
      s.keypoints.save(key(3), null, 'decoder crashed');
      const before = Buffer.from(s.keypoints.raw(key(2))!.data!);
      const r = await importShards(s, [out]);
      expect(r.conflicts).toEqual([key(2)]);
      expect(r).toMatchObject({ added: 4, unchanged: 0 });
      expect(Buffer.from(s.keypoints.raw(key(2))!.data!).equals(before)).toBe(true);
      expect(s.keypoints.raw(key(3))!.status).toBe('ok');
    } finally {
      s.close();
    }
  });

  it('refuses bad input with a clear message and merges nothing', async () => {
    const s = new Services({ home: tmp('fs-home-'), mode: 'browser' });
    const attempt = async (dirsIn: string[], message: RegExp) => {
      await expect(importShards(s, dirsIn)).rejects.toThrow(message);
      await expect(importShards(s, dirsIn)).rejects.toBeInstanceOf(ShardImportError);
      expect(cacheCount(s)).toBe(0);
    };
    try {
      // A shard missing.
      const partial = tmp('fs-shards-');
      writeSyntheticShard(partial, 0, 3, 0, 4);
      writeSyntheticShard(partial, 2, 3, 8, 12);
      await attempt([partial], /missing shard\(s\) 1 of 3.*nothing was imported/);
      // Another project's shards; another pose model's.
      const other = tmp('fs-shards-');
      writeSyntheticShard(other, 0, 1, 0, 3, { project: { key: 'someone-else', name: 'Gym B' } });
      await attempt([other], /another project \("Gym B"/);
      const heavy = tmp('fs-shards-');
      writeSyntheticShard(heavy, 0, 1, 0, 3, { variant: 'heavy' });
      await attempt([heavy], /"heavy" pose model; this project uses "full"/);
      // Two runs mixed.
      const runA = tmp('fs-shards-');
      const runB = tmp('fs-shards-');
      writeSyntheticShard(runA, 0, 2, 0, 3);
      writeSyntheticShard(runB, 1, 2, 3, 6, { manifestSha256: 'a'.repeat(64) });
      await attempt([runA, runB], /comes from another run/);
      // The same shard twice with different results.
      const twin = tmp('fs-shards-');
      writeSyntheticShard(twin, 1, 2, 3, 6, {}, { seed: 9 });
      await attempt(
        [
          runA,
          twin,
          (() => {
            const d = tmp('fs-shards-');
            writeSyntheticShard(d, 1, 2, 3, 6);
            return d;
          })(),
        ],
        /shard 1 is there twice with different results/,
      );
      // A Parquet file gone; a Parquet file with no summary; an empty folder; not a folder.
      const gone = tmp('fs-shards-');
      writeSyntheticShard(gone, 0, 1, 0, 3);
      unlinkSync(join(gone, 'shard-00000-of-00001.parquet'));
      await attempt([gone], /shard-00000-of-00001\.parquet: missing/);
      const unfinished = tmp('fs-shards-');
      writeSyntheticShard(unfinished, 0, 1, 0, 3);
      unlinkSync(join(unfinished, 'shard-00000-of-00001.json'));
      await attempt([unfinished], /has no summary.*did not finish/);
      await attempt([tmp('fs-empty-')], /no keypoint shards here/);
      await attempt([join(unfinished, 'nope')], /not a folder/);
    } finally {
      s.close();
    }
  });

  it('a row that fails during the merge itself rolls back the rows merged before it (one transaction)', async () => {
    const s = new Services({ home: tmp('fs-home-'), mode: 'browser' });
    try {
      const out = tmp('fs-shards-');
      writeSyntheticShard(out, 0, 2, 0, 3);
      // Shard 1 passes every check before the merge (summary, metadata, schema, row count); its last row's
      // record is not a keypoint record, found only when the merge reaches it, after shard 0's rows went in.
      const rows = [3, 4, 5].map((i) => syntheticRow(i));
      rows[2] = { ...rows[2], data: new TextEncoder().encode('{"not": "keypoints"}') };
      writeShard(out, syntheticMeta(1, 2), rows, [], { seconds: 0, msPerFrame: null });
      await expect(importShards(s, [out])).rejects.toThrow(/keypoint record is unreadable.*nothing was imported/);
      expect(cacheCount(s)).toBe(0);
      // The project is not left inside a transaction: a good merge works next.
      const good = tmp('fs-shards-');
      writeSyntheticShard(good, 0, 1, 0, 3);
      expect((await importShards(s, [good])).added).toBe(3);
      expect(cacheCount(s)).toBe(3);
    } finally {
      s.close();
    }
  });

  it('names a Parquet file with the wrong schema, or one that is not Parquet, and merges nothing', async () => {
    const s = new Services({ home: tmp('fs-home-'), mode: 'browser' });
    try {
      const out = tmp('fs-shards-');
      writeSyntheticShard(out, 0, 2, 0, 3);
      const summary1 = writeSyntheticShard(out, 1, 2, 3, 6);
      // Shard 1 rewritten with the right metadata but a schema of its own (no landmarks, a numeric path).
      const meta = syntheticMeta(1, 2);
      const wrong = new Table({
        path: vectorFromArray([1, 2, 3], new Float64()),
        content_hash: vectorFromArray(['a', 'b', 'c'], new Utf8()),
      });
      writeFileSync(join(out, summary1.parquet.file), parquetBytes(wrong, meta));
      await expect(importShards(s, [out])).rejects.toThrow(
        /wrong schema for a keypoint shard: column "path" is Float64, expected Utf8; missing column "num_frames"/,
      );
      writeFileSync(join(out, summary1.parquet.file), 'PAR1 this is not parquet');
      await expect(importShards(s, [out])).rejects.toThrow(/not a readable Parquet file/);
      // Parquet, but not ours.
      writeFileSync(join(out, summary1.parquet.file), parquetBytes(wrong, { something: 'else' }));
      expect(readFileSync(join(out, summary1.parquet.file)).subarray(0, 4).toString()).toBe('PAR1');
      await expect(importShards(s, [out])).rejects.toThrow(/a Parquet file, but not a Form Studio keypoint shard/);
      expect(cacheCount(s)).toBe(0);
    } finally {
      s.close();
    }
  });

  it('accepts shards of this project (its key from the manifest) and rows read back from Parquet equal the rows written', async () => {
    const s = new Services({ home: tmp('fs-home-'), mode: 'browser' });
    try {
      const out = tmp('fs-shards-');
      writeSyntheticShard(out, 0, 1, 0, 300, { project: { key: projectKey(s), name: 'Mine' }, numFrames: 4 });
      const shard = await openShard(join(out, 'shard-00000-of-00001.parquet'));
      expect(shard.rowGroups).toBeGreaterThan(1); // read group by group
      const t = await shard.readGroup(1, ['content_hash', 'landmarks']);
      expect(t.getChild('content_hash')!.get(0)).toBe(syntheticHash(256));
      expect(JSON.parse(JSON.stringify(t.getChild('landmarks')!.get(0)))).toEqual(
        syntheticRow(256, { numFrames: 4 }).landmarks,
      );
      shard.close();
      expect((await importShards(s, [out])).added).toBe(300);
    } finally {
      s.close();
    }
  });
});
