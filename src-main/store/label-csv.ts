/**
 * exercise_scores.csv against the project: preview (what would change, row by row, how each path matched),
 * apply (all or nothing), and the rows and bytes an export writes. An applied file's BOM, line ending and
 * row order are kept (a project setting) so exporting gives the toolkit the same file back.
 */
import type { Db } from './database';
import type { ExerciseType } from '../../src-shared/domain/exercises';
import type { LabelEdit } from '../../src-shared/api/contract';
import { ApiError } from '../../src-shared/api/errors';
import {
  type CsvFormat,
  type CsvLabelRow,
  type LabelCsvPreview,
  DEFAULT_CSV_FORMAT,
  detectCsvFormat,
  normalizeRelPath,
  parseLabelCsv,
} from '../../src-shared/labels/csv';
import { CsvVideoIndex, type CsvVideo } from '../../src-shared/labels/match';

/** Project setting: the format and row order of the last applied CSV. */
export const CSV_FORMAT_SETTING = 'labels.csvFormat';

interface StoredCsvFormat extends CsvFormat {
  /** Video ids in the file's row order. */
  order: number[];
}

/** What this module needs of the ProjectStore (kept structural so the two files do not import each other). */
export interface LabelCsvHost {
  readonly projectId: number;
  getSetting(key: string): unknown;
  setSetting(key: string, value: unknown): void;
  applyLabelEdits(edits: LabelEdit[], labeledBy: string): number[];
}

export interface CsvOptions {
  /** The folder the CSV was read from: settles a path that several imported data folders share. */
  csvDir?: string | null;
  /** Apply the matched rows even when some paths match no video or several (default: refuse). */
  allowUnknown?: boolean;
}

type Label = { exerciseType: ExerciseType | null; score: number | null };
type VideoWithLabel = CsvVideo & { label: Label | null };

function loadVideos(db: Db, projectId: number): VideoWithLabel[] {
  const rows = db
    .prepare(
      `SELECT v.id, v.rel_path, v.toolkit_path, v.original_path, l.video_id AS has_label, l.exercise_type, l.score
       FROM videos v LEFT JOIN labels l ON l.video_id = v.id WHERE v.project_id = ? ORDER BY v.rel_path`,
    )
    .all(projectId) as Array<{
    id: number;
    rel_path: string;
    toolkit_path: string | null;
    original_path: string | null;
    has_label: number | null;
    exercise_type: ExerciseType | null;
    score: number | null;
  }>;
  return rows.map((r) => ({
    id: r.id,
    relPath: normalizeRelPath(r.rel_path),
    toolkitPath: r.toolkit_path,
    originalPath: r.original_path,
    label: r.has_label === null ? null : { exerciseType: r.exercise_type, score: r.score },
  }));
}

export type CsvPreviewResult = LabelCsvPreview & { rows: CsvLabelRow[]; videoIds: Array<number | null> };

/** What applying `text` would change; nothing is written. */
export function previewLabelCsv(db: Db, host: LabelCsvHost, text: string, opts: CsvOptions = {}): CsvPreviewResult {
  const parsed = parseLabelCsv(text);
  const videos = loadVideos(db, host.projectId);
  const index = new CsvVideoIndex(videos, opts.csvDir);
  const out: CsvPreviewResult = {
    errors: [...parsed.errors],
    changes: [],
    counts: { new: 0, updated: 0, unchanged: 0, unknown_path: 0, ambiguous_path: 0 },
    rows: parsed.rows,
    videoIds: [],
  };
  const lineOf = new Map<number, number>();
  for (const r of parsed.rows) {
    const m = index.match(r.relativePath);
    const after = { exerciseType: r.exerciseType, score: r.score };
    if (m.kind !== 'matched') {
      const kind = m.kind === 'unknown' ? 'unknown_path' : 'ambiguous_path';
      out.counts[kind]++;
      out.videoIds.push(null);
      const candidates = m.kind === 'ambiguous' ? m.candidates.map((c) => c.relPath) : undefined;
      out.changes.push({
        line: r.line,
        relativePath: r.relativePath,
        kind,
        matchedBy: null,
        videoPath: null,
        ...(candidates ? { candidates } : {}),
        before: null,
        after,
      });
      continue;
    }
    const v = m.video as VideoWithLabel;
    const first = lineOf.get(v.id);
    if (first !== undefined) {
      out.errors.push({
        line: r.line,
        column: 'relative_path',
        message: `"${r.relativePath}" is the same video as line ${first} (${v.relPath})`,
      });
    } else lineOf.set(v.id, r.line);
    let kind: 'new' | 'updated' | 'unchanged';
    let before: Label | null = null;
    if (v.label === null || (v.label.exerciseType === null && v.label.score === null))
      kind = r.exerciseType === null && r.score === null ? 'unchanged' : 'new';
    else {
      before = v.label;
      kind = before.exerciseType === after.exerciseType && before.score === after.score ? 'unchanged' : 'updated';
    }
    out.counts[kind]++;
    out.videoIds.push(v.id);
    out.changes.push({
      line: r.line,
      relativePath: r.relativePath,
      kind,
      matchedBy: m.by,
      videoPath: v.relPath,
      before,
      after,
    });
  }
  out.errors.sort((a, b) => a.line - b.line);
  return out;
}

