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

export type CsvChangeKind = 'new' | 'updated' | 'unchanged' | 'unknown_path';

export interface LabelCsvPreview {
  errors: CsvLineError[];
  changes: Array<{
    line: number;
    relativePath: string;
    kind: CsvChangeKind;
    before: { exerciseType: ExerciseType | null; score: number | null } | null;
    after: { exerciseType: ExerciseType | null; score: number | null };
  }>;
  counts: Record<CsvChangeKind, number>;
}

/** Normalize a relative path for matching: forward slashes, no leading ./ */
export function normalizeRelPath(p: string): string {
  return p.trim().replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}

export function parseLabelCsv(text: string): ParsedLabelCsv {
  const errors: CsvLineError[] = [];
  const rows: CsvLabelRow[] = [];
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') return { rows, errors: [{ line: 1, column: null, message: 'The file is empty; expected a header "relative_path,exercise_type,score"' }] };
  const result = Papa.parse<string[]>(body, { skipEmptyLines: 'greedy' });
  for (const e of result.errors) {
    errors.push({ line: (e.row ?? 0) + 1, column: null, message: `CSV syntax: ${e.message}` });
  }
  const data = result.data;
  const header = (data[0] ?? []).map((h) => h.trim().toLowerCase());
  const missing = CSV_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    errors.push({ line: 1, column: null, message: `Missing column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')} (header must be "relative_path,exercise_type,score")` });
    return { rows, errors };
  }
  const idx = Object.fromEntries(CSV_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<(typeof CSV_COLUMNS)[number], number>;
  // Papa does not report physical line numbers with skipEmptyLines; recover them from the raw text.
  const lineOfRow = physicalLineNumbers(body, data.length);
  const seen = new Map<string, number>();
  for (let r = 1; r < data.length; r++) {
    const rec = data[r];
    const line = lineOfRow[r] ?? r + 1;
    const rel = normalizeRelPath(rec[idx.relative_path] ?? '');
    if (rel === '') {
      errors.push({ line, column: 'relative_path', message: 'Empty relative_path' });
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

function physicalLineNumbers(text: string, count: number): number[] {
  // Walk the text the way a CSV reader does (quotes may span lines) and record the line each record starts on.
  const out: number[] = [];
  let line = 1;
  let inQuotes = false;
  let atRecordStart = true;
  let recordHasContent = false;
  for (let i = 0; i < text.length && out.length < count; i++) {
    const ch = text[i];
    if (atRecordStart && ch !== '\n' && ch !== '\r') {
      out.push(line);
      atRecordStart = false;
      recordHasContent = true;
    }
    if (ch === '"') inQuotes = !inQuotes;
    else if (ch === '\n') {
      line++;
      if (!inQuotes && recordHasContent) {
        atRecordStart = true;
        recordHasContent = false;
      }
    }
  }
  return out;
}

function formatScore(score: number | null): string {
  if (score === null) return '';
  return Number.isInteger(score) ? String(score) : score.toFixed(1);
}

/** Serialize rows to the toolkit's format (LF line endings, quoted only when needed). */
export function formatLabelCsv(rows: Array<{ relativePath: string; exerciseType: ExerciseType | null; score: number | null }>): string {
  return (
    Papa.unparse(
      {
        fields: [...CSV_COLUMNS],
        data: rows.map((r) => [r.relativePath, r.exerciseType ?? '', formatScore(r.score)]),
      },
      { newline: '\n' },
    ) + '\n'
  );
}
