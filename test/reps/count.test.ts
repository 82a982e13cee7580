import { describe, expect, it } from 'vitest';
import { LM, type FrameLandmarks } from '../../src-shared/keypoints/format';
import {
  RepCounter,
  countReps,
  fillGaps,
  isPlankPosture,
  jointAngle,
  medianFilter,
  pairedAngle,
  percentile,
  plankHold,
  repFrameRange,
  scoreReps,
  setScore,
  signalValue,
  type RepEvent,
} from '../../src-shared/reps';
import { lyingSkeleton, plankSkeleton, skeletonWithAngle, synthClip } from './synth';

function stream(
  frames: FrameLandmarks[],
  t: number[],
  ex: Parameters<typeof countReps>[2],
): { counter: RepCounter; events: RepEvent[] } {
  const counter = new RepCounter(ex);
  const events: RepEvent[] = [];
  frames.forEach((f, i) => events.push(...counter.push(f, t[i]!)));
  return { counter, events };
}

describe('geometry', () => {
  it('joint angles of the synthetic skeletons are the requested ones', () => {
    for (const kind of ['knee', 'elbow', 'hip'] as const) {
      for (const deg of [40, 90, 135, 175]) expect(signalValue(skeletonWithAngle(kind, deg), kind)).toBeCloseTo(deg, 6);
    }
    expect(
      jointAngle(
        { x: 0, y: 0, z: 0, visibility: 1 },
        { x: 0, y: 1, z: 0, visibility: 1 },
        { x: 1, y: 1, z: 0, visibility: 1 },
      ),
    ).toBeCloseTo(90);
  });

  it('aspect ratio scales x before measuring', () => {
    const a = { x: 0.5, y: 0, z: 0, visibility: 1 },
      b = { x: 0.5, y: 0.5, z: 0, visibility: 1 },
      c = { x: 1, y: 0.5 + (0.5 * 16) / 9, z: 0, visibility: 1 };
    // in a 16:9 image, (0.5 wide, 0.5·16/9 tall) is 45° off the vertical on screen
    expect(jointAngle(a, b, c, 16 / 9)).toBeCloseTo(135, 6);
  });

  it('weights the better-seen side and ignores a side below minVisibility', () => {
    const f = skeletonWithAngle('knee', 90);
    // wreck the left leg but mark it barely visible
    f[LM.left_ankle] = { x: 0.9, y: 0.1, z: 0, visibility: 0.1 };
    expect(pairedAngle(f, 'knee')).toBeCloseTo(90, 6);
    // both visible, right leg at another angle: result between, nearer the more visible side
    const g = skeletonWithAngle('knee', 90);
    const h = skeletonWithAngle('knee', 150, 0.5);
    for (const i of [LM.right_hip, LM.right_knee, LM.right_ankle]) g[i] = h[i]!;
    const v = pairedAngle(g, 'knee');
    expect(v).toBeGreaterThan(90);
    expect(v).toBeLessThan(120);
    // nothing visible → NaN; no person → NaN
    expect(pairedAngle(skeletonWithAngle('knee', 90, 0.1), 'knee')).toBeNaN();
    expect(signalValue(null, 'knee')).toBeNaN();
  });
});

describe('filters', () => {
  it('fills short gaps only, median removes a spike, percentiles ignore NaN', () => {
    const t = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2];
    const v = [0, NaN, 2, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, 11, 12];
    const f = fillGaps(v, t, 0.3);
    expect(f[1]).toBeCloseTo(1);
    expect(f.slice(3, 11).every((x) => Number.isNaN(x))).toBe(true);
    expect(medianFilter([1, 1, 50, 1, 1], 3)).toEqual([1, 1, 1, 1, 1]);
    expect(percentile([NaN, 1, 2, 3, NaN], 50)).toBe(2);
  });
});

