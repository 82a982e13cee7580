import { describe, expect, it } from 'vitest';
import { wholeClipCount } from '../../src-renderer/pose/clip-schedule';

/** Frames each worker runs when whole clips go to the next free worker and the rest are split evenly. */
function load(clips: number, workers: number, frames = 24): number[] {
  const w = new Array<number>(workers).fill(0);
  const whole = wholeClipCount(clips, workers);
  for (let c = 0; c < clips; c++) {
    if (c < whole) w[w.indexOf(Math.min(...w))] += frames;
    else for (let j = 0; j < workers; j++) w[j] += frames / workers;
  }
  return w;
}

describe('wholeClipCount', () => {
  it('splits every clip on one worker or when there are too few clips to share', () => {
    expect(wholeClipCount(10, 1)).toBe(0);
    expect(wholeClipCount(1, 2)).toBe(0);
    expect(wholeClipCount(3, 2)).toBe(0);
    expect(wholeClipCount(5, 4)).toBe(0);
  });

  it('runs clips whole in a multiple of the workers and splits the last k..2k-1', () => {
    expect(wholeClipCount(4, 2)).toBe(2);
    expect(wholeClipCount(6, 2)).toBe(4);
    expect(wholeClipCount(7, 2)).toBe(4);
    expect(wholeClipCount(100, 2)).toBe(98);
    expect(wholeClipCount(11, 4)).toBe(4);
    for (let n = 1; n <= 40; n++)
      for (let k = 2; k <= 4; k++) {
        const split = n - wholeClipCount(n, k);
        expect(wholeClipCount(n, k) % k).toBe(0);
        if (n >= k) expect(split).toBeGreaterThanOrEqual(k);
        expect(split).toBeLessThan(2 * k);
        // every worker ends with the same number of frames
        const w = load(n, k);
        expect(Math.max(...w) - Math.min(...w)).toBe(0);
      }
  });
});
