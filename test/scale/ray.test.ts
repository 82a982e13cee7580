import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Services } from '../../src-main/services';
import { initTfNode } from '../../src-main/models/tf-node';
import { exportDataset } from '../../src-main/scale/dataset-export';
import { toTrainingSamples } from '../../src-shared/training/samples';
import { seedTrainingHome } from '../training/seed';
import { shortClip } from '../support/short-clip';
import { keypointCacheRows } from '../support/keypoint-cache';
import { pythonVenv, runPython } from './python-venv';
import { startRayCluster, type RayCluster } from './ray-cluster';

// deploy/'s two Ray scripts on one local Ray cluster (2 CPUs), started once for this file and given to both
// with --address, their cluster mode: run_shards.py (keypoint shards as Ray tasks) and the train_keras.py that
// export-dataset writes (Keras under Ray Train). They were two test files, each starting its own cluster with
// `ray.init()`; two starts at once on 2 cores timed out, so one file waited for the other's cluster, holding a
// test worker. The scripts' own `ray.init(num_cpus=…)` (no --address) is then not run here: it differs only
// in that one call.
const venv = pythonVenv();
if (!venv.python) console.warn(`[skipped] Ray tests: ${venv.why}`);
const root = mkdtempSync(join(tmpdir(), 'fs-ray-'));
let cluster: RayCluster | undefined;
beforeAll(async () => {
  if (venv.python) cluster = await startRayCluster(venv.python, 2);
}, 1_800_000); // may first wait for another run's cluster on a shared machine
afterAll(async () => {
  await cluster?.stop();
  rmSync(root, { recursive: true, force: true });
});

// deploy/ray/run_shards.py: 3 shards as Ray tasks, each running the CLI's shard command; one task's process is
// killed mid-shard (as the OOM killer would) and Ray runs it again, which resumes; merged, they give every clip's
// keypoints once, and a corrupt clip fails in its shard only. That the same shard commands (kill and resume
// included) merge to exactly one local run's keypoints is e2e/keypoint-shards.spec.ts's check; a second local
// run here only repeated it (≈1/3 of this test's time).
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
  it("3 shards on a local Ray cluster, one killed mid-shard and re-run by Ray, merge to every clip's keypoints once; the corrupt clip fails in its shard only", async () => {
    const vids = join(root, 'vids');
    mkdirSync(vids);
    // Sorted paths, round robin: shard 0 = broken + rjsong_squat, 1 = gymnai_push_up + tfjs_pose_squats, 2 = rjsong_plank2.
    for (const c of ['gymnai_push_up.mp4', 'rjsong_plank2.mp4', 'rjsong_squat.mp4', 'tfjs_pose_squats.mp4']) {
      shortClip(c, 2, join(vids, c));
    }
    writeFileSync(join(vids, 'broken.mp4'), readFileSync(join(vids, 'rjsong_squat.mp4')).subarray(0, 15_000));
    const manifest = join(root, 'videos.jsonl');
    expect(cli(['keypoints', 'manifest', '--folder', vids, '--out', manifest]).code).toBe(0);

    const out = join(root, 'ray');
    // The cluster has 2 CPUs: two shards at a time (the machine has 2 cores); the third waits for a free one.
    const { r, savedAtKill } = await (async () => {
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
          '--address',
          cluster!.address,
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
      await exited;
      return { r, savedAtKill };
    })();
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

    const mergedHome = join(root, 'merged');
    const merged = cli(['keypoints', 'import', out, '--home', mergedHome]);
    expect(merged.out).toMatch(/Imported 3 shard\(s\): 4 result\(s\), 4 added/);
    // One row per good clip (the resumed shard added none twice), each with keypoints.
    const rows = keypointCacheRows(mergedHome) as Array<{ content_hash: string; status: string; data: string }>;
    expect(rows).toHaveLength(4);
    expect(new Set(rows.map((r) => r.content_hash)).size).toBe(4);
    for (const r of rows) expect([r.status, r.data.length > 0]).toEqual(['ok', true]);
  }, 1_500_000);
});

