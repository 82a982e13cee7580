/**
 * Rep counting on real fixture clips with the real landmarker (MediaPipe tasks-vision, VIDEO mode,
 * CPU, full model) in Debian Chromium. Self-contained: frames are decoded with ffmpeg (5 fps, long side 480 px)
 * into a temp dir, served with the pose harness's 127.0.0.1 server, run through PoseLandmarkerRunner,
 * and the landmarks are counted in Node with src-shared/reps. Ground truth (counted by eye once from
 * contact sheets) and how it was counted: e2e/reps-counts.md.
 *
 *   npx playwright test e2e/reps.spec.ts
 *   REPS_DUMP_DIR=/tmp/reps-kp npx playwright test e2e/reps.spec.ts   # also writes the landmarks per clip
 *   REPS_POSE_VARIANT=lite npx playwright test e2e/reps.spec.ts        # the lite model instead of full
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { RunResult, RunSpec } from './support/pose-page.js';
import { decodeSegment, FIXTURES, openPoseHarness, runPose, type PoseHarness } from './support/pose-harness.js';
import type { ExerciseType } from '../src-shared/domain/exercises.js';
import type { FrameLandmarks, PoseModelVariant } from '../src-shared/keypoints/format.js';
import { RepCounter, countReps, countRepsAuto, scoreReps } from '../src-shared/reps/index.js';

test.setTimeout(300_000);

interface Clip {
  file: string;
  exercise: ExerciseType;
  /** Segment of the clip that was counted by eye (seconds). */
  start: number;
  duration: number;
  fps: number;
  /** Reps counted by eye in the segment (e2e/reps-counts.md). */
  expected: number;
  /** Allowed |counted − expected|: 0 = exact. */
  tolerance: number;
  /** For timed exercises: plausible hold range (s). */
  hold?: [number, number];
  /** AI-generated clip: smoke test only, never an accuracy claim. */
  ai?: boolean;
}

const CLIPS: Clip[] = [
  { file: 'rjsong_squat.mp4', exercise: 'squat', start: 0, duration: 28, fps: 5, expected: 12, tolerance: 0 },
  { file: 'rjsong_squat2.mp4', exercise: 'squat', start: 0, duration: 41.5, fps: 5, expected: 19, tolerance: 0 },
  {
    file: 'rjsong_pushups-front2.mp4',
    exercise: 'pushup',
    start: 0,
    duration: 28.5,
    fps: 5,
    expected: 15,
    tolerance: 0,
  },
  { file: 'tfjs_pose_squats.mp4', exercise: 'squat', start: 0, duration: 13, fps: 5, expected: 2, tolerance: 0 },
  {
    file: 'rjsong_plank2.mp4',
    exercise: 'plank',
    start: 0,
    duration: 35,
    fps: 5,
    expected: 0,
    tolerance: 0,
    hold: [24, 31],
  },
  { file: 'gymnai_squat.mp4', exercise: 'squat', start: 0, duration: 8, fps: 5, expected: 1, tolerance: 1, ai: true },
  {
    file: 'gymnai_push_up.mp4',
    exercise: 'pushup',
    start: 0,
    duration: 8,
    fps: 5,
    expected: 1,
    tolerance: 1,
    ai: true,
  },
  {
    file: 'gymnai_bicep_curl.mp4',
    exercise: 'dumbbell_curl',
    start: 0,
    duration: 8,
    fps: 5,
    expected: 1,
    tolerance: 1,
    ai: true,
  },
  {
    file: 'gymnai_overhead_press.mp4',
    exercise: 'overhead_press',
    start: 0,
    duration: 8,
    fps: 5,
    expected: 1,
    tolerance: 1,
    ai: true,
  },
];

const MAX_SIDE = 480;
/** Pose model variant (full by default; REPS_POSE_VARIANT=lite is ~2× faster). */
const VARIANT = (process.env.REPS_POSE_VARIANT ?? 'full') as PoseModelVariant;

let h: PoseHarness;
let work: string;
const summary: string[] = [];

function decode(clip: Clip, outDir: string): string[] {
  return decodeSegment(join(FIXTURES, 'videos', clip.file), outDir, clip, MAX_SIDE);
}

const run = (spec: RunSpec): Promise<RunResult> => runPose(h.page, spec);

