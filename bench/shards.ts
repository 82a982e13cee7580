/**
 * Sharded keypoint extraction (issue #21): (1) throughput of 1 vs 2 local shards on this machine's cores, each
 * shard a separate `form-studio keypoints --manifest … --shard I/N` process as a Job would run it, on real
 * 10-s clips; (2) merging 100,000 videos' keypoints from synthetic shards (real-sized cache records: 24 frames
 * × 132 numbers + world landmarks) into a fresh project: wall time and the merging process's peak memory.
 * Targets: the merge < 60 s and < 1 GB. First (bench/shard-startup.ts) a shard's start-up on one short clip,
 * this checkout's bundle vs its sources, and vs a baseline ref when asked (`--baseline main`), interleaved.
 *
 *   npx tsx bench/shards.ts [--startup-rounds 3] [--baseline REF] [--clips 4] [--videos 100000]
 *   → bench/results/shards.json
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture } from '../test/support/fixtures';
import { cutClip } from '../test/support/short-clip';
import { measureStartUp } from './shard-startup';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

// Child mode: merge the shards in `dir` into a fresh home and report time and peak RSS (this process only).
if (process.argv[2] === '--merge-child') {
  const [dir, home] = process.argv.slice(3);
  const { Services } = await import('../src-main/services');
  const { importShards } = await import('../src-main/scale/shard-import');
  const s = new Services({ home, mode: 'browser' });
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = await importShards(s, [dir]);
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  s.close();
  // CPU seconds too: on a shared machine wall time includes waiting for the cores.
  console.log(
    JSON.stringify({
      seconds,
      cpuSeconds: (c.user + c.system) / 1e6,
      added: r.added,
      rows: r.rows,
      maxRssMB: process.resourceUsage().maxRSS / 1024,
    }),
  );
  process.exit(0);
}

const r1 = (x: number) => Math.round(x * 10) / 10;
const loadBefore = loadavg().map(r1);
const work = mkdtempSync(join(tmpdir(), 'bench-shards-'));
const results: Record<string, unknown> = { cores: cpus().length, cpu: cpus()[0]?.model, loadBefore };
try {
  // ── (0) a shard's start-up, before/after side by side ─────────────────────────────────────────
  const rounds = arg('startup-rounds', 3);
  const b = process.argv.indexOf('--baseline');
  if (rounds)
    results.startUp = await measureStartUp(work, {
      rounds,
      baseline: b > 0 ? process.argv[b + 1] : undefined,
      clipSeconds: 4,
      sources: !process.argv.includes('--no-sources'),
    });

  // ── (1) 1 vs 2 shards on real clips ────────────────────────────────────────────────────────────
  const CLIPS = arg('clips', 4); // 0 skips this part
  const vids = join(work, 'vids');
  mkdirSync(vids);
  for (let i = 0; i < CLIPS; i++) {
    cutClip(fixture('videos', 'rjsong_squat.mp4'), join(vids, `clip${i}.mp4`), {
      start: i * 4,
      seconds: 10,
      preset: 'veryfast',
    });
  }
  const manifest = join(work, 'videos.jsonl');
  if (CLIPS)
    spawnSync(process.execPath, ['bin/form-studio.js', 'keypoints', 'manifest', '--folder', vids, '--out', manifest], {
      stdio: 'inherit',
    });
  const shardRun = (i: number, n: number, out: string) =>
    new Promise<{ code: number | null; seconds: number }>((resolve) => {
      const t0 = performance.now();
      const p = spawn(
        process.execPath,
        ['bin/form-studio.js', 'keypoints', '--manifest', manifest, '--shard', `${i}/${n}`, '--out', out],
        { stdio: ['ignore', 'ignore', 'inherit'] },
      );
      p.on('exit', (code) => resolve({ code, seconds: (performance.now() - t0) / 1000 }));
    });
  const runs: Array<Record<string, unknown>> = [];
  for (const n of CLIPS ? [1, 2] : []) {
    const out = join(work, `out${n}`);
    const t0 = performance.now();
    const each = await Promise.all(Array.from({ length: n }, (_, i) => shardRun(i, n, out)));
    const wall = (performance.now() - t0) / 1000;
    if (each.some((e) => e.code !== 0)) throw new Error(`a shard failed (${n} shards)`);
    // Where each shard's time went (start-up phases vs extraction), from its summary.
    const phases = readdirSync(out)
      .filter((f) => /^shard-\d+-of-\d+\.json$/.test(f))
      .sort()
      .map((f) => (JSON.parse(readFileSync(join(out, f), 'utf8')) as { phases?: Record<string, number> }).phases);
    runs.push({
      shards: n,
      clips: CLIPS,
      wallSeconds: r1(wall),
      perShardSeconds: each.map((e) => r1(e.seconds)),
      phases,
      clipsPerMinute: r1((CLIPS / wall) * 60),
    });
    console.log(
      `${n} shard(s): ${CLIPS} clips in ${wall.toFixed(1)} s (${((CLIPS / wall) * 60).toFixed(1)} clips/min)`,
    );
  }
  if (CLIPS)
    results.extraction = {
      clipSeconds: 10,
      runs,
      speedup2: r1(((runs[0].wallSeconds as number) / (runs[1].wallSeconds as number)) * 100) / 100,
    };

  // ── (2) merge 100,000 videos from synthetic shards ─────────────────────────────────────────────
  const VIDEOS = arg('videos', 100_000); // 0 skips this part
  if (VIDEOS) await merge100k(VIDEOS);
} finally {
  rmSync(work, { recursive: true, force: true });
}

async function merge100k(VIDEOS: number) {
  const SHARDS = 50;
  const { syntheticHash, syntheticMeta, syntheticRow } = await import('../test/support/synthetic-shards');
  const { writeShard } = await import('../src-main/scale/shard-run');
  const shardDir = join(work, 'synthetic');
  mkdirSync(shardDir);
  const tg = performance.now();
  // 256 distinct real-sized records, each video its own key (making 100,000 distinct records takes minutes).
  const pool = Array.from({ length: 256 }, (_, k) => syntheticRow(k, { numeric: false }));
  for (let i = 0; i < SHARDS; i++) {
    const from = Math.floor((i * VIDEOS) / SHARDS);
    const to = Math.floor(((i + 1) * VIDEOS) / SHARDS);
    const rows = Array.from({ length: to - from }, (_, k) => ({
      ...pool[(from + k) % pool.length],
      contentHash: syntheticHash(from + k),
      path: `clips/${from + k}.mp4`,
    }));
    writeShard(shardDir, syntheticMeta(i, SHARDS), rows, [], { seconds: 0, msPerFrame: null });
  }
  const shardBytes = readdirSync(shardDir).reduce((s, f) => s + statSync(join(shardDir, f)).size, 0);
  console.log(
    `wrote ${SHARDS} synthetic shards (${VIDEOS} videos, ${(shardBytes / 1e9).toFixed(2)} GB) in ${((performance.now() - tg) / 1000).toFixed(0)} s`,
  );
  const home = join(work, 'home');
  const m = spawnSync(process.execPath, ['--import', 'tsx', 'bench/shards.ts', '--merge-child', shardDir, home], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (m.status !== 0) throw new Error(`merge failed: ${m.stdout}`);
  const merge = JSON.parse(m.stdout.trim().split('\n').pop()!) as {
    seconds: number;
    cpuSeconds: number;
    added: number;
    rows: number;
    maxRssMB: number;
  };
  const dbBytes = statSync(join(home, 'form-studio.db')).size;
  results.merge = {
    videos: VIDEOS,
    shards: SHARDS,
    shardGB: Math.round(shardBytes / 1e7) / 100,
    dbGB: Math.round(dbBytes / 1e7) / 100,
    seconds: r1(merge.seconds),
    cpuSeconds: r1(merge.cpuSeconds),
    maxRssMB: Math.round(merge.maxRssMB),
    added: merge.added,
    targets: { seconds: 60, rssMB: 1024 },
  };
  console.log(
    `merge: ${merge.added} videos in ${merge.seconds.toFixed(1)} s (${merge.cpuSeconds.toFixed(1)} CPU s), peak RSS ${merge.maxRssMB.toFixed(0)} MB (targets < 60 s, < 1024 MB); database ${(dbBytes / 1e9).toFixed(2)} GB`,
  );
}
results.loadAfter = loadavg().map(r1);
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/shards.json', JSON.stringify(results, null, 2) + '\n');
console.log(JSON.stringify(results, null, 2));