// The train_keras.py that export-dataset writes trains under Ray Train with 2 workers, and its model.keras
// imports back into the app, scores, and exports to TFLite (test/scale/keras-python.test.ts checks, without
// Ray, that it builds the app's architecture).
const home = join(root, 'home');
const py = (args: string[], timeout?: number) => runPython(venv.python!, args, timeout);

describe.skipIf(!venv.python)('export-dataset → train_keras.py (Keras under Ray Train) → .keras import', () => {
  beforeAll(async () => {
    await initTfNode();
    seedTrainingHome(home, 16);
  }, 600_000);

  it('trains with 2 Ray Train workers (MultiWorkerMirroredStrategy) a few epochs; model.keras imports back and scores', async () => {
    const ds = join(root, 'ds-train');
    const s = new Services({ home, mode: 'browser' });
    let testRows = 0;
    try {
      testRows = (await exportDataset(s, { out: ds, kind: 'standard' })).test;
    } finally {
      s.close();
    }
    const run = join(ds, 'run');
    const t0 = Date.now();
    const r = py(
      [
        join(ds, 'train_keras.py'),
        '--out',
        run,
        '--epochs',
        '3',
        '--batch-size',
        '4',
        '--num-workers',
        '2',
        '--cpus-per-worker',
        '1',
        '--address',
        cluster!.address,
      ],
      900_000,
    );
    expect(r.code, (r.out + r.err).slice(-4000)).toBe(0);
    const summary = JSON.parse(
      r.out
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('{"model"'))
        .pop()!,
    ) as {
      seconds: number;
      workers: number;
      epochs: number;
      test: { test_rows: number; test_mae: number; test_exercise_accuracy: number } | null;
    };
    console.log(
      `[ray train] 2 workers × 3 epochs in ${summary.seconds} s (process ${((Date.now() - t0) / 1000).toFixed(0)} s)`,
    );
    const history = JSON.parse(readFileSync(join(run, 'history.json'), 'utf8')) as Array<{
      loss: number;
      mae: number;
      replicas: number;
      seconds: number;
    }>;
    expect(history.length).toBeGreaterThanOrEqual(1);
    expect(history.every((h) => Number.isFinite(h.loss) && Number.isFinite(h.mae))).toBe(true);
    expect(history[0].replicas).toBe(2); // MultiWorkerMirroredStrategy over the 2 Ray Train workers
    // The held-out test rows were scored at the end (and only then), by the best weights.
    expect(testRows).toBeGreaterThan(0);
    expect(summary.test?.test_rows).toBe(testRows);
    expect(summary.test!.test_mae).toBeGreaterThanOrEqual(0);
    expect(summary.test!.test_mae).toBeLessThan(100);
    expect(summary.test!.test_exercise_accuracy).toBeGreaterThanOrEqual(0);
    expect(JSON.parse(readFileSync(join(run, 'test_metrics.json'), 'utf8'))).toEqual(summary.test);
    expect(existsSync(join(run, 'model.keras'))).toBe(true);
    // Back into the app through the existing .keras import; then it scores the exported rows.
    const s2 = new Services({ home, mode: 'browser' });
    try {
      const info = await s2.invoke('models.importKeras', { name: 'ray-keras', path: join(run, 'model.keras') });
      const loaded = await s2.models.load(info.id);
      if (loaded.format !== 'fsmodel') throw new Error('expected an app model');
      const data = await s2.invoke('training.data', { numFrames: 24 });
      const pred = loaded.model.predict(toTrainingSamples(data.items, 24).map((x) => x.x));
      expect(pred.scores.length).toBe(data.items.length);
      expect(Math.min(...pred.scores)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...pred.scores)).toBeLessThanOrEqual(100);
      expect(pred.exerciseProbs?.[0].length).toBe(14);
    } finally {
      s2.close();
    }
    // And the CLI's export takes it to TFLite (toolkit interop path).
    const tfl = join(root, 'ray.tflite');
    execFileSync(
      process.execPath,
      ['bin/form-studio.js', 'export', '--model', join(run, 'model.keras'), '--output', tfl, '--home', home],
      { encoding: 'utf8', timeout: 600_000 },
    );
    expect(existsSync(tfl)).toBe(true);
  }, 1_800_000);
});
