import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { manifestHeader, writeJsonl } from '../support/manifest-file';
import { runShard } from '../../src-main/scale/shard-run';
import { openShard } from '../../src-main/scale/shard-parquet';

// A shard whose videos are missing or changed since the manifest: each fails in the summary with its reason
// (checked before any pose work), the shard still finishes, and running it again reuses the result.
const dir = mkdtempSync(join(tmpdir(), 'fs-shard-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('keypoint shard run', () => {
  it('records a missing file and a changed file as failures of this shard, finishes, and is idempotent', async () => {
    const vids = join(dir, 'vids');
    mkdirSync(vids);
    writeFileSync(join(vids, 'changed.mp4'), 'not the bytes the manifest hashed');
    const entry = (path: string, seed: string) => ({
      path,
      contentHash: `sha256:${createHash('sha256').update(seed).digest('hex')}`,
      bytes: 10,
    });
    const lines = [manifestHeader(2, vids), entry('gone.mp4', 'a'), entry('changed.mp4', 'b')];
    const manifest = join(dir, 'm.jsonl');
    writeJsonl(manifest, lines);
    const out = join(dir, 'out');
    const r = await runShard({ manifest, index: 0, count: 1, out });
    expect(r.reused).toBe(false);
    expect(r.failed.map((f) => [f.path, f.line])).toEqual([
      ['gone.mp4', 2],
      ['changed.mp4', 3],
    ]);
    expect(r.failed[0].message).toMatch(/file not found/);
    expect(r.failed[1].message).toMatch(/changed since the manifest was written/);
    expect(r.parquet.rows).toBe(0);
    const shard = await openShard(join(out, r.parquet.file));
    expect(shard.rows).toBe(0);
    shard.close();
    // Only the two finished files: no temporary names, no scratch home left behind.
    expect(readdirSync(out, { withFileTypes: false }).sort()).toEqual([
      'shard-00000-of-00001.json',
      'shard-00000-of-00001.parquet',
    ]);
    const again = await runShard({ manifest, index: 0, count: 1, out });
    expect(again.reused).toBe(true);
    expect(readFileSync(join(out, r.parquet.file)).length).toBe(r.parquet.bytes);
  }, 120_000);
});
