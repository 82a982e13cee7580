import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { findFfmpeg } from '../../src-main/media/ffmpeg';
import { fixture } from '../support/fixtures';
import { pythonVenv } from './python-venv';

// deploy/ray/run_shards.py on a local Ray cluster (ray.init()): 3 shards as Ray tasks, each running the CLI's
// shard command; merged, they equal one local run exactly, and a corrupt clip fails in its shard only.
const venv = pythonVenv();
if (!venv.python) console.warn(`[skipped] Ray shard test: ${venv.why}`);
const root = mkdtempSync(join(tmpdir(), 'fs-ray-shards-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const cliCmd = `${process.execPath} ${resolve('bin/form-studio.js')}`;
const cli = (args: string[]) => {
  const r = spawnSync(process.execPath, ['bin/form-studio.js', ...args], { encoding: 'utf8', timeout: 600_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const cache = (home: string) => {
  const db = new Database(join(home, 'form-studio.db'), { readonly: true });
  try {
    return db
      .prepare(
        'SELECT content_hash, num_frames, sampling, model_variant, status, person_rate, message, hex(data) AS data FROM keypoint_cache ORDER BY content_hash',
      )
      .all();
  } finally {
    db.close();
  }
};

describe.skipIf(!venv.python)('keypoint shards as Ray tasks', () => {
  it('3 shards on a local Ray cluster merge to exactly the single-run keypoints; the corrupt clip fails in its shard only', () => {
    const vids = join(root, 'vids');
    mkdirSync(vids);
    for (const c of ['rjsong_squat.mp4', 'tfjs_pose_squats.mp4']) {
      execFileSync(findFfmpeg().ffmpeg, [
        '-v',
        'error',
        '-y',
        '-i',
        fixture('videos', c),
        '-t',
        '2',
        '-vf',
        'scale=-2:360',
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-an',
        join(vids, c),
      ]);
    }
    writeFileSync(join(vids, 'broken.mp4'), readFileSync(join(vids, 'rjsong_squat.mp4')).subarray(0, 15_000));
    const manifest = join(root, 'videos.jsonl');
    expect(cli(['keypoints', 'manifest', '--folder', vids, '--out', manifest]).code).toBe(0);
    const single = cli(['keypoints', '--manifest', manifest, '--shard', '0/1', '--out', join(root, 'single')]);
    expect(single.code, single.err).toBe(0);

    const out = join(root, 'ray');
    // 2 CPUs for Ray: two shards at a time (the machine has 2 cores); the third waits for a free one.
    const r = spawnSync(
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
      {
        encoding: 'utf8',
        timeout: 900_000,
        env: { ...process.env, RAY_DEDUP_LOGS: '0' },
      },
    );
    expect(r.status, (r.stdout + r.stderr).slice(-4000)).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const perShard = lines.filter((l) => 'shard' in l).sort((a, b) => Number(a.shard) - Number(b.shard));
    expect(perShard.map((l) => l.failed)).toEqual([['broken.mp4'], [], []]); // sorted paths: broken, rjsong, tfjs
    expect(lines.at(-1)).toMatchObject({ shards: 3, videos: 3, ok: 2, failed: 1 });

    const homeA = join(root, 'homeA');
    const homeB = join(root, 'homeB');
    cli(['keypoints', 'import', join(root, 'single'), '--home', homeA]);
    const merged = cli(['keypoints', 'import', out, '--home', homeB]);
    expect(merged.out).toMatch(/Imported 3 shard\(s\): 2 result\(s\), 2 added/);
    expect(cache(homeA)).toHaveLength(2);
    expect(cache(homeB)).toEqual(cache(homeA));
  }, 1_500_000);
});
