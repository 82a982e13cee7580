/**
 * Reduce the learning rate on a plateau (Keras `ReduceLROnPlateau(mode='min', cooldown=0)`): after `patience`
 * epochs without an improvement larger than `minDelta`, lr ← max(minLr, lr · factor) and the count restarts.
 * The new rate applies from the next epoch on.
 */
export interface PlateauOptions {
  factor: number;
  patience: number;
  minLr: number;
  minDelta?: number;
}

export interface PlateauState {
  best: number;
  wait: number;
}

export class ReduceLROnPlateau {
  best = Infinity;
  wait = 0;
  private readonly minDelta: number;

  constructor(private readonly o: PlateauOptions) {
    this.minDelta = o.minDelta ?? 0;
  }

  /** Records the epoch's monitored value and lowers `optimizer.lr` when the plateau is long enough. */
  onEpochEnd(monitored: number, optimizer: { lr: number }): void {
    if (monitored < this.best - this.minDelta) {
      this.best = monitored;
      this.wait = 0;
      return;
    }
    this.wait++;
    if (this.wait >= this.o.patience && optimizer.lr > this.o.minLr) {
      optimizer.lr = Math.max(this.o.minLr, optimizer.lr * this.o.factor);
      this.wait = 0;
    }
  }

  state(): PlateauState {
    return { best: this.best, wait: this.wait };
  }

  restore(s: PlateauState): void {
    this.best = s.best;
    this.wait = s.wait;
  }
}
