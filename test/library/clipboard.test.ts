import { describe, it, expect } from 'vitest';
import {
  copyText,
  copiedMessage,
  planFillDown,
  planPaste,
  type GridSnapshot,
} from '../../src-renderer/library/clipboard';
import type { VideoRow } from '../../src-shared/domain/video';

const mk = (id: number, type: string | null, score: number | null, split = 'train') =>
  ({
    id,
    relPath: `clips/v${id}.mp4`,
    split,
    durationSec: 2,
    label: { exerciseType: type, score, labeledBy: null, updatedAt: null },
    pose: { status: 'none' },
    prediction: null,
  }) as unknown as VideoRow;
const ALL = [mk(1, 'squat', 80), mk(2, null, null), mk(3, 'lunge', 55.5, 'test'), mk(4, null, null)];
const COLS = ['relPath', 'split', 'duration', 'exerciseType', 'score'];

function grid(over: Partial<GridSnapshot> = {}): GridSnapshot {
  return {
    rows: (from, count) => ALL.slice(from, from + count),
    columns: COLS,
    selected: [],
    focused: { rowIndex: 0, colId: 'score' },
    range: null,
    headerName: (c) => ({ relPath: 'File', duration: 'Duration' })[c] ?? c,
    ...over,
  };
}

describe('library clipboard', () => {
  it('copies the range, else the selected rows, else the focused cell', () => {
    expect(copyText(grid())).toBe('80');
    const range = { firstRow: 0, lastRow: 2, cols: ['thumb', 'exerciseType', 'score'] };
    expect(copyText(grid({ range }))).toBe('Squat\t80\n\t\nLunge\t55.5');
    expect(copiedMessage('a\tb\nc\td', range)).toBe('Copied 2 rows × 2 columns');
    const sel = copyText(grid({ selected: [ALL[0], ALL[2]] }))!.split('\n');
    expect(sel).toEqual(['clips/v1.mp4\ttrain\t2.00\tSquat\t80', 'clips/v3.mp4\ttest\t2.00\tLunge\t55.5']);
    expect(copyText(grid({ focused: null }))).toBeNull();
  });

  it('pastes a block from the focused cell, or from the range top-left; one value fills the selection', () => {
    expect(
      planPaste(grid({ focused: { rowIndex: 1, colId: 'exerciseType' } }), 'Deadlift\t91\nbench press\t48.5\n'),
    ).toEqual({
      kind: 'edit',
      edits: [
        { videoId: 2, exerciseType: 'deadlift', score: 91 },
        { videoId: 3, exerciseType: 'bench_press', score: 48.5 },
      ],
      label: 'Paste 2 rows',
    });
    const range = { firstRow: 2, lastRow: 3, cols: ['score'] };
    expect(planPaste(grid({ range }), '10\n20')).toMatchObject({
      kind: 'edit',
      edits: [
        { videoId: 3, score: 10 },
        { videoId: 4, score: 20 },
      ],
    });
    expect(planPaste(grid({ selected: [ALL[1], ALL[3]] }), '70')).toMatchObject({
      kind: 'edit',
      edits: [
        { videoId: 2, score: 70 },
        { videoId: 4, score: 70 },
      ],
    });
    expect(planPaste(grid({ selected: [ALL[1], ALL[3]], focused: { rowIndex: 0, colId: 'duration' } }), '70')).toEqual({
      kind: 'message',
      message: 'The Duration column cannot be edited.',
    });
    expect(planPaste(grid({ focused: null }), '1')).toMatchObject({ kind: 'message' });
    expect(planPaste(grid({ focused: { rowIndex: 0, colId: 'relPath' } }), 'x')).toEqual({
      kind: 'message',
      message: 'Nothing to paste into editable columns (split, exercise, score).',
    });
  });

  it('refuses an invalid paste whole, naming the grid row by its file', () => {
    const a = planPaste(grid({ focused: { rowIndex: 1, colId: 'score' } }), '77\n300\n');
    expect(a.kind).toBe('message');
    expect(a.kind === 'message' && a.message).toContain('Paste refused, nothing changed (1 invalid cell)');
    expect(a.kind === 'message' && a.message).toContain('clips/v3.mp4 score: Score must be between 0 and 100');
  });

  it('fills down: range top row, else focused value to the selection, else from the row above', () => {
    const range = { firstRow: 0, lastRow: 2, cols: ['exerciseType', 'score'] };
    expect(planFillDown(grid({ range }))).toEqual({
      kind: 'edit',
      edits: [
        { videoId: 2, exerciseType: 'squat', score: 80 },
        { videoId: 3, exerciseType: 'squat', score: 80 },
      ],
      label: 'Fill down 2 rows',
    });
    expect(planFillDown(grid({ selected: [ALL[0], ALL[3]] }))).toMatchObject({ edits: [{ videoId: 4, score: 80 }] });
    expect(planFillDown(grid({ focused: { rowIndex: 3, colId: 'split' } }))).toMatchObject({
      edits: [{ videoId: 4, split: 'test' }],
    });
    expect(planFillDown(grid({ focused: { rowIndex: 0, colId: 'score' } }))).toEqual({ kind: 'none' });
    expect(planFillDown(grid({ focused: { rowIndex: 1, colId: 'relPath' } }))).toMatchObject({ kind: 'message' });
  });
});
