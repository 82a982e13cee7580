/** Import orchestration: scan → hash → probe (with decode check), per video, continuing after failures. */
import type { ExerciseType } from '../../src-shared/domain/exercises.js';
import type { VideoProbe, VideoSplit } from '../../src-shared/media/types.js';
import { MediaError, type MediaErrorCode } from './errors.js';
import { findFfmpeg } from './ffmpeg.js';
import { hashFile, type HashMode } from './hash.js';
import { probe } from './probe.js';
import { scanForVideos, type ScanResult } from './scan.js';

interface ImportBase {
  absPath: string;
  relPath: string;
  split: VideoSplit | null;
  exerciseType: ExerciseType | null;
  size: number;
}

export type ImportRecord =
  | (ImportBase & {
      status: 'ok';
      probe: VideoProbe;
      contentHash: string;
      /** relPath of an earlier record in this batch, or the value `knownHashes` returned, with the same content. */
      duplicateOf: string | null;
    })
  /** Content `knownHashes` already has: not probed or checked again (it was when it was first imported). */
  | (ImportBase & { status: 'known'; contentHash: string; knownAs: string })
  | (ImportBase & { status: 'error'; code: MediaErrorCode | 'io'; message: string });

export interface ImportProgress {
  done: number;
  total: number;
  current: string | null;
  ok: number;
  failed: number;
}

export interface ImportOptions {
  mediaRoot?: string;
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  /** Parallel videos (default 2). */
  concurrency?: number;
  hashMode?: HashMode;
  /** Decode the first and last frame to catch truncated files (default true). */
  verifyDecode?: boolean;
  /** Look up hashes already in the library (e.g. the store): a file whose content it knows (returns an id/path
   * for) is recorded as `known`, without being probed again. */
  knownHashes?: (hash: string) => string | null | undefined;
}

export interface ImportResult {
  root: string;
  records: ImportRecord[];
  skipped: ScanResult['skipped'];
  /** true when the signal fired: `records` holds the videos finished before that. */
  cancelled: boolean;
}

/**
 * Import videos from files/folders. Never throws for a single bad video (it becomes an `error` record);
 * throws only MediaError('ffmpeg_missing') up front. Persisting the records is the caller's job.
 */
export async function importVideos(paths: string[], opts: ImportOptions = {}): Promise<ImportResult> {
  const tools = findFfmpeg();
  const scan = await scanForVideos(paths, { mediaRoot: opts.mediaRoot, signal: opts.signal });
  const total = scan.videos.length;
  const records: Array<ImportRecord | undefined> = new Array(total);
  const byHash = new Map<string, string>();
  let done = 0;
  let ok = 0;
  let failed = 0;
  let next = 0;
  const report = (current: string | null): void => opts.onProgress?.({ done, total, current, ok, failed });
  report(null);
  const worker = async (): Promise<void> => {
    while (next < total && !opts.signal?.aborted) {
      const i = next++;
      const v = scan.videos[i];
      report(v.relPath);
      const base: ImportBase = {
        absPath: v.absPath,
        relPath: v.relPath,
        split: v.split,
        exerciseType: v.exerciseType,
        size: v.size,
      };
      try {
        // Hashed first: content already in the library is not probed and decode-checked again (≈6 tool runs).
        const { hash } = await hashFile(v.absPath, { mode: opts.hashMode, signal: opts.signal });
        const knownAs = opts.knownHashes?.(hash);
        if (knownAs) {
          records[i] = { ...base, status: 'known', contentHash: hash, knownAs };
          ok++;
          done++;
          report(null);
          continue;
        }
        const p = await probe(v.absPath, { tools, signal: opts.signal, verifyDecode: opts.verifyDecode ?? true });
        // Thumbnails, previews and pose sampling need motion: say so now rather than fail later.
        if (p.frameCount < 2)
          throw new MediaError(
            'too_short',
            `${v.relPath} has only ${p.frameCount} frame (a still image?): import a video clip of at least 2 frames.`,
            v.absPath,
          );
        const dup = byHash.get(hash) ?? null;
        if (!byHash.has(hash)) byHash.set(hash, v.relPath);
        records[i] = { ...base, status: 'ok', probe: p, contentHash: hash, duplicateOf: dup };
        ok++;
      } catch (e) {
        if (opts.signal?.aborted) break;
        const code = e instanceof MediaError ? e.code : 'io';
        if (code === 'ffmpeg_missing') throw e;
        records[i] = { ...base, status: 'error', code, message: e instanceof Error ? e.message : String(e) };
        failed++;
      }
      done++;
      report(null);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 2) }, worker));
  return {
    root: scan.root,
    records: records.filter((r): r is ImportRecord => !!r),
    skipped: scan.skipped,
    cancelled: !!opts.signal?.aborted,
  };
}
