import { describe, it, expect } from 'vitest';
import { formatEta } from '../../src-renderer/app/eta';

describe('status bar ETA', () => {
  it('estimates linearly, in s / min / h, and says nothing too early or when done', () => {
    expect(formatEta(10_000, 0.5)).toBe('about 10 s left');
    expect(formatEta(60_000, 0.25)).toBe('about 3 min left');
    expect(formatEta(3_600_000, 0.4)).toBe('about 1 h 30 min left');
    expect(formatEta(1000, 0.01)).toBe('');
    expect(formatEta(1000, 1)).toBe('');
    expect(formatEta(0, 0.5)).toBe('');
  });
});
