/** Frames per second over a sliding one-second window. */
export class FpsMeter {
  private times: number[] = [];
  tick(now = performance.now()): void {
    this.times.push(now);
    while (this.times.length > 0 && now - this.times[0] > 1000) this.times.shift();
  }
  get fps(): number {
    if (this.times.length < 2) return 0;
    const span = this.times[this.times.length - 1] - this.times[0];
    return span > 0 ? ((this.times.length - 1) * 1000) / span : 0;
  }
}
