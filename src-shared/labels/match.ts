/**
 * Which video a row of exercise_scores.csv means. In order: the toolkit's path relative to its data root
 * (`exercises_train/squat_001.mp4`), the path the app shows (`imported/data/exercises_train/squat_001.mp4`,
 * what older exports wrote), then the file name when exactly one video has it. Several candidates at a
 * step make the row ambiguous, unless the CSV's own folder settles it (the video imported from
 * `<csv folder>/<relative_path>`): a path is never guessed.
 */
import type { CsvMatchedBy } from './csv';

export interface CsvVideo {
  id: number;
  /** The path the app shows (unique in a project). */
  relPath: string;
  /** The toolkit's data-root-relative path, when imported from its layout. */
  toolkitPath: string | null;
  /** Where the file was imported from (absolute, OS separators). */
  originalPath: string | null;
}

export type CsvMatch =
  | { kind: 'matched'; video: CsvVideo; by: CsvMatchedBy }
  | { kind: 'ambiguous'; by: CsvMatchedBy; candidates: CsvVideo[] }
  | { kind: 'unknown' };

const slashes = (p: string): string => p.replace(/\\/g, '/');
const fileName = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

function push<K>(map: Map<K, CsvVideo[]>, key: K, v: CsvVideo): void {
  const list = map.get(key);
  if (list) list.push(v);
  else map.set(key, [v]);
}

export class CsvVideoIndex {
  private readonly byToolkit = new Map<string, CsvVideo[]>();
  /** Windows and macOS users see Exercises_Train and exercises_train as one folder: so does the match. */
  private readonly byToolkitCi = new Map<string, CsvVideo[]>();
  private readonly byStored = new Map<string, CsvVideo[]>();
  private readonly byName = new Map<string, CsvVideo[]>();
  private readonly csvDir: string | null;

  /** `csvDir`: the folder the CSV was read from, when known (the data root it was written for). */
  constructor(videos: Iterable<CsvVideo>, csvDir?: string | null) {
    for (const v of videos) {
      const rel = slashes(v.relPath);
      if (v.toolkitPath) {
        push(this.byToolkit, slashes(v.toolkitPath), v);
        push(this.byToolkitCi, slashes(v.toolkitPath).toLowerCase(), v);
      }
      push(this.byStored, rel, v);
      push(this.byName, fileName(rel), v);
    }
    this.csvDir = csvDir ? slashes(csvDir).replace(/\/+$/, '') : null;
  }

  match(relativePath: string): CsvMatch {
    const p = slashes(relativePath);
    const steps: Array<[CsvMatchedBy, CsvVideo[] | undefined]> = [
      ['toolkit_path', this.byToolkit.get(p) ?? this.byToolkitCi.get(p.toLowerCase())],
      ['stored_path', this.byStored.get(p)],
      ['file_name', this.byName.get(fileName(p))],
    ];
    for (const [by, found] of steps) {
      if (!found || found.length === 0) continue;
      if (found.length === 1) return { kind: 'matched', video: found[0], by };
      const here = this.fromCsvFolder(p, found);
      return here ? { kind: 'matched', video: here, by } : { kind: 'ambiguous', by, candidates: found };
    }
    return { kind: 'unknown' };
  }

  /** The one candidate imported from `<csv folder>/<path>`, if there is exactly one. */
  private fromCsvFolder(p: string, found: CsvVideo[]): CsvVideo | null {
    if (!this.csvDir) return null;
    const want = `${this.csvDir}/${p}`;
    const hits = found.filter((v) => v.originalPath !== null && slashes(v.originalPath) === want);
    return hits.length === 1 ? hits[0] : null;
  }
}
