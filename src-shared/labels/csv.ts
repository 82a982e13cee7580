/**
 * The toolkit's label file, `data/exercise_scores.csv`: header `relative_path,exercise_type,score`.
 * UTF-8, quoted fields and CRLF accepted. Parsing uses papaparse (pure JS, runs in main and renderer).
 */
import Papa from 'papaparse';
import { isExerciseType, type ExerciseType } from '../domain/exercises';
import { validateScore } from '../domain/scores';

export const CSV_COLUMNS = ['relative_path', 'exercise_type', 'score'] as const;

export interface CsvLabelRow {
  /** 1-based line number in the file (header is line 1). */
  line: number;
  relativePath: string;
  exerciseType: ExerciseType | null;
  score: number | null;
}

export interface CsvLineError {
  line: number;
  column: string | null;
  message: string;
}

export interface ParsedLabelCsv {
  rows: CsvLabelRow[];
  errors: CsvLineError[];
}

export type CsvChangeKind = 'new' | 'updated' | 'unchanged' | 'unknown_path' | 'ambiguous_path';

/** How a CSV row found its video: the toolkit's data-root path, the path the app shows, or a unique file name. */
export type CsvMatchedBy = 'toolkit_path' | 'stored_path' | 'file_name';

export interface LabelCsvPreview {
  errors: CsvLineError[];
  changes: Array<{
    line: number;
    relativePath: string;
    kind: CsvChangeKind;
    /** null for an unknown or ambiguous path. */
    matchedBy: CsvMatchedBy | null;
    /** The matched video's path as the app shows it (null when unmatched). */
    videoPath: string | null;
    /** For an ambiguous path: the videos it could mean. */
    candidates?: string[];
    before: { exerciseType: ExerciseType | null; score: number | null } | null;
    after: { exerciseType: ExerciseType | null; score: number | null };
  }>;
  counts: Record<CsvChangeKind, number>;
}

/** The bytes around the rows: kept from an imported file so an export gives the same file back. */
export interface CsvFormat {
  bom: boolean;
  eol: '\n' | '\r\n';
  finalNewline: boolean;
}

export const DEFAULT_CSV_FORMAT: CsvFormat = { bom: false, eol: '\n', finalNewline: true };

/** BOM, line ending (the first one outside quotes) and whether the last line ends with one. */
export function detectCsvFormat(text: string): CsvFormat {
  const bom = text.startsWith('\uFEFF');
  let eol: CsvFormat['eol'] = '\n';
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && ch === '\n') {
      eol = text[i - 1] === '\r' ? '\r\n' : '\n';
      break;
    }
  }
  return { bom, eol, finalNewline: /\n$/.test(text) };
}

/**
 * A path that leaves the data root: absolute (`/x`, `C:/x`, `//server/x`) or with a `..` segment. The toolkit
 * joins relative_path to its data folder, so such a row can never name one of its videos.
 */
export function outsideDataRoot(p: string): boolean {
  return p.startsWith('/') || /^[a-zA-Z]:/.test(p) || p.split('/').includes('..');
}

/** Normalize a relative path for matching: forward slashes, no leading ./ */
export function normalizeRelPath(p: string): string {
  return p
    .trim()
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '');
}

