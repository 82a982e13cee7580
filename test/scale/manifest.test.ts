import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManifestError, parseShardFlag, readManifest, shardEntries } from '../../src-main/scale/manifest';
import { manifestHeader, writeJsonl } from '../support/manifest-file';

const dir = mkdtempSync(join(tmpdir(), 'fs-manifest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const entry = (i: number, path = `v${i}.mp4`) => ({
  path,
  contentHash: `sha256:${String(i).padStart(64, '0')}`,
  bytes: 10,
});
const write = (name: string, lines: unknown[]) => writeJsonl(join(dir, name), lines);

describe('keypoint manifest', () => {
  it('reads a manifest and splits it round robin into N shards that cover it once', () => {
    const m = readManifest(write('ok.jsonl', [manifestHeader(7), ...Array.from({ length: 7 }, (_, i) => entry(i))]));
    expect(m.sha256).toMatch(/^[0-9a-f]{64}$/);
    const shards = [0, 1, 2].map((i) => shardEntries(m, i, 3).map((e) => e.path));
    expect(shards).toEqual([
      ['v0.mp4', 'v3.mp4', 'v6.mp4'],
      ['v1.mp4', 'v4.mp4'],
      ['v2.mp4', 'v5.mp4'],
    ]);
  });

  it('names duplicates (path or content), bad lines, a wrong header and a cut-short file', () => {
    expect(() => readManifest(write('dup.jsonl', [manifestHeader(3), entry(1), entry(2), entry(3, 'v1.mp4')]))).toThrow(
      /dup\.jsonl:4: duplicate video v1\.mp4 \(also line 2\)/,
    );
    expect(() => readManifest(write('dup2.jsonl', [manifestHeader(2), entry(1), entry(1, 'copy.mp4')]))).toThrow(
      /dup2\.jsonl:3: duplicate video: copy\.mp4 has the same content as line 2/,
    );
    expect(() => readManifest(write('bad.jsonl', [manifestHeader(2), entry(1), '{"path": 3}']))).toThrow(
      /bad\.jsonl:3: path: /,
    );
    expect(() => readManifest(write('notjson.jsonl', [manifestHeader(1), 'oops']))).toThrow(
      /notjson\.jsonl:2: not JSON/,
    );
    expect(() => readManifest(write('hdr.jsonl', [{ kind: 'x' }, entry(1)]))).toThrow(
      /hdr\.jsonl:1: not a Form Studio keypoint manifest header/,
    );
    expect(() => readManifest(write('short.jsonl', [manifestHeader(5), entry(1)]))).toThrow(
      /header says 5 videos, the file lists 1/,
    );
    expect(() => readManifest(join(dir, 'none.jsonl'))).toThrow(ManifestError);
  });

  it('takes the shard index from the flag or from JOB_COMPLETION_INDEX', () => {
    expect(parseShardFlag('2/5', undefined)).toEqual({ index: 2, count: 5 });
    expect(parseShardFlag('/5', '4')).toEqual({ index: 4, count: 5 });
    expect(() => parseShardFlag('/5', undefined)).toThrow(/JOB_COMPLETION_INDEX/);
    expect(() => parseShardFlag('5/5', undefined)).toThrow(/I must be 0…4/);
    expect(() => parseShardFlag('x', undefined)).toThrow(/--shard is I\/N/);
  });
});
