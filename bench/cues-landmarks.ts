/**
 * Landmarks of the fixture clips judged by eye for cues (e2e/cues-by-eye.md), made once with the real
 * landmarker (MediaPipe full, CPU, 5 fps, long side 480 px, as e2e/reps.spec.ts) and cached as JSON, so
 * bench/cues.ts can measure the precision of the cues shown without re-running MediaPipe every time.
 *
 *   npx tsx bench/cues-landmarks.ts            # writes node_modules/.cache/form-studio/cue-clips/<clip>.json
 *   CUES_FIXTURES=/path/to/fixtures npx tsx bench/cues-landmarks.ts
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CACHE_DIR, FIXTURES, ROOT, decodeSegment, openPoseHarness, runPose } from '../e2e/support/pose-harness';
import type { RunSpec } from '../e2e/support/pose-page';
import type { ExerciseType } from '../src-shared/domain/exercises';
import type { FrameLandmarks } from '../src-shared/keypoints/format';

export interface CueClip {
  file: string;
  exercise: ExerciseType;
  start: number;
  duration: number;
  fps: number;
}

export interface ClipLandmarks {
  clip: CueClip;
  timestampsSec: number[];
  frames: FrameLandmarks[];
  aspect: number;
}

/** The clips of e2e/cues-by-eye.md (same segments as e2e/reps-counts.md). */
export const CUE_CLIPS: CueClip[] = [
  { file: 'rjsong_squat.mp4', exercise: 'squat', start: 0, duration: 28, fps: 5 },
  { file: 'rjsong_squat2.mp4', exercise: 'squat', start: 0, duration: 41.5, fps: 5 },
  { file: 'rjsong_pushups-front2.mp4', exercise: 'pushup', start: 0, duration: 28.5, fps: 5 },
  { file: 'tfjs_pose_squats.mp4', exercise: 'squat', start: 0, duration: 13, fps: 5 },
  { file: 'rjsong_plank2.mp4', exercise: 'plank', start: 0, duration: 35, fps: 5 },
];

/**
 * Held-out clips (e2e/cues-by-eye.md "Held-out clips"): judged by eye before any cue code ran on them and never
 * used for tuning. Six are AI-generated and one a 3D avatar: how often cues speak up on unseen footage.
 */
export const HELD_OUT_CUE_CLIPS: CueClip[] = [
  { file: 'gymnai_squat.mp4', exercise: 'squat', start: 0, duration: 8, fps: 5 },
  { file: 'gymnai_push_up.mp4', exercise: 'pushup', start: 0, duration: 8, fps: 5 },
  { file: 'gymnai_plank.mp4', exercise: 'plank', start: 0, duration: 8, fps: 5 },
  { file: 'gymnai_bicep_curl.mp4', exercise: 'dumbbell_curl', start: 0, duration: 8, fps: 5 },
  { file: 'gymnai_overhead_press.mp4', exercise: 'overhead_press', start: 0, duration: 8, fps: 5 },
  { file: 'gymnai_bulgarian_split_squat.mp4', exercise: 'lunge', start: 0, duration: 8, fps: 5 },
  { file: 'rjsong_push-up-animated.mp4', exercise: 'pushup', start: 0, duration: 5, fps: 5 },
];

/** The fixture folder: ../shared/fixtures from the checkout, or /work/shared/fixtures from a worktree. */
export function fixturesDir(): string {
  const candidates = [process.env.CUES_FIXTURES, FIXTURES, resolve(ROOT, '..', '..', 'shared', 'fixtures')];
  for (const c of candidates) if (c && existsSync(join(c, 'videos'))) return c;
  throw new Error(`fixture videos not found (tried ${candidates.filter(Boolean).join(', ')}); set CUES_FIXTURES`);
}

export const CLIP_CACHE = join(CACHE_DIR, 'cue-clips');

export function cachedClip(clip: CueClip): ClipLandmarks | null {
  const p = join(CLIP_CACHE, clip.file.replace(/\.mp4$/, '.json'));
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as ClipLandmarks) : null;
}

/** Runs MediaPipe on the clips whose landmarks are not cached yet (minutes on a busy 2-core machine). */
export async function ensureClipLandmarks(): Promise<void> {
  const all = [...CUE_CLIPS, ...HELD_OUT_CUE_CLIPS];
  if (all.every((c) => cachedClip(c))) return;
  const fixtures = fixturesDir();
  const work = mkdtempSync(join(tmpdir(), 'cue-clips-'));
  mkdirSync(CLIP_CACHE, { recursive: true });
  const h = await openPoseHarness({ '/clips/': work });
  try {
    for (const clip of all) {
      if (cachedClip(clip)) continue;
      const name = clip.file.replace(/\.mp4$/, '');
      const dir = join(work, name);
      const files = decodeSegment(join(fixtures, 'videos', clip.file), dir, clip, 480);
      const timestampsSec = files.map((_, i) => Math.round((clip.start + i / clip.fps) * 1000) / 1000);
      const spec: RunSpec = {
        variant: 'full',
        delegate: 'CPU',
        urls: files.map((f) => `/clips/${name}/${f}`),
        timestampsMs: timestampsSec.map((t) => t * 1000),
      };
      const r = await runPose(h.page, spec);
      const [w, hgt] = r.imageSizes[0] ?? [1, 1];
      const out: ClipLandmarks = {
        clip,
        timestampsSec,
        frames: r.frames.map((f) => f?.landmarks ?? null),
        aspect: w / hgt,
      };
      writeFileSync(join(CLIP_CACHE, name + '.json'), JSON.stringify(out));
      console.log(`${clip.file}: ${files.length} frames`);
    }
  } finally {
    await h.close();
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(ROOT, 'bench', 'cues-landmarks.ts'))
  await ensureClipLandmarks();
