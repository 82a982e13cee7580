import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { shortClip } from '../support/short-clip';
import { keypointCacheRows } from '../support/keypoint-cache';
import { oneRayClusterAtATime, pythonVenv } from './python-venv';

// deploy/ray/run_shards.py on a local Ray cluster (ray.init()): 3 shards as Ray tasks, each running the CLI's
// shard command; one task's process is killed mid-shard (as the OOM killer would) and Ray runs it again, which
// resumes; merged, they equal one local run exactly, and a corrupt clip fails in its shard only.
const venv = pythonVenv();
if (!venv.python) console.warn(`[skipped] Ray shard test: ${venv.why}`);
const root = mkdtempSync(join(tmpdir(), 'fs-ray-shards-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const cliCmd = `${process.execPath} ${resolve('bin/form-studio.js')}`;
const cli = (args: string[]) => {
  const r = spawnSync(process.execPath, ['bin/form-studio.js', ...args], { encoding: 'utf8', timeout: 600_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
/** The process whose command line has all of `parts`, and its descendants (Chromium), from /proc. */
function processTree(parts: string[]): number[] {
  const procs = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => {
      try {
        const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0');
        const ppid = Number(/^\d+ \(.*\) \S (\d+)/.exec(readFileSync(`/proc/${d}/stat`, 'utf8'))?.[1]);
        return { pid: Number(d), ppid, cmd };
      } catch {
        return null;
      }
    })
    .filter((p) => p !== null);
  const root = procs.find(
    (p) => p.cmd.some((c) => c.endsWith('form-studio.js')) && parts.every((x) => p.cmd.includes(x)),
  );
  if (!root) return [];
  const tree = [root.pid];
  for (let i = 0; i < tree.length; i++) for (const p of procs) if (p.ppid === tree[i]) tree.push(p.pid);
  return tree;
}
/** How many clips a shard's work database has saved keypoints for (0 while it does not exist yet). */
const savedCount = (db: string) => {
  if (!existsSync(db)) return 0;
  try {
    const d = new Database(db, { readonly: true, timeout: 1000 });
    try {
      return (d.prepare("SELECT COUNT(*) AS n FROM keypoint_cache WHERE status != 'error'").get() as { n: number }).n;
    } finally {
      d.close();
    }
  } catch {
    return 0;
  }
};

describe.skipIf(!venv.python)('keypoint shards as Ray tasks', () => {
  it('3 shards on a local Ray cluster, one killed mid-shard and re-run by Ray, merge to exactly the single-run keypoints; the corrupt clip fails in its shard only', async () => {
    const vids = join(root, 'vids');
    mkdirSync(vids);
    // Sorted paths, round robin: shard 0 = broken + rjsong_squat, 1 = gymnai_push_up + tfjs_pose_squats, 2 = rjsong_plank2.
    for (const c of ['gymnai_push_up.mp4', 'rjsong_plank2.mp4', 'rjsong_squat.mp4', 'tfjs_pose_squats.mp4']) {
      shortClip(c, 2, join(vids, c));
    }
    writeFileSync(join(vids, 'broken.mp4'), readFileSync(join(vids, 'rjsong_squat.mp4')).subarray(0, 15_000));
    const manifest = join(root, 'videos.jsonl');
    expect(cli(['keypoints', 'manifest', '--folder', vids, '--out', manifest]).code).toBe(0);
    const single = cli(['keypoints', '--manifest', manifest, '--shard', '0/1', '--out', join(root, 'single')]);
    expect(single.code, single.err).toBe(0);

    const out = join(root, 'ray');
    // 2 CPUs for Ray: two shards at a time (the machine has 2 cores); the third waits for a free one.
    const { r, savedAtKill } = await oneRayClusterAtATime(async () => {
      const ray = spawn(
        venv.python!,
        [
          resolve('deploy/ray/run_shards.py'),
          '--manifest',
          manifest,
          '--shards',
          '3',
          '--out',
          out,
          '--cli',
          cliCmd,
          '--num-cpus',
          '2',
        ],
        { env: { ...process.env, RAY_DEDUP_LOGS: '0' } },
      );
      const r = { status: null as number | null, stdout: '', stderr: '' };
      ray.stdout.on('data', (d: Buffer) => (r.stdout += d.toString()));
      ray.stderr.on('data', (d: Buffer) => (r.stderr += d.toString()));
      const exited = new Promise<void>((done) => ray.on('exit', (code) => ((r.status = code), done())));
      // Shard 1's process (and its Chromium) is killed once its first clip's keypoints are saved.
      const work = join(out, '.shard-00001-of-00003.work', 'form-studio.db');
      await expect.poll(() => savedCount(work) >= 1, { timeout: 900_000, interval: 200 }).toBe(true);
      const tree = processTree(['--shard', '1/3']);
      expect(tree.length).toBeGreaterThan(0);
      for (const pid of tree) process.kill(pid, 'SIGKILL');
      // On a loaded machine the shard may save its second clip between the poll and the kill: count after it.
      const savedAtKill = savedCount(work);
      expect(existsSync(join(out, 'shard-00001-of-00003.json')), 'the kill came after shard 1 finished').toBe(false);
      await exited; // the cluster is done before the next test may start one
      return { r, savedAtKill };
    });
    expect(r.status, (r.stdout + r.stderr).slice(-4000)).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const perShard = lines.filter((l) => 'shard' in l).sort((a, b) => Number(a.shard) - Number(b.shard));
    expect(perShard.map((l) => l.failed)).toEqual([['broken.mp4'], [], []]);
    // Ray ran shard 1 again after the kill, and it resumed from the clips saved before it.
    expect(savedAtKill).toBeGreaterThanOrEqual(1);
    expect(perShard.map((l) => l.alreadyExtracted)).toEqual([0, savedAtKill, 0]);
    expect(lines.at(-1)).toMatchObject({ shards: 3, videos: 5, ok: 4, failed: 1 });

    const homeA = join(root, 'homeA');
    const homeB = join(root, 'homeB');
    cli(['keypoints', 'import', join(root, 'single'), '--home', homeA]);
    const merged = cli(['keypoints', 'import', out, '--home', homeB]);
    expect(merged.out).toMatch(/Imported 3 shard\(s\): 4 result\(s\), 4 added/);
    expect(keypointCacheRows(homeA)).toHaveLength(4);
    expect(keypointCacheRows(homeB)).toEqual(keypointCacheRows(homeA));
  }, 1_500_000);
});
