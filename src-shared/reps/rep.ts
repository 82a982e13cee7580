/** One counted rep (its own file: count.ts and boundaries.ts both use it). */
export interface Rep {
  /** 0-based, in order. */
  index: number;
  /** Leaves the resting band (s). */
  startSec: number;
  /** The movement's extreme: squat bottom, curl top, press lockout (s). */
  bottomSec: number;
  /** Back in the resting band: the rep is complete (s). */
  endSec: number;
  durationSec: number;
  /** Signal value (degrees, real joint angle) at the extreme, e.g. knee angle at the squat's bottom. */
  depthDeg: number;
  /** Signal value at rest before the rep (degrees). */
  restDeg: number;
  /** Range of motion of this rep (degrees, ≥ 0): |rest − extreme|. */
  amplitude: number;
  /** amplitude / the largest amplitude in the set (so far, when streaming): 1 = the set's fullest rep. */
  romFraction: number;
}
