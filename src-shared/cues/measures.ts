/**
 * Per-frame measurements the rule cues read (joint angles and distances in the image plane, x scaled by the
 * image aspect so angles are true on screen). Each returns NaN when a landmark it needs is not visible enough:
 * no cue from joints that are not seen. Distances are in torso lengths (shoulder midpoint → hip midpoint), so
 * they do not depend on how far the person is from the camera.
 */
import { LM, type Landmark } from '../keypoints/format';
import type { CameraView } from './types';

export interface MeasureContext {
  aspect: number;
  minVis: number;
}

type P = { x: number; y: number };
const DEG = 180 / Math.PI;

function pt(f: Landmark[], i: number, c: MeasureContext): P | null {
  const l = f[i];
  if (!l || !Number.isFinite(l.x) || !Number.isFinite(l.y) || !(l.visibility >= c.minVis)) return null;
  return { x: l.x * c.aspect, y: l.y };
}

/** Midpoint of a left/right pair (visibility-weighted); the one visible side when the other is hidden. */
function mid(f: Landmark[], li: number, ri: number, c: MeasureContext): P | null {
  const l = pt(f, li, c),
    r = pt(f, ri, c);
  if (l && r) {
    const wl = f[li]!.visibility,
      wr = f[ri]!.visibility;
    return { x: (l.x * wl + r.x * wr) / (wl + wr), y: (l.y * wl + r.y * wr) / (wl + wr) };
  }
  return l ?? r;
}

function torso(f: Landmark[], c: MeasureContext): { s: P; h: P; len: number } | null {
  const s = mid(f, LM.left_shoulder, LM.right_shoulder, c),
    h = mid(f, LM.left_hip, LM.right_hip, c);
  if (!s || !h) return null;
  const len = Math.hypot(s.x - h.x, s.y - h.y);
  return len > 1e-6 ? { s, h, len } : null;
}

/** The angle a-b-c at b in radians (0..π); NaN when a or c sits on b. The rules' measures and the learned cues' features share it. */
export function angleRad(a: P, b: P, c: P): number {
  const ux = a.x - b.x,
    uy = a.y - b.y,
    vx = c.x - b.x,
    vy = c.y - b.y;
  const nu = Math.hypot(ux, uy),
    nv = Math.hypot(vx, vy);
  if (nu < 1e-9 || nv < 1e-9) return NaN;
  return Math.acos(Math.max(-1, Math.min(1, (ux * vx + uy * vy) / (nu * nv))));
}

function angleAt(a: P, b: P, cc: P): number {
  return angleRad(a, b, cc) * DEG;
}

/** +1 when the person faces +x in the image, −1 for −x, 0 when unknown (nose ahead of the shoulders, else toes ahead of heels). */
export function facing(f: Landmark[], c: MeasureContext): number {
  const n = pt(f, LM.nose, c),
    s = mid(f, LM.left_shoulder, LM.right_shoulder, c);
  if (n && s && Math.abs(n.x - s.x) > 1e-3) return Math.sign(n.x - s.x);
  let d = 0;
  for (const [h, t] of [
    [LM.left_heel, LM.left_foot_index],
    [LM.right_heel, LM.right_foot_index],
  ] as const) {
    const H = pt(f, h, c),
      T = pt(f, t, c);
    if (H && T) d += T.x - H.x;
  }
  return Math.sign(d);
}

/** Average over the visible body sides of a per-side value (NaN when no side is visible). */
function sides(fn: (side: 'left' | 'right') => number): number {
  const v = [fn('left'), fn('right')].filter(Number.isFinite);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
}
const S = {
  left: {
    shoulder: LM.left_shoulder,
    elbow: LM.left_elbow,
    wrist: LM.left_wrist,
    hip: LM.left_hip,
    knee: LM.left_knee,
    ankle: LM.left_ankle,
    heel: LM.left_heel,
    toe: LM.left_foot_index,
  },
  right: {
    shoulder: LM.right_shoulder,
    elbow: LM.right_elbow,
    wrist: LM.right_wrist,
    hip: LM.right_hip,
    knee: LM.right_knee,
    ankle: LM.right_ankle,
    heel: LM.right_heel,
    toe: LM.right_foot_index,
  },
};

export type MeasureId =
  | 'hipAboveKnee'
  | 'kneeToAnkleWidth'
  | 'torsoLean'
  | 'heelLift'
  | 'hipOffLine'
  | 'elbowAngle'
  | 'leanBack'
  | 'upperArmForward'
  | 'kneePastToes';

export interface MeasureSpec {
  /** What the rule reads, for the table / UI. */
  reads: string;
  unit: 'torso lengths' | 'degrees' | 'ratio';
  fn: (f: Landmark[], c: MeasureContext) => number;
}

