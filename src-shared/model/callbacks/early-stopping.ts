/**
 * Early stopping (Keras `EarlyStopping(mode='min')`): tracks the best monitored value and its epoch, and asks the
 * loop to stop after `patience` epochs without an improvement larger than `minDelta`. The loop keeps the best
 * weights (Keras `restore_best_weights`) when `onEpochEnd` reports an improvement.
 */
export interface EarlyStoppingState {
  best: number;
  bestEpoch: number;
  wait: number;
}

export class EarlyStopping {
  /** Lowest monitored value so far (Infinity before the first epoch). */
  best = Infinity;
  /** 0-based epoch of `best`; -1 before the first improvement. */
  bestEpoch = -1;
  /** Epochs since the last improvement. */
  wait = 0;

  constructor(
    readonly patience: number,
    readonly minDelta = 0,
  ) {}

  /** Records the epoch's monitored value; true when it is a new best. */
  onEpochEnd(epoch: number, monitored: number): boolean {
    if (monitored < this.best - this.minDelta) {
      this.best = monitored;
      this.bestEpoch = epoch;
      this.wait = 0;
      return true;
    }
    this.wait++;
    return false;
  }

  get stopTraining(): boolean {
    return this.wait >= this.patience;
  }

  state(): EarlyStoppingState {
    return { best: this.best, bestEpoch: this.bestEpoch, wait: this.wait };
  }

  restore(s: EarlyStoppingState): void {
    this.best = s.best;
    this.bestEpoch = s.bestEpoch;
    this.wait = s.wait;
  }
}
