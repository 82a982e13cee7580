import { describe, expect, it } from 'vitest';
import { LM, type FrameLandmarks } from '../../src-shared/keypoints/format';
import {
  ExerciseSmoother,
  buildRepReport,
  countRepsAuto,
  dominantSignal,
  formatRepReport,
  periodicity,
  trimSetEnds,
  countReps,
} from '../../src-shared/reps';
import { interpretOutputs } from '../../src-shared/scoring/clip-score';
import { EXERCISE_TYPES } from '../../src-shared/domain/exercises';
import { synthClip } from './synth';

describe('exercise = auto', () => {
  it('finds the periodic joint and counts on it, whichever it is', () => {
    // (the synthetic knee bend moves the thigh, so the hip angle moves as much: either is the squat's movement)
    for (const [kind, want] of [
      ['knee', ['knee', 'hip']],
      ['elbow', ['elbow']],
    ] as const) {
      const c = synthClip({
        kind,
        rest: 170,
        extremes: [80, 80, 80, 80, 80, 80],
        repSec: 2,
        angleNoise: 2,
        posNoise: 0.003,
        seed: 3,
      });
      expect(want).toContain(dominantSignal(c.frames, c.t)?.kind);
      expect(countRepsAuto(c.frames, c.t).reps).toHaveLength(6);
    }
  });
  it('periodicity is high for a repeated movement and low for noise', () => {
    const sine = Array.from({ length: 300 }, (_, i) => Math.sin((2 * Math.PI * i) / 60));
    let s = 7;
    const noise = Array.from({ length: 300 }, () => (s = (s * 16807) % 2147483647) / 2147483647 - 0.5);
    expect(periodicity(sine, 18, 300)).toBeGreaterThan(0.9);
    expect(periodicity(noise, 18, 300)).toBeLessThan(0.3);
  });
});

describe('set boundaries', () => {
  it('drops an end movement that does not match the set (a deep, slow bend to pick up a bar)', () => {
    const c = synthClip({
      kind: 'knee',
      rest: 170,
      extremes: [40, 95, 95, 95, 95, 95],
      repSec: [5, 2, 2, 2, 2, 2],
      angleNoise: 1,
      seed: 5,
    });
    const res = countReps(c.frames, c.t, 'squat');
    expect(res.reps).toHaveLength(5);
    expect(res.dropped).toHaveLength(1);
    expect(res.reps[0]!.index).toBe(0);
    // every rep alike: nothing dropped
    const even = synthClip({ kind: 'knee', rest: 170, extremes: [95, 95, 95, 95], repSec: 2, angleNoise: 1, seed: 6 });
    const r2 = countReps(even.frames, even.t, 'squat');
    expect(trimSetEnds(r2.reps, even.frames, even.t).dropped).toHaveLength(0);
  });
});

describe('exercise guess smoothing', () => {
  it('holds still through flicker and says uncertain below the confidence floor', () => {
    const s = new ExerciseSmoother({ windows: 6, floor: 0.4, minShare: 0.5 });
    const flicker = ['squat', 'lunge', 'squat', 'pushup', 'squat', 'squat', 'lunge', 'squat'] as const;
    const shown = flicker.map((e) => s.push({ exercise: e, confidence: 0.6 }).exercise);
    expect(shown.slice(4)).toEqual(['squat', 'squat', 'squat', 'squat']);
    const low = new ExerciseSmoother();
    for (const e of ['squat', 'lunge', 'pushup', 'situp', 'burpee', 'other', 'plank', 'squat'] as const)
      expect(low.push({ exercise: e, confidence: 0.15 }).exercise).toBeNull();
  });
  it('masks the exercise head to the trained classes', () => {
    const probs = new Float32Array(EXERCISE_TYPES.length).fill(0.01);
    probs[EXERCISE_TYPES.indexOf('jumping_jack')] = 0.5;
    probs[EXERCISE_TYPES.indexOf('squat')] = 0.3;
    probs[EXERCISE_TYPES.indexOf('pushup')] = 0.1;
    expect(interpretOutputs(50, probs).exercise).toBe('jumping_jack');
    const masked = interpretOutputs(50, probs, { trained: ['squat', 'pushup'] });
    expect(masked.exercise).toBe('squat');
    expect(masked.confidence).toBeCloseTo(0.75, 5);
  });
});

describe('rep report (API, panel and CLI)', () => {
  it('scores each rep with the model on its own window and gives the set mean', async () => {
    const c = synthClip({ kind: 'knee', rest: 170, extremes: [90, 90, 90], repSec: 2, angleNoise: 1, seed: 8 });
    const windows: number[] = [];
    const r = await buildRepReport({
      frames: c.frames,
      timestampsSec: c.t,
      aspect: 1,
      exercise: 'squat',
      scoreWindows: async (ws) => ws.map((w) => (windows.push(w.length), 60 + windows.length * 10)),
    });
    expect(r.count).toBe(3);
    expect(r.reps.map((x) => x.score)).toEqual([70, 80, 90]);
    expect(r.setScore).toBe(80);
    expect(windows.every((n) => n > 30 && n < 90)).toBe(true); // ~2 s at 30 fps: the rep's own frames
    const text = formatRepReport(r, (e) => e);
    expect(text.split('\n')[0]).toMatch(/^Reps: 3/);
    expect(text).toMatch(/#\s*1\s+\d+\.\d–\d+\.\d s\s+score 70\.0/);
  });
  it('explains no person, too short and ends mid-rep', async () => {
    const none = await buildRepReport({
      frames: Array(20).fill(null),
      timestampsSec: Array.from({ length: 20 }, (_, i) => i / 10),
      aspect: 1,
      exercise: 'auto',
    });
    expect(none.messages[0]).toMatch(/No person/);
    const c = synthClip({ kind: 'knee', rest: 170, extremes: [90, 90], repSec: 2, angleNoise: 1, seed: 9 });
    const cut = c.t.findIndex((t) => t > 5.2); // inside the second rep
    const mid = await buildRepReport({
      frames: c.frames.slice(0, cut),
      timestampsSec: c.t.slice(0, cut),
      aspect: 1,
      exercise: 'squat',
    });
    expect(mid.count).toBe(1);
    expect(mid.messages.join(' ')).toMatch(/ends mid-rep/);
    const short = await buildRepReport({
      frames: c.frames.slice(0, 20),
      timestampsSec: c.t.slice(0, 20),
      aspect: 1,
      exercise: 'squat',
    });
    expect(short.count).toBe(0);
    expect(short.messages.join(' ')).toMatch(/shorter than one rep/);
    const frame: FrameLandmarks = c.frames[0]!;
    expect(frame![LM.left_knee]).toBeDefined();
  });
});
