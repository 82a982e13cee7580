import { describe, expect, it } from 'vitest';
import { inRange, isMultiCell, nextRange, rangeBounds } from '../../src-renderer/library/cell-range';

const COLS = ['relPath', 'split', 'duration', 'exerciseType', 'score', 'labeled'];

describe('cell range', () => {
  it('stretches from where it started while Shift is held, and ends without Shift', () => {
    let r = nextRange(null, { row: 2, col: 'exerciseType' }, { row: 3, col: 'exerciseType' }, true);
    expect(r).toEqual({ anchor: { row: 2, col: 'exerciseType' }, end: { row: 3, col: 'exerciseType' } });
    r = nextRange(r, { row: 3, col: 'exerciseType' }, { row: 3, col: 'score' }, true);
    expect(r).toEqual({ anchor: { row: 2, col: 'exerciseType' }, end: { row: 3, col: 'score' } });
    expect(nextRange(r, { row: 3, col: 'score' }, { row: 4, col: 'score' }, false)).toBeNull();
    expect(nextRange(null, null, { row: 0, col: 'score' }, true)).toBeNull();
  });

  it('gives rows and display-order columns whichever way it was drawn', () => {
    const b = rangeBounds({ anchor: { row: 5, col: 'score' }, end: { row: 1, col: 'split' } }, COLS)!;
    expect(b).toEqual({ firstRow: 1, lastRow: 5, cols: ['split', 'duration', 'exerciseType', 'score'] });
    expect(inRange(b, 3, 'duration')).toBe(true);
    expect(inRange(b, 0, 'duration')).toBe(false);
    expect(inRange(b, 3, 'labeled')).toBe(false);
    expect(inRange(null, 3, 'score')).toBe(false);
  });

  it('is gone when one of its columns is no longer shown, and one cell is not a range', () => {
    expect(rangeBounds({ anchor: { row: 0, col: 'pose' }, end: { row: 1, col: 'score' } }, COLS)).toBeNull();
    expect(isMultiCell({ anchor: { row: 1, col: 'score' }, end: { row: 1, col: 'score' } })).toBe(false);
    expect(isMultiCell({ anchor: { row: 1, col: 'score' }, end: { row: 2, col: 'score' } })).toBe(true);
    expect(isMultiCell(null)).toBe(false);
  });
});
