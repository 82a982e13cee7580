/**
 * Labelled landmark CSVs (e.g. the Exercise-Correction sets): a label column plus `<landmark>_x, _y, _z, _v`
 * columns for a subset of the 33 MediaPipe landmarks, one row per frame. Parsed with papaparse (runs in main and
 * renderer). Other tools name landmarks differently: `mapping` renames column prefixes (e.g. { LShoulder:
 * 'left_shoulder' }); `_visibility` is accepted for `_v`. x and y are required per landmark, z and v optional
 * (0 and 1). Problems are collected as messages that name what is missing; nothing is guessed silently.
 */
import Papa from 'papaparse';
import { LANDMARK_NAMES, LM, type Landmark } from '../keypoints/format';
import type { LandmarkName } from './learned';

export interface LandmarkCsvOptions {
  /** Column with the class label. Default 'label'. */
  labelColumn?: string;
  /** CSV column prefix → MediaPipe landmark name. Prefixes that already are MediaPipe names need no entry. */
  mapping?: Record<string, string>;
}

export interface LandmarkRow {
  /** 1-based line in the file (header = 1). */
  line: number;
  label: string;
  /** 33 landmarks; the ones the CSV does not have are NaN with visibility 0. */
  frame: Landmark[];
}

export interface LandmarkCsv {
  rows: LandmarkRow[];
  /** Landmarks with x and y columns, in MediaPipe order. */
  landmarks: LandmarkName[];
  /** Distinct labels with their row counts, in order of first appearance. */
  labelCounts: Record<string, number>;
}

export class LandmarkCsvError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'LandmarkCsvError';
  }
}

const AXES: Record<string, 'x' | 'y' | 'z' | 'v'> = { x: 'x', y: 'y', z: 'z', v: 'v', visibility: 'v' };

/** Parses the text; throws LandmarkCsvError listing every problem (no label column, a landmark without its y, bad numbers …). */
export function parseLandmarkCsv(text: string, opts: LandmarkCsvOptions = {}): LandmarkCsv {
  const labelColumn = opts.labelColumn ?? 'label';
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy' });
  const [header, ...body] = parsed.data;
  if (!header || !header.length) throw new LandmarkCsvError(['the file is empty (no header line)']);
  const problems: string[] = [];
  const cols = header.map((h) => h.trim());
  const labelIdx = cols.indexOf(labelColumn);
  if (labelIdx < 0)
    problems.push(
      `no '${labelColumn}' column (columns: ${cols.slice(0, 8).join(', ')}${cols.length > 8 ? ', …' : ''})`,
    );

  // column prefix → landmark, axis → column index
  const found = new Map<LandmarkName, Partial<Record<'x' | 'y' | 'z' | 'v', number>>>();
  const unknownPrefixes = new Set<string>();
  const known = new Set<string>(LANDMARK_NAMES);
  for (const [mapped, target] of Object.entries(opts.mapping ?? {})) {
    if (!known.has(target)) problems.push(`mapping '${mapped}' → '${target}': not a MediaPipe landmark name`);
  }
  cols.forEach((c, i) => {
    const m = /^(.+)_(x|y|z|v|visibility)$/i.exec(c);
    if (!m || i === labelIdx) return;
    const prefix = m[1]!;
    const name = opts.mapping?.[prefix] ?? prefix.toLowerCase();
    if (!known.has(name)) {
      unknownPrefixes.add(prefix);
      return;
    }
    const e = found.get(name as LandmarkName) ?? {};
    e[AXES[m[2]!.toLowerCase()]!] = i;
    found.set(name as LandmarkName, e);
  });
  if (unknownPrefixes.size) {
    problems.push(
      `columns for unknown landmarks: ${[...unknownPrefixes].join(', ')} (map them to MediaPipe names, e.g. mapping { "${[...unknownPrefixes][0]}": "left_shoulder" })`,
    );
  }
  for (const [name, axes] of found) {
    const missing = (['x', 'y'] as const).filter((a) => axes[a] === undefined).map((a) => `${name}_${a}`);
    if (missing.length) problems.push(`landmark ${name} has no ${missing.join(', ')} column`);
  }
  if (!found.size && labelIdx >= 0) problems.push('no landmark columns (<landmark>_x, <landmark>_y, …)');
  if (!body.length) problems.push('no data rows');
  if (problems.length) throw new LandmarkCsvError(problems);

  const landmarks = LANDMARK_NAMES.filter((n) => found.get(n)?.x !== undefined && found.get(n)?.y !== undefined);
  const rows: LandmarkRow[] = [];
  const labelCounts: Record<string, number> = {};
  const badLines: number[] = [];
  body.forEach((cells, r) => {
    const line = r + 2;
    const label = (cells[labelIdx] ?? '').trim();
    const frame: Landmark[] = Array.from({ length: 33 }, () => ({ x: NaN, y: NaN, z: NaN, visibility: 0 }));
    let bad = !label;
    for (const name of landmarks) {
      const a = found.get(name)!;
      const num = (i: number | undefined, dflt: number) =>
        i === undefined ? dflt : Number((cells[i] ?? '').trim() || NaN);
      const l: Landmark = { x: num(a.x, NaN), y: num(a.y, NaN), z: num(a.z, 0), visibility: num(a.v, 1) };
      if (![l.x, l.y, l.z, l.visibility].every(Number.isFinite)) bad = true;
      frame[LM[name]] = l;
    }
    if (bad) {
      badLines.push(line);
      return;
    }
    rows.push({ line, label, frame });
    labelCounts[label] = (labelCounts[label] ?? 0) + 1;
  });
  if (badLines.length) {
    const shown = badLines.slice(0, 5).join(', ') + (badLines.length > 5 ? ` … (${badLines.length} lines)` : '');
    throw new LandmarkCsvError([`empty label or non-numeric landmark values on line ${shown}`]);
  }
  return { rows, landmarks, labelCounts };
}