describe('countReps (offline)', () => {
  it('counts squats exactly through noise', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const c = synthClip({
        kind: 'knee',
        rest: 170,
        extremes: [90, 85, 95, 80, 100, 90, 88],
        repSec: 2,
        posNoise: 0.004,
        angleNoise: 2,
        seed,
      });
      const res = countReps(c.frames, c.t, 'squat');
      expect(res.reps.length, `seed ${seed}`).toBe(7);
      expect(res.signal).toHaveLength(c.frames.length);
      // the bottom is found within 0.25 s of the true one and depth within 8°
      res.reps.forEach((r, i) => {
        const trueBottom = 1 + i * 2.5 + 1;
        expect(Math.abs(r.bottomSec - trueBottom)).toBeLessThan(0.25);
        expect(r.startSec).toBeLessThan(r.bottomSec);
        expect(r.endSec).toBeGreaterThan(r.bottomSec);
      });
      expect(Math.abs(res.reps[3]!.depthDeg - 80)).toBeLessThan(8);
    }
  });

  it('counts exactly with dropouts (null frames) and a few wild frames', () => {
    const c = synthClip({
      kind: 'knee',
      rest: 175,
      extremes: [95, 95, 95, 95, 95, 95],
      repSec: 1.8,
      fps: 30,
      angleNoise: 2,
      dropoutRate: 0.04,
      dropoutFrames: 4,
      seed: 7,
    });
    expect(c.frames.filter((f) => f === null).length).toBeGreaterThan(20);
    // wild single-frame glitches (a mis-tracked leg)
    for (const i of [40, 95, 170, 260]) c.frames[i] = skeletonWithAngle('knee', 60);
    expect(countReps(c.frames, c.t, 'squat').reps).toHaveLength(6);
    expect(stream(c.frames, c.t, 'squat').counter.count).toBe(6);
  });

  it('a clip that does not move (or barely moves) has no reps', () => {
    const still = synthClip({
      kind: 'knee',
      rest: 172,
      extremes: [],
      repSec: 2,
      leadSec: 10,
      posNoise: 0.003,
      angleNoise: 3,
      seed: 3,
    });
    expect(countReps(still.frames, still.t, 'squat').reps).toHaveLength(0);
    expect(countReps(still.frames, still.t, 'squat').thresholds).toBeNull();
    const fidget = synthClip({
      kind: 'knee',
      rest: 172,
      extremes: [160, 158, 162, 160],
      repSec: 1.5,
      angleNoise: 2,
      seed: 4,
    });
    expect(countReps(fidget.frames, fidget.t, 'squat').reps).toHaveLength(0);
    expect(stream(still.frames, still.t, 'squat').counter.count).toBe(0);
    expect(stream(fidget.frames, fidget.t, 'squat').counter.count).toBe(0);
    const empty = countReps([null, null, null], [0, 0.1, 0.2], 'squat');
    expect(empty.reps).toHaveLength(0);
  });

  it('a too-quick dip (shorter than the minimum rep duration) is not a rep', () => {
    const c = synthClip({
      kind: 'knee',
      rest: 170,
      extremes: [90, 90, 90, 90],
      repSec: [2, 0.3, 2, 2],
      fps: 30,
      seed: 5,
    });
    expect(countReps(c.frames, c.t, 'squat').reps).toHaveLength(3);
  });

  it('a long gap (person out of frame for 2 s) drops the rep in progress but keeps the others', () => {
    const c = synthClip({ kind: 'knee', rest: 170, extremes: [90, 90, 90, 90, 90], repSec: 2, seed: 6 });
    // blank 2 s around the bottom of rep 3 (bottom at 1 + 2·2.5 + 1 = 7 s)
    c.t.forEach((tt, i) => {
      if (tt > 6 && tt < 8) c.frames[i] = null;
    });
    const res = countReps(c.frames, c.t, 'squat');
    expect(res.reps).toHaveLength(4);
    expect(res.signal.some((v) => Number.isNaN(v))).toBe(true);
  });

  it('5 fps (sparse sampling) still counts', () => {
    const c = synthClip({
      kind: 'elbow',
      rest: 165,
      extremes: [80, 75, 85, 80, 78],
      repSec: 2.5,
      fps: 5,
      angleNoise: 3,
      seed: 8,
    });
    expect(countReps(c.frames, c.t, 'pushup').reps).toHaveLength(5);
    expect(stream(c.frames, c.t, 'pushup').counter.count).toBe(5);
  });

  it('peak polarity: overhead press rests flexed and counts full extensions', () => {
    const c = synthClip({ kind: 'elbow', rest: 60, extremes: [170, 165, 172, 168], repSec: 2, angleNoise: 2, seed: 9 });
    const res = countReps(c.frames, c.t, 'overhead_press');
    expect(res.reps).toHaveLength(4);
    expect(res.reps[0]!.depthDeg).toBeGreaterThan(150); // the extreme is the lockout
    expect(res.reps[0]!.restDeg).toBeLessThan(80);
    // the same movement read as a curl (rest = extended) would be phase-shifted but the same count ± 1
    expect(Math.abs(countReps(c.frames, c.t, 'dumbbell_curl').reps.length - 4)).toBeLessThanOrEqual(1);
  });

  it('deadlift from the floor counts the first lift', () => {
    // starts flexed (at the bar), stands up, lowers, stands, lowers … : rest value 170 but the clip starts at 80
    const c = synthClip({
      kind: 'hip',
      rest: 170,
      extremes: [80, 80, 80],
      repSec: 3,
      leadSec: 0,
      pauseSec: 0.5,
      seed: 10,
    });
    const start = c.t.findIndex((tt) => tt >= 1.5); // cut the clip at the first bottom
    const res = countReps(c.frames.slice(start), c.t.slice(start), 'deadlift');
    expect(res.reps).toHaveLength(3);
    expect(countReps(c.frames.slice(start), c.t.slice(start), 'situp').reps).toHaveLength(2);
  });

  it("'other' picks the joint that moves", () => {
    const c = synthClip({ kind: 'elbow', rest: 165, extremes: [60, 60, 60], repSec: 1.5, angleNoise: 2, seed: 11 });
    const res = countReps(c.frames, c.t, 'other');
    expect(res.signalKind).toBe('elbow');
    expect(res.reps).toHaveLength(3);
  });

  it('rejects mismatched inputs', () => {
    expect(() => countReps([null], [], 'squat')).toThrow();
  });
});

