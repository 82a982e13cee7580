/**
 * The rule cues, as data: one row per cue. A coach can switch a row off or change its threshold
 * (CueSettings); the code that evaluates a row is generic (evaluate.ts).
 *
 * A row fires when `agg` of `measure` over the rep's `phase` frames is past `threshold` in direction `when`
 * (with `baseline: 'rest'` the measure is first taken relative to its median at the start of the rep).
 * Severity = how far past the threshold, / `span` (capped at 1). `view` says which camera angle the row can be
 * judged from ('any' = every view; 'not-front' = side or oblique; 'side' = side only; 'front' = front only).
 *
 * Thresholds were set from coaching conventions and the landmark geometry, before looking at any clip
 * (e2e/cues-by-eye.md); bench/cues.ts measures them. Exception, from data (never from the clips): the hip
 * line of plank and push-up. On the Exercise-Correction plank set (training rows, read at 16:9) a plank labelled
 * correct has the hip landmark 0.22 torso lengths ABOVE the shoulder–ankle line (the hip joint sits above the
 * shoulder and ankle landmarks), 'too high' 0.63, 'too low' 0.18 below: the thresholds are the midpoints.
 */
import type { ExerciseType } from '../domain/exercises';
import type { MeasureId } from './measures';
import type { CameraView, RepPhase } from './types';

export interface CueRule {
  /** '<exercise>.<name>', stable (settings refer to it). */
  id: string;
  exercise: ExerciseType;
  text: string;
  measure: MeasureId;
  phase: RepPhase;
  /** How the phase's frames are summarised: median, or the 80th / 20th percentile. */
  agg: 'median' | 'high' | 'low';
  when: 'above' | 'below';
  threshold: number;
  /** Distance past the threshold that counts as severity 1. */
  span: number;
  /** 'any' = front, side or oblique; 'not-front' = side or oblique; 'front' / 'side' = that view only. */
  view: 'any' | 'not-front' | Exclude<CameraView, 'unknown' | 'oblique'>;
  baseline?: 'rest';
}

export const CUE_RULES: readonly CueRule[] = [
  // squat
  // not from the front: at the bottom the thigh points at the camera, so the hip–knee height difference in the
  // image mixes depth with the camera's height and perspective (≈ 0.1–0.2 torso lengths for a camera 0.5 m above
  // the hips at 3 m) — as large as the tolerance itself. Side and oblique views see the thigh's angle.
  {
    id: 'squat.depth',
    exercise: 'squat',
    text: 'Go deeper: hips down to knee level',
    measure: 'hipAboveKnee',
    phase: 'extreme',
    agg: 'low',
    when: 'above',
    threshold: 0.1,
    span: 0.3,
    view: 'not-front',
  },
  {
    id: 'squat.knees_in',
    exercise: 'squat',
    text: 'Push your knees out over your toes',
    measure: 'kneeToAnkleWidth',
    phase: 'extreme',
    agg: 'median',
    when: 'below',
    threshold: 0.8,
    span: 0.3,
    view: 'front',
  },
  {
    id: 'squat.torso_lean',
    exercise: 'squat',
    text: 'Chest up: less forward lean',
    measure: 'torsoLean',
    phase: 'extreme',
    agg: 'median',
    when: 'above',
    threshold: 50,
    span: 20,
    view: 'side',
  },
  {
    id: 'squat.heels',
    exercise: 'squat',
    text: 'Keep your heels down',
    measure: 'heelLift',
    phase: 'extreme',
    agg: 'median',
    when: 'above',
    threshold: 0.08,
    span: 0.15,
    view: 'side',
    baseline: 'rest',
  },
  // push-up
  {
    id: 'pushup.hips_sag',
    exercise: 'pushup',
    text: 'Hips are sagging: brace your core',
    measure: 'hipOffLine',
    phase: 'work',
    agg: 'median',
    when: 'above',
    threshold: 0,
    span: 0.3,
    view: 'side',
  },
  {
    id: 'pushup.hips_piked',
    exercise: 'pushup',
    text: 'Hips too high: body in one line',
    measure: 'hipOffLine',
    phase: 'work',
    agg: 'median',
    when: 'below',
    threshold: -0.45,
    span: 0.3,
    view: 'side',
  },
  {
    id: 'pushup.partial',
    exercise: 'pushup',
    text: 'Go lower: chest towards the floor',
    measure: 'elbowAngle',
    phase: 'extreme',
    agg: 'low',
    when: 'above',
    threshold: 110,
    span: 40,
    view: 'side',
  },
  // plank (a hold: judged on the hold's own frames)
  {
    id: 'plank.hips_high',
    exercise: 'plank',
    text: 'Hips too high: lower them in line with your shoulders',
    measure: 'hipOffLine',
    phase: 'hold',
    agg: 'median',
    when: 'below',
    threshold: -0.42,
    span: 0.3,
    view: 'side',
  },
  {
    id: 'plank.hips_low',
    exercise: 'plank',
    text: 'Hips too low: squeeze your glutes and lift them in line',
    measure: 'hipOffLine',
    phase: 'hold',
    agg: 'median',
    when: 'above',
    threshold: -0.02,
    span: 0.3,
    view: 'side',
  },
  // curl
  {
    id: 'dumbbell_curl.lean_back',
    exercise: 'dumbbell_curl',
    text: "Don't lean back: keep your torso still",
    measure: 'leanBack',
    phase: 'work',
    agg: 'high',
    when: 'above',
    threshold: 10,
    span: 15,
    view: 'side',
  },
  {
    id: 'dumbbell_curl.elbow_forward',
    exercise: 'dumbbell_curl',
    text: 'Keep your elbows at your sides',
    measure: 'upperArmForward',
    phase: 'extreme',
    agg: 'median',
    when: 'above',
    threshold: 35,
    span: 30,
    view: 'side',
  },
  // lunge
  {
    id: 'lunge.knee_past_toes',
    exercise: 'lunge',
    text: 'Front knee over the ankle, not past the toes',
    measure: 'kneePastToes',
    phase: 'extreme',
    agg: 'median',
    when: 'above',
    threshold: 0.1,
    span: 0.2,
    view: 'side',
  },
  {
    id: 'lunge.torso_lean',
    exercise: 'lunge',
    text: 'Keep your torso upright',
    measure: 'torsoLean',
    phase: 'extreme',
    agg: 'median',
    when: 'above',
    threshold: 30,
    span: 20,
    view: 'side',
  },
  // overhead press
  {
    id: 'overhead_press.arch',
    exercise: 'overhead_press',
    text: "Ribs down: don't arch your lower back",
    measure: 'leanBack',
    phase: 'extreme',
    agg: 'median',
    when: 'above',
    threshold: 12,
    span: 15,
    view: 'side',
  },
];

/** The table's rows for one exercise. */
export function rulesFor(exercise: ExerciseType): CueRule[] {
  return CUE_RULES.filter((r) => r.exercise === exercise);
}

export function ruleById(id: string): CueRule | undefined {
  return CUE_RULES.find((r) => r.id === id);
}
