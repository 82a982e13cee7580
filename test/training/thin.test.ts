import { describe, it, expect } from 'vitest';
import { thin } from '../../src-renderer/training/thin';

describe('thin (batch curve points for the charts)', () => {
  it('keeps short curves as they are (the same array)', () => {
    const a = [1, 2, 3];
    expect(thin(a, 3)).toBe(a);
  });
  it('keeps at most max + 1 points, evenly spaced, first and last included', () => {
    const a = Array.from({ length: 1500 }, (_, i) => i);
    const t = thin(a, 300);
    expect(t.length).toBeLessThanOrEqual(301);
    expect(t.length).toBeGreaterThanOrEqual(250);
    expect(t[0]).toBe(0);
    expect(t[t.length - 1]).toBe(1499);
    const gaps = new Set(t.slice(1, -1).map((v, i) => v - t[i]));
    expect(gaps.size).toBe(1);
  });
  it('does not repeat the last point when it falls on the step', () => {
    expect(thin([0, 1, 2, 3, 4], 3)).toEqual([0, 2, 4]);
  });
});