describe('streaming RepCounter', () => {
  it('emits one rep event per completed rep, in order, shortly after the rep ends', () => {
    const c = synthClip({
      kind: 'knee',
      rest: 170,
      extremes: [90, 90, 90, 90, 90],
      repSec: 2,
      angleNoise: 2,
      posNoise: 0.003,
      seed: 12,
    });
    const counter = new RepCounter('squat');
    const reps: Array<{ count: number; at: number; end: number; score: number | null }> = [];
    const phases: string[] = [];
    c.frames.forEach((f, i) => {
      for (const ev of counter.push(f, c.t[i]!)) {
        if (ev.type === 'rep') reps.push({ count: ev.count, at: c.t[i]!, end: ev.rep.endSec, score: ev.score.score });
        if (ev.type === 'phase') phases.push(ev.phase);
      }
    });
    expect(reps.map((r) => r.count)).toEqual([1, 2, 3, 4, 5]);
    reps.forEach((r, i) => {
      const trueEnd = 1 + i * 2.5 + 2;
      expect(r.at).toBeLessThan(trueEnd + 0.2); // reported before the rep is even fully back at rest
      expect(r.score).toBeNull(); // no model here: reps carry cues, not a rule score
    });
    expect(phases.filter((p) => p === 'down')).toHaveLength(5);
    expect(Number.isFinite(counter.value)).toBe(true);
    // out-of-order / repeated timestamps are ignored; reset starts over
    expect(counter.push(c.frames[0]!, 0)).toEqual([]);
    counter.reset();
    expect(counter.count).toBe(0);
  });

  it('agrees with the offline counter on noisy clips with dropouts', () => {
    for (const seed of [21, 22, 23]) {
      const c = synthClip({
        kind: 'elbow',
        rest: 160,
        extremes: [70, 90, 75, 80, 72, 85, 78, 80],
        repSec: 1.6,
        pauseSec: 0.3,
        angleNoise: 3,
        posNoise: 0.004,
        dropoutRate: 0.03,
        dropoutFrames: 3,
        seed,
      });
      expect(countReps(c.frames, c.t, 'pushup').reps.length, `seed ${seed}`).toBe(8);
      expect(stream(c.frames, c.t, 'pushup').counter.count, `seed ${seed}`).toBe(8);
    }
  });
});