/** One line per unknown or ambiguous path: "line 4: exercises_train/x.mp4: no video has this path". */
export function unmatchedLines(preview: LabelCsvPreview): string[] {
  return preview.changes
    .filter((c) => c.kind === 'unknown_path' || c.kind === 'ambiguous_path')
    .map((c) =>
      c.kind === 'unknown_path'
        ? `line ${c.line}: ${c.relativePath}: no video has this path or file name`
        : `line ${c.line}: ${c.relativePath}: ambiguous, could be ${(c.candidates ?? []).join(', ')}`,
    );
}

/** Apply a CSV in one transaction (labels and the remembered format together); refuses on any error. */
export function applyLabelCsv(
  db: Db,
  host: LabelCsvHost,
  text: string,
  labeledBy: string,
  opts: CsvOptions = {},
): { applied: number; skipped: number } {
  const preview = previewLabelCsv(db, host, text, opts);
  if (preview.errors.length > 0) {
    throw new ApiError(
      'bad_input',
      `The CSV has ${preview.errors.length} error${preview.errors.length > 1 ? 's' : ''}; nothing was applied.`,
      preview.errors.map((e) => ({ path: `line ${e.line}${e.column ? ` (${e.column})` : ''}`, message: e.message })),
    );
  }
  const unmatched = unmatchedLines(preview);
  if (unmatched.length > 0 && !opts.allowUnknown) {
    throw new ApiError(
      'bad_input',
      `${unmatched.length} path${unmatched.length > 1 ? 's' : ''} in the CSV match no video or more than one; nothing was applied (allow unknown paths to apply the rest).`,
      preview.changes
        .filter((c) => c.kind === 'unknown_path' || c.kind === 'ambiguous_path')
        .map((c, i) => ({ path: `line ${c.line} (relative_path)`, message: unmatched[i] })),
    );
  }
  const edits: LabelEdit[] = [];
  preview.changes.forEach((c, i) => {
    const id = preview.videoIds[i];
    if (id !== null && (c.kind === 'new' || c.kind === 'updated'))
      edits.push({ videoId: id, exerciseType: c.after.exerciseType, score: c.after.score });
  });
  const format: StoredCsvFormat = {
    ...detectCsvFormat(text),
    order: preview.videoIds.filter((id): id is number => id !== null),
  };
  db.transaction(() => {
    if (edits.length > 0) host.applyLabelEdits(edits, labeledBy);
    host.setSetting(CSV_FORMAT_SETTING, format);
  })();
  return { applied: edits.length, skipped: unmatched.length };
}

function storedFormat(host: LabelCsvHost): StoredCsvFormat {
  const v = host.getSetting(CSV_FORMAT_SETTING) as Partial<StoredCsvFormat> | null;
  if (!v || typeof v !== 'object') return { ...DEFAULT_CSV_FORMAT, order: [] };
  return {
    bom: v.bom === true,
    eol: v.eol === '\r\n' ? '\r\n' : '\n',
    finalNewline: v.finalNewline !== false,
    order: Array.isArray(v.order) ? v.order.filter((n): n is number => typeof n === 'number') : [],
  };
}

/**
 * The rows an export writes: the toolkit's path where a video has one of its own (not shared with another
 * video), else the path the app shows; first in the order of the last applied file, then by path.
 */
export function labelCsvExport(
  db: Db,
  host: LabelCsvHost,
): { rows: Array<{ relativePath: string } & Label>; format: CsvFormat } {
  const videos = loadVideos(db, host.projectId);
  const toolkitUses = new Map<string, number>();
  for (const v of videos) if (v.toolkitPath) toolkitUses.set(v.toolkitPath, (toolkitUses.get(v.toolkitPath) ?? 0) + 1);
  const stored = new Set(videos.map((v) => v.relPath));
  const pathOf = (v: VideoWithLabel): string =>
    v.toolkitPath && toolkitUses.get(v.toolkitPath) === 1 && (!stored.has(v.toolkitPath) || v.toolkitPath === v.relPath)
      ? v.toolkitPath
      : v.relPath;
  const { order, ...format } = storedFormat(host);
  const rank = new Map(order.map((id, i) => [id, i]));
  const rows = videos.map((v) => ({
    id: v.id,
    relativePath: pathOf(v),
    exerciseType: v.label?.exerciseType ?? null,
    score: v.label?.score ?? null,
  }));
  rows.sort((a, b) => {
    const ra = rank.get(a.id) ?? Infinity;
    const rb = rank.get(b.id) ?? Infinity;
    if (ra !== rb) return ra - rb;
    return a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0;
  });
  return { rows: rows.map(({ id: _id, ...r }) => r), format };
}