test.beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'reps-e2e-'));
  h = await openPoseHarness({ '/reps/': work });
});

test.afterAll(async () => {
  await h?.close();
  if (work) rmSync(work, { recursive: true, force: true });
  if (summary.length) console.log('[reps.spec] summary\n' + summary.join('\n'));
});

for (const clip of CLIPS) {
  test(`${clip.file} (${clip.exercise}${clip.ai ? ', AI clip' : ''}): ${clip.hold ? 'held, 0 reps' : `${clip.expected} reps`}`, async () => {
    const name = clip.file.replace(/\.mp4$/, '');
    const t0 = Date.now();
    const files = decode(clip, join(work, name));
    expect(files.length).toBeGreaterThan(clip.duration * clip.fps * 0.9);
    const timestampsSec = files.map((_, i) => Math.round((clip.start + i / clip.fps) * 1000) / 1000);
    const r = await run({
      variant: VARIANT,
      delegate: 'CPU',
      urls: files.map((f) => `/reps/${name}/${f}`),
      timestampsMs: timestampsSec.map((t) => t * 1000),
    });
    const frames: FrameLandmarks[] = r.frames.map((f) => f?.landmarks ?? null);
    const poseMs = Date.now() - t0;
    if (process.env.REPS_DUMP_DIR) {
      mkdirSync(process.env.REPS_DUMP_DIR, { recursive: true });
      writeFileSync(join(process.env.REPS_DUMP_DIR, name + '.json'), JSON.stringify({ clip, timestampsSec, frames }));
    }
    const [w, hgt] = r.imageSizes[0] ?? [1, 1];
    const res = countReps(frames, timestampsSec, clip.exercise, { aspect: w / hgt });
    const scores = scoreReps(res.reps);
    // the live view's streaming counter on the same frames, one at a time
    const live = new RepCounter(clip.exercise, { aspect: w / hgt });
    frames.forEach((f, i) => live.push(f, timestampsSec[i]!));
    // exercise = auto: the counter is not told the exercise (e2e/reps-heldout.md)
    const auto = countRepsAuto(frames, timestampsSec, { aspect: w / hgt });
    const found = frames.filter((f) => f !== null).length;
    const line =
      `${clip.file.padEnd(28)} ${clip.exercise.padEnd(15)} expected ${String(clip.expected).padStart(2)} counted ${String(res.reps.length).padStart(2)}` +
      ` live ${String(live.count).padStart(2)} auto ${auto.holdSec !== undefined ? `hold ${auto.holdSec.toFixed(1)} s` : auto.reps.length}` +
      (res.holdSec !== undefined ? ` hold ${res.holdSec.toFixed(1)} s (live ${live.holdSec.toFixed(1)} s)` : '') +
      `  person ${found}/${frames.length}  pose ${(poseMs / 1000).toFixed(1)} s  cues [${scores.map((s) => s.cues.map((c) => c.id).join('+') || '-').join(' ')}]`;
    summary.push(line);
    console.log('[reps.spec] ' + line);
    expect(found).toBeGreaterThan(frames.length * 0.8);
    expect(Math.abs(res.reps.length - clip.expected), line).toBeLessThanOrEqual(clip.tolerance);
    expect(Math.abs(live.count - clip.expected), 'live counter: ' + line).toBeLessThanOrEqual(
      Math.max(1, clip.tolerance),
    );
    if (clip.hold) expect(auto.holdSec ?? 0, 'auto: ' + line).toBeGreaterThanOrEqual(clip.hold[0]);
    else expect(Math.abs(auto.reps.length - clip.expected), 'auto: ' + line).toBeLessThanOrEqual(clip.tolerance);
    if (clip.hold) {
      expect(res.reps).toHaveLength(0);
      expect(res.holdSec).toBeGreaterThanOrEqual(clip.hold[0]);
      expect(res.holdSec).toBeLessThanOrEqual(clip.hold[1]);
    }
    for (const rep of res.reps) {
      expect(rep.startSec).toBeLessThan(rep.bottomSec);
      expect(rep.bottomSec).toBeLessThan(rep.endSec);
    }
  });
}

test('no request left 127.0.0.1', () => {
  expect(h.offsite).toEqual([]);
});
