import { test, expect } from '@playwright/test';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { shortClip } from '../test/support/short-clip';
import { keypointCacheRows } from '../test/support/keypoint-cache';

// Sharded keypoint extraction as a Kubernetes Indexed Job runs it: one process per shard (index from
// JOB_COMPLETION_INDEX), one of them killed mid-way and run again, a corrupt video among the clips. The merged
// keypoints must equal one local run's exactly; the corrupt video fails in its shard's summary and nowhere else.
const root = mkdtempSync(join(tmpdir(), 'fs-shards-e2e-'));
test.afterAll(() => rmSync(root, { recursive: true, force: true }));
const vids = join(root, 'vids');
const manifest = join(root, 'videos.jsonl');

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['bin/form-studio.js', ...args], {
    encoding: 'utf8',
    timeout: 600_000,
    env: { ...process.env, ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
/** The CLI as its own process, not waited for: its exit code and output. */
function run(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const p = spawn(process.execPath, ['bin/form-studio.js', ...args], { env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('exit', (code) => resolve({ code, out, err }));
  });
}
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

test('3 shards as separate processes, one killed and re-run, merge to exactly the single-run keypoints', async () => {
  test.setTimeout(1_500_000);
  mkdirSync(vids);
  // Short real clips (2 s, 360 px) and one truncated file.
  const clips = ['gymnai_push_up.mp4', 'rjsong_plank2.mp4', 'rjsong_squat.mp4', 'tfjs_pose_squats.mp4'];
  for (const c of clips) shortClip(c, 2, join(vids, c));
  writeFileSync(join(vids, 'corrupt.mp4'), readFileSync(join(vids, 'gymnai_push_up.mp4')).subarray(0, 20_000));
  const before = Object.fromEntries(readdirSync(vids).map((f) => [f, sha(join(vids, f))]));

  const made = cli(['keypoints', 'manifest', '--folder', vids, '--out', manifest]);
  expect(made.code, made.err).toBe(0);
  expect(made.out).toContain('5 video(s)');
  // Round robin over the sorted paths: shard 0 = corrupt + rjsong_squat, 1 = gymnai_push_up + tfjs_pose_squats, 2 = rjsong_plank2.

  // One local run of everything: the reference. It runs beside the shards (its own scratch project and output):
  // a lone extraction leaves part of the 2 cores idle, and it is only compared at the end.
  const single = run(['keypoints', '--manifest', manifest, '--shard', '0/1', '--out', join(root, 'single')]);

  // Shard 1 (two clips) is killed once its first clip's keypoints are saved, before it finishes.
  const out = join(root, 'shards');
  const work = join(out, '.shard-00001-of-00003.work', 'form-studio.db');
  const child = spawn(
    process.execPath,
    ['bin/form-studio.js', 'keypoints', '--manifest', manifest, '--shard', '/3', '--out', out],
    {
      env: { ...process.env, JOB_COMPLETION_INDEX: '1' },
      detached: true,
      stdio: 'ignore',
    },
  );
  const exited = new Promise((r) => child.on('exit', r));
  // How many clips shard 1 has saved so far (its work database appears with the first).
  const saved = () => {
    if (!existsSync(work)) return 0;
    try {
      const db = new Database(work, { readonly: true, timeout: 1000 });
      try {
        return (db.prepare("SELECT COUNT(*) AS n FROM keypoint_cache WHERE status != 'error'").get() as { n: number })
          .n;
      } finally {
        db.close();
      }
    } catch {
      return 0;
    }
  };
  await expect.poll(() => saved() >= 1, { timeout: 600_000, intervals: [200] }).toBe(true);
  process.kill(-child.pid!, 'SIGKILL');
  await exited;
  // On a loaded machine the second clip may be saved between the poll and the kill: count after it.
  const savedAtKill = saved();
  expect(existsSync(join(out, 'shard-00001-of-00003.json')), 'the kill came after shard 1 finished').toBe(false);
  expect(existsSync(join(out, 'shard-00001-of-00003.parquet'))).toBe(false);

  // The others run (as their own processes), and shard 1 again: it resumes from its saved clip.
  const runs = await Promise.all(
    ['0', '1', '2'].map((i) =>
      run(['keypoints', '--manifest', manifest, '--shard', '/3', '--out', out], { JOB_COMPLETION_INDEX: i }).then(
        (r) => ({ i, ...r }),
      ),
    ),
  );
  for (const r of runs) expect(r.code, `shard ${r.i}: ${r.err}`).toBe(0);
  expect(runs[1].err).toContain(`${savedAtKill} already extracted, ${2 - savedAtKill} to extract`);
  expect(existsSync(join(out, '.shard-00001-of-00003.work'))).toBe(false);

  // The corrupt video: in shard 0's summary, nowhere else.
  const summaries = [0, 1, 2].map(
    (i) =>
      JSON.parse(readFileSync(join(out, `shard-0000${i}-of-00003.json`), 'utf8')) as {
        failed: Array<{ path: string; message: string }>;
        parquet: { file: string; sha256: string };
      },
  );
  expect(summaries[0].failed.map((f) => f.path)).toEqual(['corrupt.mp4']);
  expect(summaries[0].failed[0].message).toMatch(/cannot be read|truncated|damaged/i);
  expect(summaries[1].failed).toEqual([]);
  expect(summaries[2].failed).toEqual([]);

  // A finished shard run again changes nothing.
  const again = cli(['keypoints', '--manifest', manifest, '--shard', '2/3', '--out', out]);
  expect(again.out).toContain('Already done');
  expect(sha(join(out, summaries[2].parquet.file))).toBe(summaries[2].parquet.sha256);

  const ref = await single;
  expect(ref.code, ref.err).toBe(0);
  expect(ref.out).toMatch(/5 video\(s\), 4 ok, 0 with no pose, 1 failed/);

  // Merge both into fresh projects: the caches are identical, byte for byte.
  const homeA = join(root, 'homeA');
  const homeB = join(root, 'homeB');
  const a = cli(['keypoints', 'import', join(root, 'single'), '--home', homeA]);
  const b = cli(['keypoints', 'import', out, '--home', homeB]);
  expect(b.out).toMatch(/Imported 3 shard\(s\): 4 result\(s\), 4 added, 0 already there, 0 kept/);
  expect(b.out).toMatch(/1 video\(s\) failed in their shard and were not imported:\n {2}corrupt\.mp4: /);
  expect(a.out).toMatch(/4 added/);
  const cacheA = keypointCacheRows(homeA);
  expect(cacheA).toHaveLength(4);
  expect(keypointCacheRows(homeB)).toEqual(cacheA);
  // The user's files were only read.
  expect(Object.fromEntries(readdirSync(vids).map((f) => [f, sha(join(vids, f))]))).toEqual(before);
});