describe('plank (timed)', () => {
  it('posture test: plank yes, lying flat / standing no', () => {
    expect(isPlankPosture(plankSkeleton())).toBe(true);
    expect(isPlankPosture(lyingSkeleton())).toBe(false);
    expect(isPlankPosture(skeletonWithAngle('knee', 175))).toBe(false);
    expect(isPlankPosture(null)).toBe(false);
  });

  it('hold time = time in the posture, 0 reps; short dropouts bridged; streaming agrees', () => {
    const fps = 10;
    const frames: FrameLandmarks[] = [],
      t: number[] = [];
    for (let i = 0; i < 30 * fps; i++) {
      const s = i / fps;
      t.push(s);
      // 0–3 s standing, 3–23 s plank (with a 0.3 s dropout at 10 s), 23–30 s lying flat
      if (s >= 10 && s < 10.3) frames.push(null);
      else frames.push(s < 3 ? skeletonWithAngle('knee', 175) : s < 23 ? plankSkeleton() : lyingSkeleton());
    }
    const res = countReps(frames, t, 'plank');
    expect(res.reps).toHaveLength(0);
    expect(res.holdSec!).toBeGreaterThan(19.5);
    expect(res.holdSec!).toBeLessThan(20.5);
    expect(res.holds).toHaveLength(1);
    const { counter, events } = stream(frames, t, 'plank');
    expect(counter.count).toBe(0);
    expect(counter.holdSec).toBeGreaterThan(19);
    expect(counter.holdSec).toBeLessThan(20.5);
    expect(events.filter((e) => e.type === 'hold-start')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'hold-end')).toHaveLength(1);
    expect(
      plankHold(
        frames.map(() => skeletonWithAngle('knee', 175)),
        t,
      ).holdSec,
    ).toBe(0);
  });
});

describe('scoring', () => {
  it('a shallow rep and a rushed rep score lower than full, even reps', () => {
    const c = synthClip({
      kind: 'knee',
      rest: 170,
      extremes: [85, 85, 115, 85, 85],
      repSec: [2, 2, 2, 0.7, 2],
      angleNoise: 1,
      seed: 30,
    });
    const res = countReps(c.frames, c.t, 'squat', { minRepSec: 0.5 });
    expect(res.reps).toHaveLength(5);
    const s = scoreReps(res.reps);
    // Without a model a rep has no score: range of motion and tempo are cues, not a number.
    expect(s.every((x) => x.score === null)).toBe(true);
    expect(s[0]!.rom).toBe(1);
    expect(s[0]!.cues).toEqual([]);
    expect(s[2]!.rom).toBeLessThan(0.75);
    expect(s[2]!.cues.map((c) => c.id)).toContain('shallow');
    expect(s[3]!.cues.map((c) => c.id)).toContain('fast');
    expect(s[3]!.cues.every((c) => c.source === 'rule')).toBe(true);
    expect(res.reps[2]!.romFraction).toBeLessThan(0.7);
    // with a model, the rep's score is the model's score of its window, and the set score their mean
    const withModel = scoreReps(res.reps, { modelScore: (r) => (r.index === 0 ? 40 : r.index === 1 ? 80 : null) });
    expect(withModel[0]!.score).toBe(40);
    expect(withModel[1]!.score).toBe(80);
    expect(withModel[2]!.score).toBeNull();
    expect(withModel[2]!.cues.map((c) => c.id)).toContain('shallow');
    expect(setScore(withModel)).toBe(60);
    const [from, to] = repFrameRange(res.reps[0]!, c.t);
    expect(c.t[from]!).toBeGreaterThanOrEqual(res.reps[0]!.startSec);
    expect(c.t[to - 1]!).toBeLessThanOrEqual(res.reps[0]!.endSec);
    expect(to - from).toBeGreaterThan(30);
  });
});

