/**
 * Cell values of the labeling grid as text: parsing what a coach types or pastes into an edit, and
 * formatting cells for copying. Tab-separated values, so blocks round-trip with spreadsheet apps.
 * Pure: no DOM, no grid.
 */
import type { LabelEdit } from '../../src-shared/api/contract';
import {
  EXERCISE_DISPLAY_NAMES,
  EXERCISE_TYPES,
  isExerciseType,
  type ExerciseType,
} from '../../src-shared/domain/exercises';
import { validateScore } from '../../src-shared/domain/scores';
import type { Split, VideoRow } from '../../src-shared/domain/video';

/** Columns a coach can edit, by grid column id. */
export const EDITABLE_COLUMNS = ['split', 'exerciseType', 'score'] as const;
export type EditableColumn = (typeof EDITABLE_COLUMNS)[number];

export function isEditableColumn(colId: string): colId is EditableColumn {
  return (EDITABLE_COLUMNS as readonly string[]).includes(colId);
}

export type FieldPatch = Omit<LabelEdit, 'videoId'>;
export type ParseResult = { ok: true; patch: FieldPatch } | { ok: false; message: string };

/** An exercise type from its id or display name (any case, spaces/dashes/underscores alike). Empty → null. */
export function parseExerciseType(
  text: string,
): { ok: true; value: ExerciseType | null } | { ok: false; message: string } {
  const t = text.trim();
  if (t === '') return { ok: true, value: null };
  const key = t.toLowerCase().replace(/[\s-]+/g, '_');
  if (isExerciseType(key)) return { ok: true, value: key };
  const norm = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, '');
  for (const type of EXERCISE_TYPES) {
    if (norm(EXERCISE_DISPLAY_NAMES[type]) === norm(t) || norm(type) === norm(t)) return { ok: true, value: type };
  }
  return {
    ok: false,
    message: `Unknown exercise type "${t}" (one of: ${EXERCISE_TYPES.map((x) => EXERCISE_DISPLAY_NAMES[x]).join(', ')})`,
  };
}

/** Exercise types matching what was typed so far, best first: prefix of display name or id, then substring. */
export function matchExerciseTypes(query: string): ExerciseType[] {
  const q = query
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '');
  if (q === '') return [...EXERCISE_TYPES];
  const name = (t: ExerciseType) => EXERCISE_DISPLAY_NAMES[t].toLowerCase().replace(/[\s_-]+/g, '');
  const id = (t: ExerciseType) => t.replace(/_/g, '');
  const prefix = EXERCISE_TYPES.filter((t) => name(t).startsWith(q) || id(t).startsWith(q));
  const inner = EXERCISE_TYPES.filter((t) => !prefix.includes(t) && (name(t).includes(q) || id(t).includes(q)));
  return [...prefix, ...inner];
}

/** Splits matching what was typed so far ("t" both, "te" test): the split editor's type-ahead. */
export function matchSplits(query: string): Split[] {
  const q = query.trim().toLowerCase();
  return (['train', 'test'] as const).filter((s) => s.startsWith(q));
}

export function parseSplit(text: string): { ok: true; value: Split } | { ok: false; message: string } {
  const t = text.trim().toLowerCase();
  if (t === 'train' || t === 'test') return { ok: true, value: t };
  return { ok: false, message: `Split must be "train" or "test" (got "${text.trim()}")` };
}

/** Parse typed or pasted text for an editable column. Empty text clears type and score. */
export function parseCell(col: EditableColumn, text: string): ParseResult {
  if (col === 'split') {
    const r = parseSplit(text);
    return r.ok ? { ok: true, patch: { split: r.value } } : r;
  }
  if (col === 'exerciseType') {
    const r = parseExerciseType(text);
    return r.ok ? { ok: true, patch: { exerciseType: r.value } } : r;
  }
  if (text.trim() === '') return { ok: true, patch: { score: null } };
  const v = validateScore(text.trim().replace(',', '.'));
  return v.ok ? { ok: true, patch: { score: v.value } } : { ok: false, message: v.message };
}

