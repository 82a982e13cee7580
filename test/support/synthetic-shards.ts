/**
 * Synthetic keypoint shards (for merge tests and the merge benchmark): rows shaped like real ones (24 frames ×
 * 132 numbers rounded to 1e-5 then float32 as flattenFrame does, world landmarks too, now and then a frame with no person),
 * written by the same writer as a real shard. Deterministic for a given seed.
 */
import { mkdirSync } from 'node:fs';
import { writeShard } from '../../src-main/scale/shard-run';
import { SHARD_FORMAT, SHARD_VERSION, type ShardMeta, type ShardRow } from '../../src-main/scale/shard-parquet';
import type { StoredKeypoints } from '../../src-shared/keypoints/stored';
import { encodeKeypointRecord } from '../../src-shared/keypoints/cache-record';
import { rng } from '../reps/synth';

export const syntheticHash = (i: number, salt = '') => `sha256:${(salt + i.toString(16)).padStart(64, '0').slice(-64)}`;

/** `numeric: false` leaves the numeric columns null (the merge reads only the cache record): for large merge benchmarks. */
export function syntheticRow(
  i: number,
  opts: { numFrames?: number; variant?: string; seed?: number; salt?: string; numeric?: boolean; json?: boolean } = {},
): ShardRow {
  const n = opts.numFrames ?? 24;
  const r = rng((opts.seed ?? 1) * 1_000_003 + i);
  const frame = () => Array.from({ length: 132 }, () => Math.fround(Math.round(r() * 1e5) / 1e5));
  const frames = Array.from({ length: n }, (_, f) => (f === 3 && i % 7 === 0 ? null : frame()));
  const world = frames.map((f) => (f ? frame() : null));
  const kp: StoredKeypoints = {
    numFrames: n,
    variant: (opts.variant ?? 'full') as StoredKeypoints['variant'],
    timestamps: Array.from({ length: n }, (_, f) => (f + 0.5) / 4),
    frames,
    world,
  };
  const withPerson = frames.filter(Boolean).length;
  return {
    path: `clips/clip_${i}.mp4`,
    contentHash: syntheticHash(i, opts.salt),
    status: 'ok',
    personRate: withPerson / n,
    message: null,
    data: opts.json ? Buffer.from(JSON.stringify(kp)) : encodeKeypointRecord(kp),
    timestamps: kp.timestamps,
    landmarks: opts.numeric === false ? null : frames,
    world: opts.numeric === false ? null : world,
  };
}

export function syntheticMeta(shard: number, shards: number, over: Partial<ShardMeta> = {}): ShardMeta {
  return {
    format: SHARD_FORMAT,
    version: SHARD_VERSION,
    manifestSha256: 'f'.repeat(64),
    project: null,
    variant: 'full',
    numFrames: 24,
    sampling: 'uniform-center-v1',
    shard,
    shards,
    ...over,
  };
}

/** Write shard `shard` of `shards` holding rows [from, to) into `out`. */
export function writeSyntheticShard(
  out: string,
  shard: number,
  shards: number,
  from: number,
  to: number,
  over: Partial<ShardMeta> = {},
  rowOpts: { seed?: number; salt?: string; numeric?: boolean; json?: boolean } = {},
) {
  mkdirSync(out, { recursive: true });
  const meta = syntheticMeta(shard, shards, over);
  const rows = Array.from({ length: to - from }, (_, k) =>
    syntheticRow(from + k, { numFrames: meta.numFrames, variant: meta.variant, ...rowOpts }),
  );
  return writeShard(out, meta, rows, [], { seconds: 0, msPerFrame: null });
}