describe('other exercise signals (synthetic)', () => {
  const fps = 30;
  /** `n` cycles of a raised-cosine from `rest` to `peak` (cycleSec each, 0.4 s pause), 1 s lead/tail. */
  function curve(n: number, rest: number, peak: number, cycleSec: number): { t: number[]; v: number[] } {
    const t: number[] = [],
      v: number[] = [];
    const total = 2 + n * (cycleSec + 0.4);
    for (let i = 0; i / fps < total; i++) {
      const s = i / fps;
      const k = Math.floor((s - 1) / (cycleSec + 0.4)),
        ph = s - 1 - k * (cycleSec + 0.4);
      const inRep = s >= 1 && k < n && ph <= cycleSec;
      t.push(s);
      v.push(inRep ? rest + (peak - rest) * 0.5 * (1 - Math.cos((2 * Math.PI * ph) / cycleSec)) : rest);
    }
    return { t, v };
  }
  const rot = (cx: number, cy: number, len: number, degFromDown: number) => ({
    x: cx + len * Math.sin((degFromDown * Math.PI) / 180),
    y: cy + len * Math.cos((degFromDown * Math.PI) / 180),
  });

  it('jumping jack: shoulder abduction, arms down → overhead', () => {
    const { t, v } = curve(6, 20, 160, 0.9);
    const frames = v.map((a) => {
      const f = skeletonWithAngle('knee', 175);
      for (const [s, e, sign] of [
        [LM.left_shoulder, LM.left_elbow, 1],
        [LM.right_shoulder, LM.right_elbow, -1],
      ] as const) {
        const S = f[s]!;
        f[e] = { ...f[e]!, ...rot(S.x, S.y, 0.12, sign * a) };
      }
      return f;
    });
    expect(countReps(frames, t, 'jumping_jack').reps).toHaveLength(6);
    expect(stream(frames, t, 'jumping_jack').counter.count).toBe(6);
  });

  it('burpee: torso tilt upright → horizontal', () => {
    const { t, v } = curve(4, 5, 85, 2.5);
    const frames = v.map((a) => {
      const f = skeletonWithAngle('knee', 175);
      for (const [s, h] of [
        [LM.left_shoulder, LM.left_hip],
        [LM.right_shoulder, LM.right_hip],
      ] as const) {
        const H = f[h]!;
        f[s] = { ...f[s]!, ...rot(H.x, H.y, 0.25, 180 - a) };
      }
      return f;
    });
    expect(countReps(frames, t, 'burpee').reps).toHaveLength(4);
    expect(stream(frames, t, 'burpee').counter.count).toBe(4);
  });

  it('mountain climber: one rep per left+right knee-drive cycle', () => {
    const t: number[] = [],
      frames: FrameLandmarks[] = [];
    for (let i = 0; i < 8 * fps; i++) {
      const s = i / fps;
      const drive = s >= 1 && s < 7 ? Math.sin((2 * Math.PI * (s - 1)) / 0.75) : 0; // 8 cycles
      const f = skeletonWithAngle('knee', 175);
      for (const [sh, h, k, sign] of [
        [LM.left_shoulder, LM.left_hip, LM.left_knee, 1],
        [LM.right_shoulder, LM.right_hip, LM.right_knee, -1],
      ] as const) {
        const H = f[h]!;
        f[sh] = { ...f[sh]!, x: H.x, y: H.y - 0.25 };
        f[k] = { ...f[k]!, ...rot(H.x, H.y, 0.17, Math.max(0, sign * drive) * 80) };
      }
      t.push(s);
      frames.push(f);
    }
    const n = countReps(frames, t, 'mountain_climber').reps.length;
    expect(n).toBe(8);
  });
});
