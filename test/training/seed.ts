/**
 * Seed a Form Studio home with labeled videos and synthetic but anatomically plausible keypoints, straight
 * through ProjectStore.upsertVideo and KeypointStore.save (no media files needed).
 *
 * Keypoints come from a real squat (fixtures/pose-reference/pose_squats.full.json, 65 frames × 33 landmarks,
 * pixel coordinates of a 720×1280 clip): each clip takes 24 frames from a random start, squats to a depth
 * d ∈ [0.3, 1] (interpolating every frame towards the standing pose), is shifted/scaled a little and jittered.
 * The label follows the depth (score ≈ 35 + 60·d), so a model can learn it. Every 3rd clip is a "lunge":
 * the legs are split front/back. Some clips are unlabeled, one has no pose, some are in the test split.
 *
 *   tsx test/training/seed.ts <home> [count]
 */
import { readFileSync } from 'node:fs';
import { openDatabase } from '../../src-main/store/database';
import { ProjectStore } from '../../src-main/store/project-store';
import { KeypointStore } from '../../src-main/store/keypoint-store';
import { homePaths } from '../../src-main/paths';
import { LM } from '../../src-shared/keypoints/format';
import { Rng } from '../../src-shared/model/rng';
import { videoRecord } from '../support/video-record';
import { fixture } from '../support/fixtures';

const FIXTURE = fixture('pose-reference', 'pose_squats.full.json');
const W = 720;
const H = 1280;

export interface SeedResult {
  labeledTrain: number;
  unlabeled: number;
  noPose: number;
  test: number;
  videoIds: number[];
}

function loadReference(): number[][][] {
  return JSON.parse(readFileSync(FIXTURE, 'utf8')) as number[][][];
}

function clip(ref: number[][][], rng: Rng, depth: number, lunge: boolean, numFrames: number): number[][] {
  const start = rng.int(Math.max(1, ref.length - numFrames));
  const stand = ref[0];
  const dx = rng.uniform(-0.08, 0.08);
  const dy = rng.uniform(-0.04, 0.04);
  const s = rng.uniform(0.85, 1.15);
  const legsFront = new Set([LM.left_knee, LM.left_ankle, LM.left_heel, LM.left_foot_index]);
  const legsBack = new Set([LM.right_knee, LM.right_ankle, LM.right_heel, LM.right_foot_index]);
  const frames: number[][] = [];
  for (let t = 0; t < numFrames; t++) {
    const f =
      ref[Math.min(ref.length - 1, start + Math.round((t * (ref.length - start - 1)) / Math.max(1, numFrames - 1)))];
    const out: number[] = [];
    for (let i = 0; i < 33; i++) {
      let x = stand[i][0] + (f[i][0] - stand[i][0]) * depth;
      let y = stand[i][1] + (f[i][1] - stand[i][1]) * depth;
      const z = stand[i][2] + (f[i][2] - stand[i][2]) * depth;
      if (lunge && legsFront.has(i)) x += 60 * (i === LM.left_knee ? 0.6 : 1);
      if (lunge && legsBack.has(i)) x -= 60 * (i === LM.right_knee ? 0.6 : 1);
      x = (x / W - 0.5) * s + 0.5 + dx + rng.normal() * 0.003;
      y = (y / H - 0.5) * s + 0.5 + dy + rng.normal() * 0.003;
      const vis = Math.min(1, Math.max(0.2, 0.95 - (i > 24 ? 0.1 : 0) + rng.normal() * 0.03));
      out.push(round(x), round(y), round(z / W), round(vis));
    }
    frames.push(out);
  }
  return frames;
}

const round = (v: number) => Math.round(v * 1e5) / 1e5;

/** Seed `count` train videos (+ count/4 test) with labels and keypoints for `numFrames` frames ('full' pose model). */
export function seedTrainingHome(
  home: string,
  count = 24,
  opts: { numFrames?: number; seed?: number; singleExercise?: boolean } = {},
): SeedResult {
  const numFrames = opts.numFrames ?? 24;
  const paths = homePaths(home);
  const db = openDatabase(paths.db);
  const store = ProjectStore.openDefault(db, paths.media);
  const kps = new KeypointStore(db);
  const ref = loadReference();
  const rng = new Rng(opts.seed ?? 7);
  const res: SeedResult = { labeledTrain: 0, unlabeled: 0, noPose: 0, test: 0, videoIds: [] };
  const edits: Array<{ videoId: number; exerciseType: 'squat' | 'lunge'; score: number }> = [];
  const total = count + Math.ceil(count / 4) + 2;
  for (let i = 0; i < total; i++) {
    const lunge = !opts.singleExercise && i % 3 === 2;
    const type = lunge ? 'lunge' : 'squat';
    const isTest = i >= count && i < total - 2;
    const unlabeled = i === total - 2;
    const noPose = i === total - 1;
    const athlete = Math.floor(i / 2);
    const hash = `sha256:${(0xabc000 + i).toString(16).padStart(64, '0')}`;
    const relPath = `${isTest ? 'exercises_test' : 'exercises_train'}/${type}/athlete${String(athlete).padStart(2, '0')}_${type}_${String(i).padStart(3, '0')}.mp4`;
    const id = store.upsertVideo(
      videoRecord(relPath, {
        split: isTest ? 'test' : 'train',
        contentHash: hash,
        sizeBytes: 100_000 + i,
        durationSec: 4,
        frameCount: 120,
        width: W,
        height: H,
        source: 'seed',
      }),
    );
    res.videoIds.push(id);
    const depth = rng.uniform(0.3, 1);
    const timestamps = Array.from({ length: numFrames }, (_, t) => round(((t + 0.5) * 4) / numFrames));
    if (noPose) {
      kps.save(
        { contentHash: hash, numFrames, variant: 'full' },
        { numFrames, variant: 'full', timestamps, frames: new Array(numFrames).fill(null), world: null },
      );
      res.noPose++;
    } else {
      const frames: Array<number[] | null> = clip(ref, rng, depth, lunge, numFrames);
      if (i % 5 === 1) frames[rng.int(numFrames)] = null; // a frame where the person was missed
      kps.save(
        { contentHash: hash, numFrames, variant: 'full' },
        { numFrames, variant: 'full', timestamps, frames, world: null },
      );
    }
    if (unlabeled) {
      res.unlabeled++;
      continue;
    }
    const score = Math.round(Math.min(100, Math.max(0, 35 + 60 * depth + rng.normal() * 2)) * 10) / 10;
    edits.push({ videoId: id, exerciseType: type, score });
    if (isTest) res.test++;
    else if (!noPose) res.labeledTrain++;
  }
  store.applyLabelEdits(edits, 'seed');
  db.close();
  return res;
}

if (process.argv[1] && /training[\\/]seed\.ts$/.test(process.argv[1])) {
  const [home, count] = process.argv.slice(2);
  if (!home) {
    console.error('usage: tsx test/training/seed.ts <home> [count]');
    process.exit(2);
  }
  console.log(JSON.stringify(seedTrainingHome(home, count ? Number(count) : 24)));
}
