import { test, expect } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shortClip } from '../test/support/short-clip';

// `form-studio train` on a project with labels but no keypoints: it extracts them first (headless renderer,
// the app's cache), then trains — the toolkit's train_model.py order. `--no-extract` keeps the old refusal.
const root = mkdtempSync(join(tmpdir(), 'fs-cli-train-extract-'));
const home = join(root, 'home');
test.afterAll(() => rmSync(root, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/form-studio.js', ...args, '--home', home], {
    encoding: 'utf8',
    timeout: 400_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

// One quick epoch on all three clips (no validation share).
const TRAIN_ONE_EPOCH = [
  'train',
  '--epochs',
  '1',
  '--batch-size',
  '2',
  '--standard-model',
  '--cpu-only',
  '--val-share',
  '0',
];

test('train extracts missing keypoints of labeled training videos first, then trains; --no-extract does not', async () => {
  test.setTimeout(900_000);
  // Three short real clips (3 s, 360 px) in the toolkit's layout.
  const data = join(root, 'data', 'exercises_train', 'squat');
  mkdirSync(data, { recursive: true });
  const clips = ['tfjs_pose_squats.mp4', 'rjsong_squat.mp4', 'gymnai_squat.mp4'];
  clips.forEach((c, i) => shortClip(c, 3, join(data, `squat_${i}.mp4`)));
  const imported = cli('datasets', 'import', join(root, 'data', 'exercises_train'), '--split', 'train');
  expect(imported.code, imported.err + imported.out).toBe(0);
  const csv = join(root, 'scores.csv');
  expect(cli('labels', 'export', csv).code).toBe(0);
  const lines = readFileSync(csv, 'utf8').trim().split(/\r?\n/);
  expect(lines.length).toBe(1 + clips.length);
  writeFileSync(
    csv,
    [lines[0], ...lines.slice(1).map((l, i) => `${l.split(',')[0]},squat,${60 + 10 * i}`)].join('\n') + '\n',
  );
  const labeled = cli('labels', 'import', csv);
  expect(labeled.code, labeled.err + labeled.out).toBe(0);

  const refused = cli('train', '--no-extract', '--epochs', '1', '--standard-model', '--cpu-only');
  expect(refused.code).not.toBe(0);
  expect(refused.err + refused.out).toMatch(/extract keypoints/i);
  expect(refused.out).not.toMatch(/Extracting keypoints/);

  const train = cli(...TRAIN_ONE_EPOCH);
  expect(train.code, train.err + train.out).toBe(0);
  expect(train.out).toContain(`Extracting keypoints for ${clips.length} labeled training video(s) first`);
  expect(train.out).toMatch(/\] 3\/3 ETA \d+:\d\d/);
  expect(train.out).toMatch(new RegExp(`Keypoints: ${clips.length} ok, 0 with no pose, 0 failed`));
  expect(train.out.indexOf('Keypoints:')).toBeLessThan(train.out.indexOf('Epoch 1/1'));
  expect(train.out).toMatch(/Finished/);

  // The cache is the app's: nothing is extracted twice.
  const again = cli(...TRAIN_ONE_EPOCH);
  expect(again.code, again.err + again.out).toBe(0);
  expect(again.out).toContain('Keypoints: no labeled training video is missing them.');
  expect(cli('keypoints').out).toContain('Keypoints are up to date.');
});