export const MEASURES: Record<MeasureId, MeasureSpec> = {
  hipAboveKnee: {
    reads: 'knee height − hip height (hip above the knee > 0)',
    unit: 'torso lengths',
    fn: (f, c) => {
      const t = torso(f, c);
      if (!t) return NaN;
      return sides((sd) => {
        const h = pt(f, S[sd].hip, c),
          k = pt(f, S[sd].knee, c);
        return h && k ? (k.y - h.y) / t.len : NaN;
      });
    },
  },
  kneeToAnkleWidth: {
    reads: 'knee spread / ankle spread (front view; < 1 = knees inside the feet)',
    unit: 'ratio',
    fn: (f, c) => {
      const lk = pt(f, LM.left_knee, c),
        rk = pt(f, LM.right_knee, c),
        la = pt(f, LM.left_ankle, c),
        ra = pt(f, LM.right_ankle, c);
      if (!lk || !rk || !la || !ra) return NaN;
      const ankles = Math.abs(la.x - ra.x);
      const t = torso(f, c);
      if (!t || ankles < 0.15 * t.len) return NaN; // feet together: the ratio says nothing
      return Math.abs(lk.x - rk.x) / ankles;
    },
  },
  torsoLean: {
    reads: 'torso (hip → shoulder) angle from vertical',
    unit: 'degrees',
    fn: (f, c) => {
      const t = torso(f, c);
      return t ? Math.acos(Math.max(-1, Math.min(1, (t.h.y - t.s.y) / t.len))) * DEG : NaN;
    },
  },
  heelLift: {
    reads: 'heel height above the toes (change from the start of the rep)',
    unit: 'torso lengths',
    fn: (f, c) => {
      const t = torso(f, c);
      if (!t) return NaN;
      return sides((sd) => {
        const h = pt(f, S[sd].heel, c),
          k = pt(f, S[sd].toe, c);
        return h && k ? (k.y - h.y) / t.len : NaN;
      });
    },
  },
  hipOffLine: {
    reads: 'hip distance from the shoulder–ankle line (below the line > 0: sagging; above < 0: piked)',
    unit: 'torso lengths',
    fn: (f, c) => {
      const t = torso(f, c);
      const a = mid(f, LM.left_ankle, LM.right_ankle, c) ?? mid(f, LM.left_knee, LM.right_knee, c);
      if (!t || !a) return NaN;
      const vx = a.x - t.s.x,
        vy = a.y - t.s.y,
        wx = t.h.x - t.s.x,
        wy = t.h.y - t.s.y;
      const nv = Math.hypot(vx, vy);
      if (nv < 1e-6 || Math.abs(vx) < 1e-6) return NaN;
      return (((vx * wy - vy * wx) / nv) * Math.sign(vx)) / t.len;
    },
  },
  elbowAngle: {
    reads: 'elbow angle shoulder–elbow–wrist',
    unit: 'degrees',
    fn: (f, c) =>
      sides((sd) => {
        const a = pt(f, S[sd].shoulder, c),
          b = pt(f, S[sd].elbow, c),
          w = pt(f, S[sd].wrist, c);
        return a && b && w ? angleAt(a, b, w) : NaN;
      }),
  },
  leanBack: {
    reads: 'torso angle from vertical, shoulders behind the hips > 0 (needs the facing direction)',
    unit: 'degrees',
    fn: (f, c) => {
      const t = torso(f, c),
        dir = facing(f, c);
      if (!t || !dir) return NaN;
      return Math.atan2(-dir * (t.s.x - t.h.x), t.h.y - t.s.y) * DEG;
    },
  },
  upperArmForward: {
    reads: 'upper arm angle from the torso line hip–shoulder–elbow',
    unit: 'degrees',
    fn: (f, c) =>
      sides((sd) => {
        const h = pt(f, S[sd].hip, c),
          s = pt(f, S[sd].shoulder, c),
          e = pt(f, S[sd].elbow, c);
        return h && s && e ? angleAt(h, s, e) : NaN;
      }),
  },
  kneePastToes: {
    reads: 'front knee ahead of its toes, along the facing direction',
    unit: 'torso lengths',
    fn: (f, c) => {
      const t = torso(f, c),
        dir = facing(f, c);
      if (!t || !dir) return NaN;
      // the front leg: the ankle furthest along the facing direction
      let best = -Infinity,
        val = NaN;
      for (const sd of ['left', 'right'] as const) {
        const k = pt(f, S[sd].knee, c),
          a = pt(f, S[sd].ankle, c),
          toe = pt(f, S[sd].toe, c);
        if (!k || !a || !toe) continue;
        if (dir * a.x > best) {
          best = dir * a.x;
          val = (dir * (k.x - toe.x)) / t.len;
        }
      }
      return val;
    },
  },
};

/**
 * Camera view from the geometry: in a front view the shoulders and hips are wide relative to the torso
 * (≈ 0.8 and 0.5 torso lengths: a ratio r0 ≈ 0.65–0.75), in a side view they overlap (≈ 0–0.2); turned by θ
 * the ratio is ≈ r0·cos θ. 'front' = within ≈ 35° of facing the camera (r > 0.55), 'side' = beyond ≈ 70°
 * (r < 0.25), oblique between. (The front bound was 0.45 ≈ 50°, which called a 45° view "front": found on
 * tfjs_pose_squats.mp4, 45° by eye, r = 0.47, see e2e/cues-by-eye.md.) Positions are used whatever their
 * visibility (the far shoulder of a side view is usually low-visibility but still placed). Median over the frames.
 */
export function cameraView(frames: ReadonlyArray<Landmark[] | null>, aspect: number): CameraView {
  const ratios: number[] = [];
  const c: MeasureContext = { aspect, minVis: 0 };
  for (const f of frames) {
    if (!f) continue;
    const t = torso(f, c);
    if (!t) continue;
    const ls = pt(f, LM.left_shoulder, c),
      rs = pt(f, LM.right_shoulder, c),
      lh = pt(f, LM.left_hip, c),
      rh = pt(f, LM.right_hip, c);
    if (!ls || !rs || !lh || !rh) continue;
    ratios.push((Math.abs(ls.x - rs.x) + Math.abs(lh.x - rh.x)) / 2 / t.len);
  }
  if (!ratios.length) return 'unknown';
  ratios.sort((a, b) => a - b);
  const r = ratios[ratios.length >> 1]!;
  return r < 0.25 ? 'side' : r > 0.55 ? 'front' : 'oblique';
}
