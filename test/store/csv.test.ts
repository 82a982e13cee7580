import { describe, expect, it } from 'vitest';
import { detectCsvFormat, formatLabelCsv, parseLabelCsv } from '../../src-shared/labels/csv';

describe('toolkit label CSV', () => {
  it('parses the toolkit format with quotes, CRLF, BOM and empty scores', () => {
    const text =
      '\uFEFFrelative_path,exercise_type,score\r\n"exercises_train/squat, deep.mp4",squat,85\r\nexercises_train/a.mp4,pushup,\r\n./exercises_test/b.mp4,,72.5\r\n';
    const { rows, errors } = parseLabelCsv(text);
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      { line: 2, relativePath: 'exercises_train/squat, deep.mp4', exerciseType: 'squat', score: 85 },
      { line: 3, relativePath: 'exercises_train/a.mp4', exerciseType: 'pushup', score: null },
      { line: 4, relativePath: 'exercises_test/b.mp4', exerciseType: null, score: 72.5 },
    ]);
  });

  it('reports line-numbered errors: bad score, unknown type, duplicate path, missing column', () => {
    const text = [
      'relative_path,exercise_type,score',
      'a.mp4,squat,101',
      'b.mp4,yoga,50',
      'c.mp4,squat,abc',
      'd.mp4,squat,50',
      '',
      'd.mp4,lunge,60',
      'e.mp4,squat,55.55',
    ].join('\n');
    const { rows, errors } = parseLabelCsv(text);
    expect(rows.map((r) => r.relativePath)).toEqual(['d.mp4']);
    expect(errors.map((e) => [e.line, e.column])).toEqual([
      [2, 'score'],
      [3, 'exercise_type'],
      [4, 'score'],
      [7, 'relative_path'],
      [8, 'score'],
    ]);
    expect(errors[0].message).toContain('between 0 and 100');
    expect(errors[1].message).toContain('Unknown exercise type "yoga"');
    expect(errors[3].message).toContain('first on line 5');
    const missing = parseLabelCsv('path,score\na.mp4,3\n');
    expect(missing.errors[0]).toMatchObject({ line: 1 });
    expect(missing.errors[0].message).toContain('exercise_type');
    expect(parseLabelCsv('').errors[0].message).toContain('empty');
  });

  it('round-trips losslessly', () => {
    const rows = [
      { relativePath: 'exercises_train/squat "quoted".mp4', exerciseType: 'squat' as const, score: 85 },
      { relativePath: 'exercises_test/ünïcødé, comma.mp4', exerciseType: 'dumbbell_curl' as const, score: 72.5 },
      { relativePath: 'x.mp4', exerciseType: null, score: null },
    ];
    const text = formatLabelCsv(rows);
    expect(text.startsWith('relative_path,exercise_type,score\n')).toBe(true);
    const back = parseLabelCsv(text);
    expect(back.errors).toEqual([]);
    expect(back.rows.map(({ line: _l, ...r }) => r)).toEqual(rows);
    expect(formatLabelCsv(back.rows)).toBe(text);
  });

  it('reports physical line numbers after blank, whitespace-only and ",," lines', () => {
    const text = [
      'relative_path,exercise_type,score',
      '',
      ',,',
      '   ',
      'a.mp4,squat,50',
      'b.mp4,squat,abc',
      '"multi',
      'line.mp4",squat,200',
    ].join('\r\n');
    const { rows, errors } = parseLabelCsv(text);
    expect(rows).toEqual([{ line: 5, relativePath: 'a.mp4', exerciseType: 'squat', score: 50 }]);
    expect(errors.map((e) => [e.line, e.column])).toEqual([
      [6, 'score'],
      [7, 'score'],
    ]);
  });

  it('accepts plain decimal scores only', () => {
    for (const bad of ['0x1F', '0b11', '0o7', '1e1', '+5', 'Infinity', '5.', ' 7 7']) {
      const { errors } = parseLabelCsv(`relative_path,exercise_type,score\na.mp4,squat,${bad}\n`);
      expect(
        errors.map((e) => e.column),
        bad,
      ).toEqual(['score']);
    }
    const ok = parseLabelCsv('relative_path,exercise_type,score\na.mp4,squat,85\nb.mp4,squat,72.5\nc.mp4,squat,0\n');
    expect(ok.rows.map((r) => r.score)).toEqual([85, 72.5, 0]);
  });

  it('escapes cells a spreadsheet would run as a formula, and reads them back', () => {
    const rows = ['=HYPERLINK("http://x")', '+1.mp4', '-2.mp4', '@SUM(A1).mp4', 'plain.mp4'].map((p) => ({
      relativePath: p,
      exerciseType: null,
      score: null,
    }));
    const text = formatLabelCsv(rows);
    const cells = text
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[0]);
    for (const c of cells.slice(0, 4)) expect(c.replace(/^"/, '').startsWith("'")).toBe(true);
    expect(cells[4]).toBe('plain.mp4');
    expect(parseLabelCsv(text).rows.map((r) => r.relativePath)).toEqual(rows.map((r) => r.relativePath));
  });

  it("keeps a file's BOM, line ending and final newline when asked, so the same rows give the same bytes", () => {
    for (const text of [
      '\uFEFFrelative_path,exercise_type,score\r\nexercises_train/a.mp4,squat,85\r\n"exercises_test/b, c.mp4",,72.5\r\n',
      'relative_path,exercise_type,score\nexercises_train/a.mp4,squat,85\nexercises_test/b.mp4,pushup,',
      'relative_path,exercise_type,score\r\n"multi\nline.mp4",squat,1\r\n',
    ]) {
      const format = detectCsvFormat(text);
      expect(formatLabelCsv(parseLabelCsv(text).rows, format)).toBe(text);
    }
    expect(detectCsvFormat('a\r\nb')).toEqual({ bom: false, eol: '\r\n', finalNewline: false });
  });
});
