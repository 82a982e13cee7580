/**
 * Form cues: what to fix in one rep ("go deeper", "hips too high"). Compatible with the rep pipeline's
 * `RepCue = { id, text, severity, source }` (src-shared/reps), so a rep can carry rule and learned cues alike.
 */
import type { ExerciseType } from '../domain/exercises';

export type CueSource = 'rule' | 'learned';

export interface Cue {
  /** Stable id: '<exercise>.<name>' for rules (e.g. 'squat.depth'), 'learned.<exercise>.<label>' for a trained model. */
  id: string;
  /** What the athlete should hear, e.g. 'Go deeper: hips below the knees'. */
  text: string;
  /** 0–1: how far past the threshold (rules) or the model's probability (learned). The most severe cue is shown. */
  severity: number;
  source: CueSource;
}

/** Camera angle judged from landmark geometry: a front-view cue is not judged from the side, nor the reverse. */
export type CameraView = 'front' | 'side' | 'oblique' | 'unknown';

/** The part of the rep a cue reads: see phaseFrames() in evaluate.ts. */
export type RepPhase = 'extreme' | 'rest' | 'work' | 'hold';

/** A rep's time window (a `Rep` from src-shared/reps fits; a plank hold segment too). */
export interface RepWindow {
  startSec: number;
  endSec: number;
  /** The movement's extreme (squat bottom, curl top, press lockout); the window's middle when absent. */
  bottomSec?: number;
}

/** Coach settings, saved in the project. Everything optional: defaults come from the rule table. */
export interface CueSettings {
  /** No cues at all (rules and learned) for these exercises. */
  offExercises?: ExerciseType[];
  /** Rule or learned cue ids switched off. */
  disabled?: string[];
  /** Rule id → threshold (in the rule's own unit), replacing the table's default. */
  thresholds?: Record<string, number>;
  /** Landmarks below this visibility are not read. Default 0.5. */
  minVisibility?: number;
}
