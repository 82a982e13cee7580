import { describe, it, expect } from 'vitest';
import {
  matchSplits,
  parseCell,
  parseTsv,
  toTsv,
  pasteEdits,
  matchExerciseTypes,
  parseExerciseType,
} from '../../src-renderer/library/cells';
import type { VideoRow } from '../../src-shared/domain/video';

const rows = [1, 2, 3].map(
  (id) =>
    ({ id, relPath: `v${id}.mp4`, split: 'train', label: { exerciseType: null, score: null } }) as unknown as VideoRow,
);

describe('grid cells as text', () => {
  it('validates scores like the server (0–100, one decimal, numbers only)', () => {
    expect(parseCell('score', '85')).toEqual({ ok: true, patch: { score: 85 } });
    expect(parseCell('score', '72.5')).toEqual({ ok: true, patch: { score: 72.5 } });
    expect(parseCell('score', '72,5')).toEqual({ ok: true, patch: { score: 72.5 } });
    expect(parseCell('score', '')).toEqual({ ok: true, patch: { score: null } });
    for (const bad of ['101', '-1', '12.34', 'abc', '7x']) expect(parseCell('score', bad).ok).toBe(false);
  });

  it('reads exercise types by id or display name; type-ahead ranks prefixes first', () => {
    expect(parseExerciseType('Push-up')).toEqual({ ok: true, value: 'pushup' });
    expect(parseExerciseType('bench press')).toEqual({ ok: true, value: 'bench_press' });
    expect(parseExerciseType('JUMPING_JACK')).toEqual({ ok: true, value: 'jumping_jack' });
    expect(parseExerciseType('flying').ok).toBe(false);
    expect(matchExerciseTypes('pu')).toEqual(['pushup', 'pullup']);
    expect(matchExerciseTypes('pul')[0]).toBe('pullup');
    expect(matchExerciseTypes('press')).toEqual(['bench_press', 'overhead_press']);
    // The split editor's type-ahead reads the whole word, not just its first letter.
    expect(matchSplits('t')).toEqual(['train', 'test']);
    expect(matchSplits('te')).toEqual(['test']);
    expect(matchSplits('test')).toEqual(['test']);
    expect(matchSplits('tr')).toEqual(['train']);
    expect(matchSplits('x')).toEqual([]);
  });

  it('TSV round-trips, including quoted tabs and newlines (spreadsheet clipboard)', () => {
    const cells = [
      ['a', 'b\tc'],
      ['"q"', 'line\nbreak'],
    ];
    expect(parseTsv(toTsv(cells))).toEqual(cells);
    expect(parseTsv('1\t2\r\n3\t4\r\n')).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
  });

  it('pastes a block onto editable columns only, all or nothing', () => {
    const ok = pasteEdits(
      [
        ['x.mp4', 'Squat', '80'],
        ['y.mp4', 'lunge', '55.5'],
      ],
      rows,
      ['relPath', 'exerciseType', 'score'],
    );
    expect(ok.errors).toEqual([]);
    expect(ok.edits).toEqual([
      { videoId: 1, exerciseType: 'squat', score: 80 },
      { videoId: 2, exerciseType: 'lunge', score: 55.5 },
    ]);
    const bad = pasteEdits([['80'], ['300']], rows, ['score']);
    expect(bad.edits).toEqual([]);
    expect(bad.errors[0]).toMatchObject({ row: 2, file: 'v2.mp4', col: 'score' });
    // A block taller than the rows below stops at the last row.
    expect(pasteEdits([['1'], ['2'], ['3'], ['4']], rows, ['score']).edits.length).toBe(3);
  });
});