export function formatScore(score: number | null | undefined): string {
  if (score === null || score === undefined) return '';
  return Number.isInteger(score) ? String(score) : score.toFixed(1);
}

/** A cell as copied text. Editable cells copy in a form `parseCell` reads back. */
export function cellText(row: VideoRow, colId: string): string {
  switch (colId) {
    case 'relPath':
      return row.relPath;
    case 'split':
      return row.split;
    case 'duration':
      return row.durationSec == null ? '' : row.durationSec.toFixed(2);
    case 'exerciseType':
      return row.label.exerciseType ? EXERCISE_DISPLAY_NAMES[row.label.exerciseType] : '';
    case 'score':
      return formatScore(row.label.score);
    case 'labeled':
      return row.label.labeledBy ? `${row.label.labeledBy} ${row.label.updatedAt ?? ''}`.trim() : '';
    case 'pose':
      return poseText(row);
    case 'predScore':
      return row.prediction ? formatScore(Math.round(row.prediction.score * 10) / 10) : '';
    case 'predExercise':
      return row.prediction?.exerciseType ? EXERCISE_DISPLAY_NAMES[row.prediction.exerciseType] : '';
    case 'absError': {
      const e = absError(row);
      return e === null ? '' : e.toFixed(1);
    }
    default:
      return '';
  }
}

export function poseText(row: VideoRow): string {
  const p = row.pose;
  switch (p.status) {
    case 'none':
      return 'none';
    case 'extracting':
      return 'extracting…';
    case 'ok': {
      const text = p.personRate == null ? 'ok' : `ok · ${Math.round(p.personRate * 100)}% person`;
      return p.message ? `⚠ ${text}` : text; // a warning saved with good keypoints (two people…): in the tooltip
    }
    case 'no_pose':
      return 'no pose';
    case 'error':
      return `error${p.message ? `: ${p.message}` : ''}`;
  }
}

export function absError(row: VideoRow): number | null {
  if (!row.prediction || row.label.score == null) return null;
  return Math.abs(row.prediction.score - row.label.score);
}

function quoteTsv(s: string): string {
  return /[\t\n\r"]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toTsv(cells: string[][]): string {
  return cells.map((r) => r.map(quoteTsv).join('\t')).join('\n');
}

/** Parse TSV as spreadsheet apps put it on the clipboard (quoted fields may hold tabs/newlines). */
export function parseTsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  const s = text.replace(/\r\n?/g, '\n');
  while (i < s.length) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      i++;
    } else if (ch === '\t') {
      row.push(field);
      field = '';
      i++;
    } else if (ch === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else {
      field += ch;
      i++;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export interface PasteError {
  /** 1-based row of the pasted block. */
  row: number;
  /** The grid row it landed on, by file (what the coach sees). */
  file: string;
  col: string;
  message: string;
}

/**
 * Edits for a pasted block placed with its top-left at (rows[0], columns[0]). Non-editable target
 * columns are skipped (so a copied row pastes back onto its label cells). All or nothing: any invalid
 * cell gives errors and no edits.
 */
export function pasteEdits(
  block: string[][],
  targetRows: VideoRow[],
  columns: string[],
): { edits: LabelEdit[]; errors: PasteError[] } {
  const edits: LabelEdit[] = [];
  const errors: PasteError[] = [];
  for (let r = 0; r < block.length && r < targetRows.length; r++) {
    const row = targetRows[r];
    const edit: LabelEdit = { videoId: row.id };
    let any = false;
    for (let c = 0; c < block[r].length && c < columns.length; c++) {
      const col = columns[c];
      if (!isEditableColumn(col)) continue;
      const p = parseCell(col, block[r][c]);
      if (!p.ok) {
        errors.push({ row: r + 1, file: row.relPath, col, message: p.message });
        continue;
      }
      Object.assign(edit, p.patch);
      any = true;
    }
    if (any) edits.push(edit);
  }
  return errors.length > 0 ? { edits: [], errors } : { edits, errors };
}
