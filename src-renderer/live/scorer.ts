/**
 * Scores a window of pose frames with a model. Implementations run off the drawing path (a worker or an
 * async backend) so the live view never freezes; `null` means no model is available.
 */
import type { ClipScore } from '../../src-shared/scoring/clip-score';

export interface Scorer {
  readonly name: string;
  readonly numFrames: number;
  /** `frames`: the last N frames, each 132 numbers or null (no person). */
  score(frames: Array<number[] | null>): Promise<ClipScore>;
  /** Video width / height, so normalization matches training. */
  setAspectRatio?(aspectRatio: number): void;
  dispose(): void;
}

type ScorerFactory = (modelId: number | null) => Promise<Scorer | null>;
let factory: ScorerFactory = async () => null;

/** The training module registers how to load a model for scoring. */
export function registerScorerFactory(f: ScorerFactory): void {
  factory = f;
}

export function loadScorer(modelId: number | null): Promise<Scorer | null> {
  return factory(modelId);
}
