/**
 * Per-exercise 1-D movement signals from one frame of 33 MediaPipe landmarks, and the plank posture test.
 *
 * Geometry is 2-D in the image plane (x scaled by the image aspect ratio so angles are true angles on
 * screen); z is ignored (MediaPipe's z is too noisy for rep timing). A joint triple on one body side is
 * used only when all three landmarks have visibility ≥ `minVisibility`; when both sides qualify the two
 * angles are averaged with weights (min visibility of the triple)², so the better-seen side dominates and
 * a side fading in or out does not make the signal jump.
 *
 * | exercise                                   | signal (degrees)                                   | rest → work |
 * |--------------------------------------------|----------------------------------------------------|-------------|
 * | squat, lunge                               | knee angle hip–knee–ankle                          | high → low  |
 * | pushup, bench_press, pullup, dumbbell_curl | elbow angle shoulder–elbow–wrist                   | high → low  |
 * | overhead_press                             | elbow angle                                        | low → high  |
 * | situp                                      | hip angle shoulder–hip–knee                        | high → low  |
 * | deadlift                                   | hip angle (a rep also counts when the clip starts at the floor: lift = rep) | high → low |
 * | burpee                                     | torso tilt from vertical (0 upright, 90 horizontal) | low → high |
 * | jumping_jack                               | shoulder abduction hip–shoulder–elbow (arms down ≈ 10–30, overhead ≈ 150–170) | low → high |
 * | mountain_climber                           | left hip angle − right hip angle (one rep = one left+right knee-drive cycle; may start mid-cycle) | oscillates |
 * | plank                                      | timed: body-line angle shoulder–hip–ankle; held while `isPlankPosture` | — |
 * | other                                      | whichever of knee / elbow / hip angle moves the most in the clip | high → low |
 */
import { LM, type FrameLandmarks, type Landmark } from '../keypoints/format';
import type { ExerciseType } from '../domain/exercises';

export type SignalKind = 'knee' | 'elbow' | 'hip' | 'tilt' | 'abduction' | 'hipDiff' | 'bodyLine';

export interface SignalSpec {
  kind: SignalKind;
  /** 'dip': the resting position has the higher value (squat: standing ≈ 170°, bottom ≈ 90°). 'peak': the reverse. */
  polarity: 'dip' | 'peak';
  /** A rep must move the signal at least this much (degrees). Also: a clip whose whole range is smaller has no reps. */
  minAmplitude: number;
  /** Shortest plausible rep (s), start to end. */
  minRepSec: number;
  /** Count a rep also when the clip starts in the work position (deadlift from the floor). */
  startMayBeDown?: boolean;
  /** Timed exercise: hold seconds instead of reps. */
  timed?: boolean;
  /** Human description for the UI / docs. */
  label: string;
}

export const EXERCISE_SIGNALS: Record<ExerciseType, SignalSpec> = {
  squat: { kind: 'knee', polarity: 'dip', minAmplitude: 30, minRepSec: 0.6, label: 'knee angle' },
  lunge: { kind: 'knee', polarity: 'dip', minAmplitude: 25, minRepSec: 0.6, label: 'knee angle' },
  pushup: { kind: 'elbow', polarity: 'dip', minAmplitude: 25, minRepSec: 0.5, label: 'elbow angle' },
  bench_press: { kind: 'elbow', polarity: 'dip', minAmplitude: 25, minRepSec: 0.6, label: 'elbow angle' },
  pullup: { kind: 'elbow', polarity: 'dip', minAmplitude: 30, minRepSec: 0.6, label: 'elbow angle' },
  dumbbell_curl: { kind: 'elbow', polarity: 'dip', minAmplitude: 35, minRepSec: 0.5, label: 'elbow angle' },
  overhead_press: { kind: 'elbow', polarity: 'peak', minAmplitude: 30, minRepSec: 0.6, label: 'elbow angle' },
  situp: { kind: 'hip', polarity: 'dip', minAmplitude: 25, minRepSec: 0.6, label: 'hip angle' },
  deadlift: {
    kind: 'hip',
    polarity: 'dip',
    minAmplitude: 30,
    minRepSec: 0.8,
    startMayBeDown: true,
    label: 'hip angle',
  },
  burpee: { kind: 'tilt', polarity: 'peak', minAmplitude: 40, minRepSec: 1.2, label: 'torso tilt from vertical' },
  jumping_jack: { kind: 'abduction', polarity: 'peak', minAmplitude: 50, minRepSec: 0.4, label: 'shoulder abduction' },
  mountain_climber: {
    kind: 'hipDiff',
    polarity: 'dip',
    minAmplitude: 25,
    minRepSec: 0.3,
    startMayBeDown: true,
    label: 'left − right hip angle',
  },
  plank: {
    kind: 'bodyLine',
    polarity: 'dip',
    minAmplitude: Infinity,
    minRepSec: Infinity,
    timed: true,
    label: 'body line shoulder–hip–ankle',
  },
  other: {
    kind: 'knee',
    polarity: 'dip',
    minAmplitude: 30,
    minRepSec: 0.6,
    label: 'knee, elbow or hip angle (most movement)',
  },
};