export function parseLabelCsv(text: string): ParsedLabelCsv {
  const errors: CsvLineError[] = [];
  const rows: CsvLabelRow[] = [];
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '')
    return {
      rows,
      errors: [
        { line: 1, column: null, message: 'The file is empty; expected a header "relative_path,exercise_type,score"' },
      ],
    };
  // Parse every record (blank ones too) so each keeps its physical line, then drop the blank ones.
  const result = Papa.parse<string[]>(body);
  const starts = physicalLineNumbers(body, result.data.length);
  for (const e of result.errors) {
    if (e.code === 'UndetectableDelimiter') continue; // one-column files: Papa falls back to ',' (what we want)
    errors.push({ line: starts[e.row ?? 0] ?? (e.row ?? 0) + 1, column: null, message: `CSV syntax: ${e.message}` });
  }
  const kept = result.data
    .map((rec, i) => ({ rec, line: starts[i] ?? i + 1 }))
    .filter(({ rec }) => rec.some((f) => f.trim() !== ''));
  const data = kept.map((k) => k.rec);
  const header = (data[0] ?? []).map((h) => h.trim().toLowerCase());
  const missing = CSV_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    errors.push({
      line: 1,
      column: null,
      message: `Missing column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')} (header must be "relative_path,exercise_type,score")`,
    });
    return { rows, errors };
  }
  const idx = Object.fromEntries(CSV_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<
    (typeof CSV_COLUMNS)[number],
    number
  >;
  const seen = new Map<string, number>();
  for (let r = 1; r < data.length; r++) {
    const rec = data[r];
    const line = kept[r].line;
    const rel = normalizeRelPath(unescapeFormula(rec[idx.relative_path] ?? ''));
    if (rel === '') {
      errors.push({ line, column: 'relative_path', message: 'Empty relative_path' });
      continue;
    }
    if (outsideDataRoot(rel)) {
      errors.push({
        line,
        column: 'relative_path',
        message: `"${rel}" is outside the data root: relative_path is relative to the folder that holds exercises_train/ and exercises_test/ (e.g. exercises_train/squat_001.mp4)`,
      });
      continue;
    }
    const typeRaw = (rec[idx.exercise_type] ?? '').trim();
    let exerciseType: ExerciseType | null = null;
    if (typeRaw !== '') {
      const t = typeRaw.toLowerCase();
      if (!isExerciseType(t)) {
        errors.push({ line, column: 'exercise_type', message: `Unknown exercise type "${typeRaw}"` });
        continue;
      }
      exerciseType = t;
    }
    const scoreRaw = (rec[idx.score] ?? '').trim();
    let score: number | null = null;
    if (scoreRaw !== '') {
      const v = validateScore(scoreRaw);
      if (!v.ok) {
        errors.push({ line, column: 'score', message: v.message });
        continue;
      }
      score = v.value;
    }
    const prev = seen.get(rel);
    if (prev !== undefined) {
      errors.push({ line, column: 'relative_path', message: `Duplicate path "${rel}" (first on line ${prev})` });
      continue;
    }
    seen.set(rel, line);
    rows.push({ line, relativePath: rel, exerciseType, score });
  }
  return { rows, errors };
}

/** The physical line each record starts on: every line break outside quotes starts a record (CRLF counts once). */
function physicalLineNumbers(text: string, count: number): number[] {
  const out: number[] = [1];
  let line = 1;
  let inQuotes = false;
  for (let i = 0; i < text.length && out.length < count; i++) {
    const ch = text[i];
    if (ch === '"') inQuotes = !inQuotes;
    else if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) {
      line++;
      if (!inQuotes) out.push(line);
    }
  }
  return out;
}

/** Export escapes cells that a spreadsheet would run as a formula with a leading ' (OWASP); reading undoes it. */
const FORMULA_START = /^[=+\-@\t\r]/;

function unescapeFormula(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}

function formatScore(score: number | null): string {
  if (score === null) return '';
  return Number.isInteger(score) ? String(score) : score.toFixed(1);
}

/**
 * Serialize rows to the toolkit's format: its header, quoted only when needed (as Python's csv module does).
 * Line endings, BOM and the final newline follow `format` (LF, none, yes unless an imported file said otherwise).
 */
export function formatLabelCsv(
  rows: Array<{ relativePath: string; exerciseType: ExerciseType | null; score: number | null }>,
  format: CsvFormat = DEFAULT_CSV_FORMAT,
): string {
  const body = Papa.unparse(
    {
      fields: [...CSV_COLUMNS],
      data: rows.map((r) => [r.relativePath, r.exerciseType ?? '', formatScore(r.score)]),
    },
    { newline: format.eol, escapeFormulae: FORMULA_START },
  );
  return (format.bom ? '\uFEFF' : '') + body + (format.finalNewline ? format.eol : '');
}
