import { describe, expect, it } from 'vitest';
import { normalizeFrames, normalizeVideoKeypoints, clipScale, isZeroFrame } from '../../src-shared/keypoints/normalize';
import { augmentFrames, mirrorFrames, transformFrames, timeWarpFrames } from '../../src-shared/keypoints/augment';
import {
  FEATURES_PER_FRAME,
  LM,
  NUM_LANDMARKS,
  type FrameLandmarks,
  type Landmark,
} from '../../src-shared/keypoints/format';
import { Rng } from '../../src-shared/model/rng';
import { evaluatePredictions, spearman, mae, rmse, confusionMatrix } from '../../src-shared/model/metrics';

function person(dx = 0, scale = 1, t = 0): Landmark[] {
  const lms: Landmark[] = Array.from({ length: NUM_LANDMARKS }, (_, i) => ({
    x: 0.5 + dx + 0.01 * i * scale,
    y: 0.5 + 0.005 * i * scale + 0.01 * t,
    z: 0.001 * i,
    visibility: 0.9,
  }));
  lms[LM.left_hip] = { x: 0.45 + dx, y: 0.6, z: 0, visibility: 0.9 };
  lms[LM.right_hip] = { x: 0.55 + dx, y: 0.6, z: 0, visibility: 0.9 };
  lms[LM.left_shoulder] = { x: 0.45 + dx, y: 0.6 - 0.2 * scale, z: 0, visibility: 0.9 };
  lms[LM.right_shoulder] = { x: 0.55 + dx, y: 0.6 - 0.2 * scale, z: 0, visibility: 0.9 };
  return lms;
}

describe('normalize', () => {
  it('centres on the hips, scales by the torso, keeps visibility, zero-fills missing frames', () => {
    const frames: FrameLandmarks[] = [person(0), null, person(0.2)];
    const x = normalizeFrames(frames);
    expect(x.length).toBe(3 * FEATURES_PER_FRAME);
    expect(clipScale(frames)).toBeCloseTo(0.2, 6);
    const hipMidX = (x[LM.left_hip * 4] + x[LM.right_hip * 4]) / 2;
    expect(hipMidX).toBeCloseTo(0, 6);
    expect(x[LM.left_shoulder * 4 + 1]).toBeCloseTo(-1, 5); // shoulder one torso above the hips
    expect(x[3]).toBeCloseTo(0.9, 6);
    expect(isZeroFrame(x, 1)).toBe(true);
    // translation invariance: frame 0 and frame 2 are the same pose shifted
    for (let k = 0; k < FEATURES_PER_FRAME; k++) expect(x[k]).toBeCloseTo(x[2 * FEATURES_PER_FRAME + k], 5);
    // scale invariance
    const y = normalizeFrames([person(0, 2)]);
    expect(y[LM.left_shoulder * 4 + 1]).toBeCloseTo(-1, 5);
    // non-finite frame → missing
    const bad = person(0);
    bad[3] = { ...bad[3], x: NaN };
    expect(isZeroFrame(normalizeFrames([bad]), 0)).toBe(true);
    expect(clipScale([null, null])).toBe(1);
  });

  it('resamples to N frames', () => {
    const frames = Array.from({ length: 10 }, (_, t) => person(0, 1, t));
    const kp = { numFrames: 10, timestamps: [], frames, model: 'full' as const };
    const x = normalizeVideoKeypoints(kp, { numFrames: 5 });
    expect(x.length).toBe(5 * FEATURES_PER_FRAME);
    const same = normalizeVideoKeypoints(kp);
    expect(same.length).toBe(10 * FEATURES_PER_FRAME);
    expect(isZeroFrame(normalizeFrames([null, null, person()], { numFrames: 6 }), 0)).toBe(true);
  });
});

describe('augment', () => {
  const x = normalizeFrames([person(0), null, person(0.1, 1.1, 2)]);
  it('mirror swaps pairs and flips x; twice is identity', () => {
    const m = mirrorFrames(x);
    expect(m[LM.left_hip * 4]).toBeCloseTo(-x[LM.right_hip * 4], 6);
    expect(m[LM.left_shoulder * 4 + 3]).toBe(x[LM.right_shoulder * 4 + 3]);
    expect(isZeroFrame(m, 1)).toBe(true);
    expect(Array.from(mirrorFrames(m))).toEqual(Array.from(x));
  });
  it('transform and time warp keep missing frames and visibility', () => {
    const t = transformFrames(x, 0.1, 1.05, 0.02, -0.01);
    expect(isZeroFrame(t, 1)).toBe(true);
    expect(t[3]).toBe(x[3]);
    expect(Array.from(timeWarpFrames(x, 1, 0))).toEqual(Array.from(x));
  });
  it('is deterministic for a seed', () => {
    const a = augmentFrames(x, 3, new Rng(7));
    const b = augmentFrames(x, 3, new Rng(7));
    const c = augmentFrames(x, 3, new Rng(8));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });
});

describe('metrics', () => {
  it('MAE, RMSE, Spearman, per-exercise, confusion', () => {
    expect(mae([1, 2], [2, 4])).toBe(1.5);
    expect(rmse([0, 0], [3, 4])).toBeCloseTo(Math.sqrt(12.5));
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 100])).toBeCloseTo(1);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1);
    expect(spearman([1, 2, 2, 3], [1, 2, 2, 3])).toBeCloseTo(1);
    expect(confusionMatrix([0, 1, 1], [0, 1, 0], 2)).toEqual([
      [1, 0],
      [1, 1],
    ]);
    const r = evaluatePredictions(
      [10, 20, 30],
      [12, 20, 36],
      [0, 1, 1],
      [
        [0.9, 0.1],
        [0.2, 0.8],
        [0.6, 0.4],
      ],
      2,
    );
    expect(r.perExercise![1].mae).toBe(3);
    expect(r.exerciseAccuracy).toBeCloseTo(2 / 3);
  });
});