/** The candidate signals tried for 'other'. */
export const OTHER_CANDIDATES: readonly SignalKind[] = ['knee', 'elbow', 'hip'];

export interface GeometryOptions {
  /** Image width / height: landmarks are normalized per axis, so x is scaled by this. Default 1. */
  aspect?: number;
  /** Landmarks below this visibility are not used. Default 0.3. */
  minVisibility?: number;
}

type Triple = readonly [number, number, number];
/** The joint angles reps are counted on: (outer, vertex, outer) landmark indices, left then right. */
export const TRIPLES: Record<'knee' | 'elbow' | 'hip' | 'abduction', readonly [Triple, Triple]> = {
  knee: [
    [LM.left_hip, LM.left_knee, LM.left_ankle],
    [LM.right_hip, LM.right_knee, LM.right_ankle],
  ],
  elbow: [
    [LM.left_shoulder, LM.left_elbow, LM.left_wrist],
    [LM.right_shoulder, LM.right_elbow, LM.right_wrist],
  ],
  hip: [
    [LM.left_shoulder, LM.left_hip, LM.left_knee],
    [LM.right_shoulder, LM.right_hip, LM.right_knee],
  ],
  abduction: [
    [LM.left_hip, LM.left_shoulder, LM.left_elbow],
    [LM.right_hip, LM.right_shoulder, LM.right_elbow],
  ],
};

const DEG = 180 / Math.PI;

/** Angle at b (degrees, 0–180) of a–b–c in the image plane, x scaled by `aspect`. */
export function jointAngle(a: Landmark, b: Landmark, c: Landmark, aspect = 1): number {
  const ux = (a.x - b.x) * aspect,
    uy = a.y - b.y;
  const vx = (c.x - b.x) * aspect,
    vy = c.y - b.y;
  const nu = Math.hypot(ux, uy),
    nv = Math.hypot(vx, vy);
  if (nu < 1e-9 || nv < 1e-9) return NaN;
  const cos = Math.max(-1, Math.min(1, (ux * vx + uy * vy) / (nu * nv)));
  return Math.acos(cos) * DEG;
}

function finite(l: Landmark | undefined): l is Landmark {
  return !!l && Number.isFinite(l.x) && Number.isFinite(l.y);
}

/** Angle of one side's triple and its weight (min visibility), or null when not visible enough. */
function sideAngle(f: Landmark[], t: Triple, aspect: number, minVis: number): { angle: number; w: number } | null {
  const [a, b, c] = [f[t[0]], f[t[1]], f[t[2]]];
  if (!finite(a) || !finite(b) || !finite(c)) return null;
  const w = Math.min(a.visibility, b.visibility, c.visibility);
  if (!(w >= minVis)) return null;
  const angle = jointAngle(a, b, c, aspect);
  return Number.isFinite(angle) ? { angle, w } : null;
}

/** Visibility-weighted angle of a left/right joint pair (NaN when neither side is visible). */
export function pairedAngle(
  f: Landmark[],
  kind: 'knee' | 'elbow' | 'hip' | 'abduction',
  opts: GeometryOptions = {},
): number {
  const aspect = opts.aspect ?? 1,
    minVis = opts.minVisibility ?? 0.3;
  const [l, r] = TRIPLES[kind].map((t) => sideAngle(f, t, aspect, minVis));
  if (l && r) {
    const wl = l.w * l.w,
      wr = r.w * r.w;
    return (l.angle * wl + r.angle * wr) / (wl + wr);
  }
  return l?.angle ?? r?.angle ?? NaN;
}

/** Visibility-weighted midpoint of a left/right landmark pair, or null. */
function midpoint(f: Landmark[], li: number, ri: number, minVis: number): { x: number; y: number } | null {
  const l = f[li],
    r = f[ri];
  const lo = finite(l) && l.visibility >= minVis,
    ro = finite(r) && r.visibility >= minVis;
  if (lo && ro) {
    const wl = l!.visibility,
      wr = r!.visibility;
    return { x: (l!.x * wl + r!.x * wr) / (wl + wr), y: (l!.y * wl + r!.y * wr) / (wl + wr) };
  }
  if (lo) return { x: l!.x, y: l!.y };
  if (ro) return { x: r!.x, y: r!.y };
  return null;
}

