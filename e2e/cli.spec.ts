import { test, expect } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture } from '../test/support/fixtures';

// The command line, as a user runs it: train a model in the test, then `form-studio score` a real clip
// (its pose is extracted by the app's renderer in headless Chromium) and print the toolkit's block.
const home = mkdtempSync(join(tmpdir(), 'fs-cli-'));
test.afterAll(() => rmSync(home, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/form-studio.js', ...args, '--home', home], {
    encoding: 'utf8',
    timeout: 280_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The CLI in a pseudo-terminal: stdout and stderr come out together, with the terminal's \r\n made \n. */
function cliInTerminal(...args: string[]) {
  const command = [process.execPath, 'bin/form-studio.js', ...args, '--home', home].map((a) => `'${a}'`).join(' ');
  const r = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', timeout: 280_000 });
  return { code: r.status, out: r.stdout.replace(/\r\n/g, '\n') };
}

test('form-studio train, score and export from the command line; bad input fails clearly', async () => {
  test.setTimeout(600_000);
  const seed = spawnSync(process.execPath, ['--import', 'tsx', 'test/training/seed.ts', home, '12'], {
    encoding: 'utf8',
  });
  expect(seed.status, seed.stderr).toBe(0);
  const train = cli(
    'train',
    '--epochs',
    '2',
    '--batch-size',
    '4',
    '--standard-model',
    '--num-frames',
    '24',
    '--cpu-only',
    '--plot',
    join(home, 'training_history.png'),
  );
  expect(train.code, train.err + train.out).toBe(0);

  // In a terminal (`script` gives it one), as a user runs it: a pose progress line on stderr while the 24 model
  // frames and the 65 dense frames of the 13-s clip are extracted, cleared before the block is printed.
  const score = cliInTerminal('score', fixture('videos', 'tfjs_pose_squats.mp4'));
  expect(score.code, score.out).toBe(0);
  expect(score.out).toContain(`\rPose: 89/89 frames\r\u001b[K${'='.repeat(50)}\n`);
  expect(score.out).toMatch(
    /={50}\nPredicted Quality Score: \d+\.\d\d \/ 100\nDetected Exercise: [A-Z][\w -]+\nConfidence: \d+\.\d%\n={50}/,
  );
  // One person in frame: no warning line. The same warnings, read back from the keypoint cache (no pose run
  // now), are empty in --json too. (e2e/people.spec.ts checks the two-people clip warns, in both forms.)
  expect(score.out).not.toMatch(/^Warning:/m);
  const cached = cli('score', fixture('videos', 'tfjs_pose_squats.mp4'), '--json');
  expect(cached.code, cached.err).toBe(0);
  expect((JSON.parse(cached.out) as { warnings: string[] }).warnings).toEqual([]);

  const notVideo = join(home, 'notes.mp4');
  writeFileSync(notVideo, 'not a video');
  const bad = cli('score', notVideo);
  expect(bad.code).not.toBe(0);
  expect(bad.err).toContain('not a video');
  const missing = cli('score', join(home, 'nope.mp4'));
  expect(missing.code).not.toBe(0);
  expect(missing.err).toContain('Video file not found');
  const unsupported = cli('score', join(home, 'training_history.png'));
  expect(unsupported.code).not.toBe(0);
  expect(unsupported.err).toContain('Unsupported format');

  const exported = cli('export', '--output', join(home, 'squat_scorer.tflite'), '--quantize', '--test');
  expect(exported.code, exported.err).toBe(0);
  expect(exported.out).toContain('builtin ops only: yes');
});
