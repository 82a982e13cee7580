/** Synthetic side- and front-view skeletons for the cue rules, with known geometry. */
import { LM, NUM_LANDMARKS, type FrameLandmarks, type Landmark } from '../../src-shared/keypoints/format';

const rad = (d: number) => (d * Math.PI) / 180;
type P = [number, number];

function person(vis: number): Landmark[] {
  return Array.from({ length: NUM_LANDMARKS }, () => ({ x: 0.5, y: 0.5, z: 0, visibility: vis }));
}
function put(p: Landmark[], i: number, [x, y]: P, vis = p[i]!.visibility): void {
  p[i] = { x, y, z: 0, visibility: vis };
}

export interface SquatPose {
  /** Thigh angle from horizontal (deg): 90 standing, 0 parallel, < 0 hip below the knee. */
  thighDeg: number;
  /** Torso lean from vertical (deg). */
  leanDeg: number;
  /** Heel lift (image units). */
  heelUp?: number;
}

/** A squatter seen from the side, facing +x. Torso length 0.25. */
export function sideSquat(s: SquatPose, vis = 0.95): Landmark[] {
  const p = person(vis);
  const ankle: P = [0.5, 0.9];
  const knee: P = [
    ankle[0] + 0.2 * Math.sin(rad(30 * (1 - s.thighDeg / 90))),
    ankle[1] - 0.2 * Math.cos(rad(30 * (1 - s.thighDeg / 90))),
  ];
  const hip: P = [knee[0] - 0.2 * Math.cos(rad(s.thighDeg)), knee[1] - 0.2 * Math.sin(rad(s.thighDeg))];
  const sh: P = [hip[0] + 0.25 * Math.sin(rad(s.leanDeg)), hip[1] - 0.25 * Math.cos(rad(s.leanDeg))];
  for (const [side, dx] of [
    ['left', 0.004],
    ['right', -0.004],
  ] as const) {
    const o = (q: P): P => [q[0] + dx, q[1]];
    put(p, LM[`${side}_ankle`], o(ankle));
    put(p, LM[`${side}_knee`], o(knee));
    put(p, LM[`${side}_hip`], o(hip));
    put(p, LM[`${side}_shoulder`], o(sh));
    put(p, LM[`${side}_elbow`], o([sh[0] + 0.05, sh[1] + 0.12]));
    put(p, LM[`${side}_wrist`], o([sh[0] + 0.12, sh[1] + 0.1]));
    put(p, LM[`${side}_heel`], o([ankle[0] - 0.03, ankle[1] + 0.02 - (s.heelUp ?? 0)]));
    put(p, LM[`${side}_foot_index`], o([ankle[0] + 0.06, ankle[1] + 0.02]));
  }
  put(p, LM.nose, [sh[0] + 0.05, sh[1] - 0.06]);
  return p;
}

/** A squatter seen from the front. `kneeHalf`: half the knee spread (ankles are ±0.08). */
export function frontSquat(thighDeg: number, kneeHalf: number, vis = 0.95): Landmark[] {
  const p = person(vis);
  const kneeY = 0.75,
    hipY = kneeY - 0.2 * Math.sin(rad(thighDeg));
  for (const [side, sg] of [
    ['left', 1],
    ['right', -1],
  ] as const) {
    put(p, LM[`${side}_ankle`], [0.5 + sg * 0.08, 0.9]);
    put(p, LM[`${side}_heel`], [0.5 + sg * 0.08, 0.92]);
    put(p, LM[`${side}_foot_index`], [0.5 + sg * 0.09, 0.93]);
    put(p, LM[`${side}_knee`], [0.5 + sg * kneeHalf, kneeY]);
    put(p, LM[`${side}_hip`], [0.5 + sg * 0.06, hipY]);
    put(p, LM[`${side}_shoulder`], [0.5 + sg * 0.1, hipY - 0.25]);
    put(p, LM[`${side}_elbow`], [0.5 + sg * 0.12, hipY - 0.13]);
    put(p, LM[`${side}_wrist`], [0.5 + sg * 0.12, hipY - 0.02]);
  }
  put(p, LM.nose, [0.5, hipY - 0.33]);
  return p;
}

/** A plank from the side, facing +x; `hipOff` moves the hip down (> 0, sagging) or up (< 0, piked), in image units. */
export function sidePlank(hipOff: number, vis = 0.9): Landmark[] {
  const p = person(vis);
  for (const [side, dy] of [
    ['left', 0.003],
    ['right', -0.003],
  ] as const) {
    put(p, LM[`${side}_shoulder`], [0.7, 0.6 + dy]);
    put(p, LM[`${side}_elbow`], [0.7, 0.75 + dy]);
    put(p, LM[`${side}_wrist`], [0.8, 0.75 + dy]);
    put(p, LM[`${side}_hip`], [0.45, 0.65 + hipOff + dy]);
    put(p, LM[`${side}_knee`], [0.3, 0.68 + dy]);
    put(p, LM[`${side}_ankle`], [0.15, 0.71 + dy]);
  }
  put(p, LM.nose, [0.78, 0.6]);
  return p;
}

/** A rep 0–2 s at 10 fps moving from `from` (t=0, 2) to `to` (t=1) with a cosine. */
export function rep(
  make: (u: number) => Landmark[],
  fps = 10,
): { frames: FrameLandmarks[]; t: number[]; window: { startSec: number; bottomSec: number; endSec: number } } {
  const t: number[] = [];
  const frames: FrameLandmarks[] = [];
  for (let i = 0; i <= 2 * fps; i++) {
    const ti = i / fps;
    t.push(ti);
    frames.push(make((1 - Math.cos(Math.PI * ti)) / 2)); // u: 0 at rest → 1 at the bottom (t = 1) → 0
  }
  return { frames, t, window: { startSec: 0, bottomSec: 1, endSec: 2 } };
}

/** A set of side-view squats, 2 s each at 10 fps after 1 s standing, bottoming at `bottoms` (thigh degrees). */
export function squatSet(bottoms: number[], fps = 10): { frames: FrameLandmarks[]; t: number[] } {
  const t: number[] = [];
  const frames: FrameLandmarks[] = [];
  const total = 2 + 2 * bottoms.length;
  for (let i = 0; i <= total * fps; i++) {
    const ti = i / fps;
    const k = Math.floor((ti - 1) / 2);
    const local = ti - 1 - 2 * k;
    const u = k >= 0 && k < bottoms.length ? (1 - Math.cos(Math.PI * local)) / 2 : 0;
    const bottom = bottoms[Math.max(0, Math.min(bottoms.length - 1, k))]!;
    t.push(ti);
    frames.push(sideSquat({ thighDeg: 90 + (bottom - 90) * u, leanDeg: 5 + 20 * u }));
  }
  return { frames, t };
}