/** Torso tilt from upright (degrees): 0 = shoulders straight above hips, 90 = horizontal, 180 = upside down. */
export function torsoTilt(f: Landmark[], opts: GeometryOptions = {}): number {
  const aspect = opts.aspect ?? 1,
    minVis = opts.minVisibility ?? 0.3;
  const s = midpoint(f, LM.left_shoulder, LM.right_shoulder, minVis);
  const h = midpoint(f, LM.left_hip, LM.right_hip, minVis);
  if (!s || !h) return NaN;
  const dx = (s.x - h.x) * aspect,
    dy = s.y - h.y;
  const n = Math.hypot(dx, dy);
  if (n < 1e-9) return NaN;
  return Math.acos(Math.max(-1, Math.min(1, -dy / n))) * DEG;
}

/** One frame's value of a signal kind (NaN when the person or the joints are not visible). */
export function signalValue(frame: FrameLandmarks, kind: SignalKind, opts: GeometryOptions = {}): number {
  if (!frame || frame.length < 33) return NaN;
  switch (kind) {
    case 'knee':
    case 'elbow':
    case 'hip':
    case 'abduction':
      return pairedAngle(frame, kind, opts);
    case 'tilt':
      return torsoTilt(frame, opts);
    case 'hipDiff': {
      const aspect = opts.aspect ?? 1,
        minVis = opts.minVisibility ?? 0.3;
      const l = sideAngle(frame, TRIPLES.hip[0], aspect, minVis);
      const r = sideAngle(frame, TRIPLES.hip[1], aspect, minVis);
      return l && r ? l.angle - r.angle : NaN;
    }
    case 'bodyLine': {
      const p = plankGeometry(frame, opts);
      return p ? p.bodyLine : NaN;
    }
  }
}

export interface PlankGeometry {
  /** Shoulder–hip–ankle (or –knee) angle, 180 = straight. */
  bodyLine: number;
  /** Shoulder→hip line from horizontal (degrees, 0 = horizontal). */
  torsoFromHorizontal: number;
  /** How far the supporting elbow or wrist is below the shoulder, in torso lengths. */
  supportDrop: number;
  /** Horizontal offset of that support from the shoulder, in torso lengths. */
  supportOffset: number;
}

/** Side-view plank geometry from the better-seen body side, or null when it cannot be judged. */
export function plankGeometry(f: Landmark[], opts: GeometryOptions = {}): PlankGeometry | null {
  const aspect = opts.aspect ?? 1,
    minVis = opts.minVisibility ?? 0.3;
  const sides = [
    { s: LM.left_shoulder, h: LM.left_hip, k: LM.left_knee, a: LM.left_ankle, e: LM.left_elbow, w: LM.left_wrist },
    {
      s: LM.right_shoulder,
      h: LM.right_hip,
      k: LM.right_knee,
      a: LM.right_ankle,
      e: LM.right_elbow,
      w: LM.right_wrist,
    },
  ];
  let best: PlankGeometry | null = null,
    bestW = -1;
  for (const side of sides) {
    const S = f[side.s],
      H = f[side.h];
    if (!finite(S) || !finite(H)) continue;
    const A = finite(f[side.a]) && f[side.a]!.visibility >= minVis ? f[side.a]! : f[side.k];
    if (!finite(A)) continue;
    const w = Math.min(S.visibility, H.visibility, A.visibility);
    if (w < minVis || w <= bestW) continue;
    const tx = (H.x - S.x) * aspect,
      ty = H.y - S.y;
    const torso = Math.hypot(tx, ty);
    if (torso < 1e-6) continue;
    // support: the lower of elbow / wrist (whichever is visible)
    let drop = -Infinity,
      offset = Infinity;
    for (const j of [side.e, side.w]) {
      const J = f[j];
      if (!finite(J) || J.visibility < minVis) continue;
      const d = (J.y - S.y) / torso;
      if (d > drop) {
        drop = d;
        offset = Math.abs((J.x - S.x) * aspect) / torso;
      }
    }
    best = {
      bodyLine: jointAngle(S, H, A, aspect),
      torsoFromHorizontal: Math.atan2(Math.abs(ty), Math.abs(tx)) * DEG,
      supportDrop: drop,
      supportOffset: offset,
    };
    bestW = w;
  }
  return best;
}

/**
 * Plank-like posture (forearm or straight-arm plank seen from the side or at an angle): torso within
 * 35° of horizontal, body line straight within 35° (shoulder–hip–ankle ≥ 145°), and an elbow or wrist
 * at least 0.4 torso lengths below the shoulder and not more than 0.8 torso lengths in front of or behind
 * it (lying flat or a superman has the arms beside or ahead of the shoulders, not under them).
 */
export function isPlankPosture(frame: FrameLandmarks, opts: GeometryOptions = {}): boolean {
  if (!frame || frame.length < 33) return false;
  const p = plankGeometry(frame, opts);
  if (!p) return false;
  return p.torsoFromHorizontal <= 35 && p.bodyLine >= 145 && p.supportDrop >= 0.4 && p.supportOffset <= 0.8;
}
