/** Synthetic skeletons whose joint angles follow a known curve, with seeded noise and dropouts. */
import { LM, NUM_LANDMARKS, type FrameLandmarks, type Landmark } from '../../src-shared/keypoints/format';
import { TRIPLES } from '../../src-shared/reps/signal';

export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

export function gauss(r: () => number): number {
  const u = Math.max(r(), 1e-12),
    v = r();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

const rad = (d: number) => (d * Math.PI) / 180;

/** A standing person (front-ish), every landmark visible. */
export function baseSkeleton(vis = 0.95): Landmark[] {
  const p: Landmark[] = Array.from({ length: NUM_LANDMARKS }, () => ({ x: 0.5, y: 0.2, z: 0, visibility: vis }));
  const set = (i: number, x: number, y: number) => {
    p[i] = { x, y, z: 0, visibility: vis };
  };
  set(LM.nose, 0.5, 0.15);
  set(LM.left_shoulder, 0.55, 0.3);
  set(LM.right_shoulder, 0.45, 0.3);
  set(LM.left_elbow, 0.57, 0.42);
  set(LM.right_elbow, 0.43, 0.42);
  set(LM.left_wrist, 0.58, 0.53);
  set(LM.right_wrist, 0.42, 0.53);
  set(LM.left_hip, 0.53, 0.55);
  set(LM.right_hip, 0.47, 0.55);
  set(LM.left_knee, 0.53, 0.72);
  set(LM.right_knee, 0.47, 0.72);
  set(LM.left_ankle, 0.53, 0.9);
  set(LM.right_ankle, 0.47, 0.9);
  return p;
}

/** Places a triple a–b–c (both sides) so that the angle at b is `deg`: b→c fixed along `dir`, a rotated by deg. */
function placeTriple(
  p: Landmark[],
  [a, b, c]: readonly [number, number, number],
  deg: number,
  len: number,
  dirDeg: number,
): void {
  const B = p[b]!;
  const d = rad(dirDeg);
  p[c] = { ...p[c]!, x: B.x + len * Math.cos(d), y: B.y + len * Math.sin(d) };
  p[a] = { ...p[a]!, x: B.x + len * Math.cos(d + rad(deg)), y: B.y + len * Math.sin(d + rad(deg)) };
}

export type Kind = 'knee' | 'elbow' | 'hip';

/** A skeleton whose `kind` angle (both sides) is `deg`. */
export function skeletonWithAngle(kind: Kind, deg: number, vis = 0.95): Landmark[] {
  const p = baseSkeleton(vis);
  // shin / forearm / thigh pointing down (90° in image coords, y down)
  for (const t of TRIPLES[kind]) placeTriple(p, t, deg, 0.17, 90);
  return p;
}

export interface ClipSpec {
  kind: Kind;
  /** Angle at rest and at the extreme of each rep. */
  rest: number;
  extremes: number[];
  /** Seconds per rep, and rest between reps. */
  repSec: number | number[];
  pauseSec?: number;
  leadSec?: number;
  fps?: number;
  /** Landmark position noise (image units) and angle noise (degrees). */
  posNoise?: number;
  angleNoise?: number;
  /** Probability per frame of starting a dropout (null frames) of `dropoutFrames` frames. */
  dropoutRate?: number;
  dropoutFrames?: number;
  seed?: number;
}

/** Frames + timestamps + the true angle curve for a set of reps (raised-cosine dips from rest to each extreme). */
export function synthClip(spec: ClipSpec): { frames: FrameLandmarks[]; t: number[]; truth: number[] } {
  const fps = spec.fps ?? 30,
    r = rng(spec.seed ?? 1);
  const lead = spec.leadSec ?? 1,
    pause = spec.pauseSec ?? 0.5;
  const segs: Array<{ from: number; to: number; ext: number }> = [];
  let at = lead;
  spec.extremes.forEach((ext, i) => {
    const d = Array.isArray(spec.repSec) ? spec.repSec[i]! : spec.repSec;
    segs.push({ from: at, to: at + d, ext });
    at += d + pause;
  });
  const total = at + lead;
  const frames: FrameLandmarks[] = [],
    t: number[] = [],
    truth: number[] = [];
  let drop = 0;
  for (let i = 0; i * (1 / fps) < total; i++) {
    const time = i / fps;
    let a = spec.rest;
    for (const s of segs)
      if (time >= s.from && time <= s.to)
        a = spec.rest + (s.ext - spec.rest) * 0.5 * (1 - Math.cos((2 * Math.PI * (time - s.from)) / (s.to - s.from)));
    truth.push(a);
    t.push(Math.round(time * 1e6) / 1e6);
    if (drop > 0 || (spec.dropoutRate && r() < spec.dropoutRate)) {
      drop = drop > 0 ? drop - 1 : (spec.dropoutFrames ?? 3) - 1;
      frames.push(null);
      continue;
    }
    const f = skeletonWithAngle(spec.kind, a + (spec.angleNoise ?? 0) * gauss(r));
    const pn = spec.posNoise ?? 0;
    frames.push(pn ? f.map((l) => ({ ...l, x: l.x + pn * gauss(r), y: l.y + pn * gauss(r) })) : f);
  }
  return { frames, t, truth };
}

/** A side-view forearm plank (body horizontal, elbows under the shoulders). */
export function plankSkeleton(vis = 0.9): Landmark[] {
  const p = baseSkeleton(vis);
  const set = (i: number, x: number, y: number) => {
    p[i] = { x, y, z: 0, visibility: vis };
  };
  for (const [s, e, w, h, k, a] of [
    [LM.left_shoulder, LM.left_elbow, LM.left_wrist, LM.left_hip, LM.left_knee, LM.left_ankle],
    [LM.right_shoulder, LM.right_elbow, LM.right_wrist, LM.right_hip, LM.right_knee, LM.right_ankle],
  ] as const) {
    set(s, 0.3, 0.6);
    set(e, 0.31, 0.75);
    set(w, 0.42, 0.76);
    set(h, 0.55, 0.63);
    set(k, 0.7, 0.66);
    set(a, 0.85, 0.69);
  }
  set(LM.nose, 0.22, 0.6);
  return p;
}

/** Lying flat, arms stretched ahead (superman): not a plank. */
export function lyingSkeleton(vis = 0.9): Landmark[] {
  const p = plankSkeleton(vis);
  for (const [e, w] of [
    [LM.left_elbow, LM.left_wrist],
    [LM.right_elbow, LM.right_wrist],
  ] as const) {
    p[e] = { ...p[e]!, x: 0.2, y: 0.62 };
    p[w] = { ...p[w]!, x: 0.1, y: 0.62 };
  }
  return p;
}
