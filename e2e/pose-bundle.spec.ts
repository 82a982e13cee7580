/**
 * The offline pose bundles in real Chromium with real MediaPipe (tasks-vision 0.10.35, CPU).
 * Self-contained: builds assets/generated if needed, serves it + tasks-vision + the shared fixtures
 * from its own 127.0.0.1 server, launches Debian Chromium via playwright-core, and fails if any
 * request leaves that server.
 *
 *   npx playwright test e2e/pose-bundle.spec.ts --config=<any config whose testDir includes e2e/>
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { buildAssets } from '../scripts/pose-bundle/build.js';
import type { PoseFrame } from '../src-renderer/pose/landmarker.js';
import type { RunResult, RunSpec } from './support/pose-page.js';
import {
  FIXTURES,
  extractFrames,
  lavfiImage,
  officialFullTask,
  openPoseHarness,
  runPose,
  type PoseHarness,
} from './support/pose-harness.js';
import { POSE_MODEL_VARIANTS, type Landmark } from '../src-shared/keypoints/format.js';

test.describe.configure({ mode: 'serial' });
test.setTimeout(240_000);

const SQUATS = join(FIXTURES, 'videos', 'tfjs_pose_squats.mp4');
const SQUATS_FPS = 5;
const SQUATS_W = 720;
const SQUATS_H = 1280;

let h: PoseHarness;
let work: string;
let squatFrames: string[];
let movedFrames: string[];

const run = (spec: RunSpec): Promise<RunResult> => runPose(h.page, spec);

function maxAbsDiff(a: readonly Landmark[], b: readonly Landmark[]): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  a.forEach((p, i) => {
    const q = b[i]!;
    m = Math.max(
      m,
      Math.abs(p.x - q.x),
      Math.abs(p.y - q.y),
      Math.abs(p.z - q.z),
      Math.abs(p.visibility - q.visibility),
    );
  });
  return m;
}

test.beforeAll(async () => {
  await buildAssets({ log: (m) => console.log('[pose-bundle.spec] ' + m) });
  work = mkdtempSync(join(tmpdir(), 'pose-bundle-e2e-'));
  squatFrames = extractFrames(SQUATS, join(work, 'squats'));
  // The same clip with everything moved right by 30 % of the width (left 70 % kept, black on the left).
  movedFrames = extractFrames(SQUATS, join(work, 'moved'), {
    maxFrames: 3,
    crop: 'iw*0.7:ih:0:0',
    pad: `${SQUATS_W}:${SQUATS_H}:${SQUATS_W * 0.3}:0`,
  });
  lavfiImage(`color=c=black:s=${SQUATS_W}x${SQUATS_H}`, join(work, 'black.png'));
  lavfiImage(`mandelbrot=s=${SQUATS_W}x${SQUATS_H}:start_scale=1.5`, join(work, 'landscape.png'));
  const official = officialFullTask();
  h = await openPoseHarness({ '/work/': work, '/official/': join(official, '..') });
});

test.afterAll(async () => {
  await h?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('all three bundles load and find the person in pose.jpg', async () => {
  for (const variant of POSE_MODEL_VARIANTS) {
    const r = await run({ variant, urls: ['/fixtures/pose-reference/pose.jpg'], timestampsMs: [0] });
    expect(r.delegate).toBe('CPU');
    const f = r.frames[0];
    expect(f, variant).not.toBeNull();
    expect(f!.landmarks).toHaveLength(33);
    expect(f!.worldLandmarks).toHaveLength(33);
    // plausible anatomy: nose above hips above ankles; hips ~ world origin
    const y = (i: number) => f!.landmarks[i]!.y;
    expect(y(0)).toBeLessThan(y(23));
    expect(y(23)).toBeLessThan(y(27));
    expect(Math.abs(f!.worldLandmarks[23]!.x + f!.worldLandmarks[24]!.x)).toBeLessThan(0.1);
    console.log(
      `[pose-bundle.spec] ${variant}: create ${r.createMs.toFixed(0)} ms, first detect ${r.detectMs[0]!.toFixed(0)} ms`,
    );
  }
});

test('our full bundle gives the same landmarks as the official pose_landmarker_full.task', async () => {
  const picks = [0, 8, 16, 24, 32, 40, 48, 56].filter((i) => i < squatFrames.length);
  const sequences: RunSpec[] = [
    { variant: 'full', urls: ['/fixtures/pose-reference/pose.jpg'], timestampsMs: [0] },
    {
      variant: 'full',
      urls: picks.map((i) => `/work/squats/${squatFrames[i]}`),
      timestampsMs: picks.map((i) => (i * 1000) / SQUATS_FPS),
    },
  ];
  let worst = 0;
  for (const seq of sequences) {
    const ours = await run(seq);
    const official = await run({ ...seq, modelAssetPath: '/official/pose_landmarker_full.task' });
    expect(ours.frames.length).toBe(seq.urls.length);
    ours.frames.forEach((f, i) => {
      const g = official.frames[i];
      expect(f === null, `frame ${i} person found by one bundle only`).toBe(g === null);
      if (!f || !g) return;
      worst = Math.max(worst, maxAbsDiff(f.landmarks, g.landmarks), maxAbsDiff(f.worldLandmarks, g.worldLandmarks));
    });
    expect(ours.frames.every((f) => f !== null)).toBe(true);
  }
  console.log(`[pose-bundle.spec] ours vs official: max abs diff ${worst.toExponential(2)}`);
  expect(worst).toBeLessThan(1e-3);
});

test('full bundle matches the tfjs-models reference landmarks on tfjs_pose_squats.mp4', async () => {
  const ref = JSON.parse(
    readFileSync(join(FIXTURES, 'pose-reference', 'pose_squats.full.json'), 'utf8'),
  ) as number[][][];
  expect(squatFrames.length).toBe(ref.length);
  const r = await run({
    variant: 'full',
    urls: squatFrames.map((f) => `/work/squats/${f}`),
    timestampsMs: squatFrames.map((_, i) => (i * 1000) / SQUATS_FPS),
  });
  expect(r.imageSizes[0]).toEqual([SQUATS_W, SQUATS_H]);
  let sum = 0,
    n = 0,
    worstFrame = 0;
  r.frames.forEach((f: PoseFrame | null, i) => {
    expect(f, `frame ${i}`).not.toBeNull();
    let fs = 0,
      fn = 0;
    f!.landmarks.forEach((p, j) => {
      if (p.visibility < 0.5) return;
      const [rx, ry] = ref[i]![j]!;
      const e = Math.hypot(p.x - rx! / SQUATS_W, p.y - ry! / SQUATS_H);
      fs += e;
      fn++;
    });
    sum += fs;
    n += fn;
    if (fn) worstFrame = Math.max(worstFrame, fs / fn);
  });
  const mean = sum / n;
  const med = [...r.detectMs.slice(1)].sort((a, b) => a - b)[Math.floor((r.detectMs.length - 1) / 2)]!;
  console.log(
    `[pose-bundle.spec] reference: mean normalized error ${mean.toFixed(4)} over ${n} visible joints, worst frame ${worstFrame.toFixed(4)}; detect median ${med.toFixed(1)} ms`,
  );
  expect(n).toBeGreaterThan(ref.length * 15);
  expect(mean).toBeLessThan(0.02);
});

test('frames with no person give null, also right after a tracked person', async () => {
  const fresh = await run({
    variant: 'full',
    urls: ['/work/landscape.png', '/work/black.png'],
    timestampsMs: [0, 200],
  });
  expect(fresh.frames).toEqual([null, null]);
  const afterPerson = await run({
    variant: 'full',
    urls: [
      `/work/squats/${squatFrames[0]}`,
      `/work/squats/${squatFrames[1]}`,
      '/work/black.png',
      '/work/landscape.png',
      null,
      `/work/squats/${squatFrames[2]}`,
    ],
    // repeated and decreasing timestamps are tolerated (bumped internally); null = reset() for a new clip
    timestampsMs: [0, 0, 100, 50, 0, 0],
  });
  expect(afterPerson.frames.map((f) => f !== null)).toEqual([true, true, false, false, true]);
  const ts = afterPerson.frames.filter((f): f is PoseFrame => f !== null).map((f) => f.timestampMs);
  expect(ts[1]).toBeGreaterThan(ts[0]!);
  expect(ts[2]).toBeGreaterThan(ts[1]!); // MediaPipe's timestamps keep increasing across clips
});

test('a new clip finds its person wherever they stood in the clip before (reset clears MediaPipe tracking)', async () => {
  const moved = movedFrames.map((f) => `/work/moved/${f}`);
  const fresh = await run({ variant: 'full', urls: moved, timestampsMs: [0, 200, 400] });
  expect(fresh.frames.every((f) => f !== null)).toBe(true);
  // Without the reset, MediaPipe looks for the person in the previous clip's spot first: that frame came back empty.
  const afterOther = await run({
    variant: 'full',
    urls: [...squatFrames.slice(0, 3).map((f) => `/work/squats/${f}`), null, ...moved],
    timestampsMs: [0, 200, 400, 0, 0, 200, 400],
  });
  const second = afterOther.frames.slice(3);
  expect(second.every((f) => f !== null)).toBe(true);
  // and nothing of the previous clip leaks into this one (tracking and smoothing start over)
  second.forEach((f, i) => expect(maxAbsDiff(f!.landmarks, fresh.frames[i]!.landmarks)).toBe(0));
  const noseX = (f: PoseFrame | null) => f!.landmarks[0]!.x;
  expect(Math.abs(noseX(afterOther.frames[0]!) - noseX(second[0]!))).toBeGreaterThan(0.1); // the person did move
});

test('drawPose paints a skeleton, mirrored or not', async () => {
  const r = await run({ variant: 'lite', urls: ['/fixtures/pose-reference/pose.jpg'], timestampsMs: [0] });
  const lms = r.frames[0]!.landmarks;
  const painted = await h.page.evaluate((l) => {
    const ph = (window as unknown as { poseHarness: { drawSmoke(l: Landmark[], m: boolean): number } }).poseHarness;
    return [
      ph.drawSmoke(l, false),
      ph.drawSmoke(l, true),
      ph.drawSmoke(
        l.map((p) => ({ ...p, visibility: 0 })),
        false,
      ),
    ];
  }, lms);
  expect(painted[0]).toBeGreaterThan(500);
  expect(painted[1]).toBeGreaterThan(500);
  expect(painted[2]).toBe(0);
});

test('forcing the GPU delegate either runs on WebGL or falls back to CPU with a reason', async () => {
  const r = await run({
    variant: 'lite',
    delegate: 'GPU',
    urls: ['/fixtures/pose-reference/pose.jpg'],
    timestampsMs: [0],
  });
  console.log(`[pose-bundle.spec] GPU request → ${r.delegate}: ${r.delegateReason}`);
  expect(['GPU', 'CPU']).toContain(r.delegate);
  expect(r.delegateReason.length).toBeGreaterThan(0);
  expect(r.frames[0]).not.toBeNull();
  const auto = await run({ variant: 'lite', delegate: 'auto', urls: [], timestampsMs: [] });
  console.log(`[pose-bundle.spec] auto → ${auto.delegate}: ${auto.delegateReason}`);
});

test('no request left 127.0.0.1', () => {
  expect(h.offsite).toEqual([]);
});
