/** Finding videos in files/folders, with split and exercise type guessed from the toolkit's layout. */
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { guessExerciseType, type ExerciseType } from '../../src-shared/domain/exercises.js';
import type { VideoSplit } from '../../src-shared/media/types.js';

export const VIDEO_EXTENSIONS = ['.mp4', '.mov', '.avi', '.mkv'] as const;

export interface ScannedVideo {
  absPath: string;
  /** Relative to `root`, always with "/" separators (as in the toolkit's CSV: "exercises_train/squat_001.mp4"). */
  relPath: string;
  size: number;
  /** From a folder named exercises_train / exercises_test (or *_train / *_test, e.g. squats_train), else null. */
  split: VideoSplit | null;
  /** Guessed from the file name first, then from the folders (deepest first); null when nothing matches. */
  exerciseType: ExerciseType | null;
}

export interface ScanResult {
  root: string;
  videos: ScannedVideo[];
  /** Paths given that do not exist or are not videos / folders, with why. */
  skipped: Array<{ path: string; reason: string }>;
}

export function isVideoFile(name: string): boolean {
  return (VIDEO_EXTENSIONS as readonly string[]).includes(path.extname(name).toLowerCase());
}

export function splitFromPath(relPath: string): VideoSplit | null {
  const segs = relPath.split('/').slice(0, -1).reverse();
  for (const s of segs) {
    const l = s.toLowerCase();
    if (l === 'exercises_train' || l === 'train' || /_train$/.test(l)) return 'train';
    if (l === 'exercises_test' || l === 'test' || /_test$/.test(l)) return 'test';
  }
  return null;
}

export function exerciseFromPath(relPath: string): ExerciseType | null {
  const segs = relPath.split('/');
  for (let i = segs.length - 1; i >= 0; i--) {
    const seg = i === segs.length - 1 ? segs[i].replace(/\.[^.]+$/, '') : segs[i];
    const g = guessExerciseType(seg.replace(/([a-z])([A-Z])/g, '$1_$2'));
    if (g) return g;
  }
  return null;
}

function commonDir(paths: string[]): string {
  if (paths.length === 0) return process.cwd();
  const parts = paths.map((p) => p.split(path.sep));
  const first = parts[0];
  let i = 0;
  while (i < first.length && parts.every((p) => p[i] === first[i])) i++;
  return first.slice(0, i).join(path.sep) || path.sep;
}

/**
 * Scan files and folders (recursively; hidden folders and symlinked folders are not entered, so no loops).
 * `mediaRoot`: base for relative paths; default = the folder given (one folder) or the common parent.
 */
export async function scanForVideos(
  paths: string[],
  opts: { mediaRoot?: string; signal?: AbortSignal } = {},
): Promise<ScanResult> {
  const found: Array<{ abs: string; size: number }> = [];
  const skipped: ScanResult['skipped'] = [];
  const roots: string[] = [];
  const seen = new Set<string>();

  async function walk(dir: string): Promise<void> {
    if (opts.signal?.aborted) return;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      skipped.push({ path: dir, reason: `cannot read folder: ${(e as Error).message}` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!e.name.startsWith('.') && e.name !== 'node_modules') await walk(abs);
      } else if ((e.isFile() || e.isSymbolicLink()) && isVideoFile(e.name)) {
        try {
          const st = await stat(abs); // follows a symlinked file
          if (st.isFile() && !seen.has(abs)) {
            seen.add(abs);
            found.push({ abs, size: st.size });
          }
        } catch {
          skipped.push({ path: abs, reason: 'broken link' });
        }
      }
    }
  }

  for (const p0 of paths) {
    const p = path.resolve(p0);
    let st;
    try {
      st = await lstat(p);
      if (st.isSymbolicLink()) st = await stat(await realpath(p));
    } catch {
      skipped.push({ path: p, reason: 'not found' });
      continue;
    }
    if (st.isDirectory()) {
      roots.push(p);
      await walk(p);
    } else if (isVideoFile(p)) {
      roots.push(path.dirname(p));
      if (!seen.has(p)) {
        seen.add(p);
        found.push({ abs: p, size: st.size });
      }
    } else skipped.push({ path: p, reason: `not a video file (${VIDEO_EXTENSIONS.join(' ')})` });
  }
  const root = path.resolve(opts.mediaRoot ?? commonDir(roots));
  const videos = found.map(({ abs, size }) => {
    const relPath = path.relative(root, abs).split(path.sep).join('/');
    return { absPath: abs, relPath, size, split: splitFromPath(relPath), exerciseType: exerciseFromPath(relPath) };
  });
  return { root, videos, skipped };
}
