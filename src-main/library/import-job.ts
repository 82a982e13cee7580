/**
 * The "import videos" job: scan + probe + hash (media module), store each file's bytes once in the project's
 * content-addressed store (media/media-store.ts: our own read-only copy, never a link to the user's file),
 * record every video with its status and where it came from, then make thumbnails and browser-playable
 * previews in the background.
 */
import { mkdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { importVideos, type ImportRecord } from '../media/import';
import { thumbnail, needsPreview, previewTranscode } from '../media/preview';
import type { VideoProbe, VideoSplit } from '../../src-shared/media/types';
import type { ExerciseType } from '../../src-shared/domain/exercises';
import type { JobContext } from '../jobs';
import type { AppContext } from '../app-context';
import { ApiError } from '../../src-shared/api/errors';
import { isMediaError } from '../media/errors';
import { parseUcfName } from '../datasets/ucf101';
import { splitFromPath } from '../media/scan';
import { fullSha256Of, storagePath, storeMediaFile } from '../media/media-store';
import { chooseImportDir, toolkitPathOf } from './import-paths';
import { isStagedUpload } from './uploads';

/** Clips that share a source must never straddle train and validation: UCF-101 groups (_gNN_) are such sources. */
function groupKeyOf(relPath: string): string | null {
  const ucf = parseUcfName(relPath);
  return ucf ? `ucf101:${ucf.className}:g${String(ucf.group).padStart(2, '0')}` : null;
}

export function thumbFile(services: AppContext, contentHash: string): string {
  return join(services.paths.cache, 'thumbs', `${contentHash.replace(':', '-')}-320.jpg`);
}

export function previewFile(services: AppContext, contentHash: string): string {
  return join(services.paths.cache, 'previews', `${contentHash.replace(':', '-')}.mp4`);
}

/**
 * Rows and thumbnails show while an import runs (not only at its end): changed ids go out in batches,
 * at most about once a second, so a 10,000-file import does not flood the renderer.
 */
function changeBatcher(services: AppContext, everyMs = 1000) {
  let ids: number[] = [];
  let last = Date.now();
  const flush = () => {
    if (ids.length > 0) services.emit({ type: 'videos.changed', videoIds: ids });
    ids = [];
    last = Date.now();
  };
  return {
    add(id: number) {
      ids.push(id);
      if (Date.now() - last >= everyMs) flush();
    },
    flush,
  };
}

/**
 * Store one probed and hashed video (our own copy: media/media-store.ts) and record its row. The import job
 * and a keypoint shard's scratch project (which checks its videos itself and needs no thumbnails) share this.
 */
export async function addCheckedVideo(
  services: Pick<AppContext, 'store'>,
  v: {
    relPath: string;
    split: VideoSplit;
    contentHash: string;
    probe: VideoProbe;
    source: string;
    /** The user's file: read once, for our copy. */
    originalPath: string;
    toolkitPath: string | null;
    exerciseType: ExerciseType | null;
    groupKey: string | null;
  },
): Promise<{ id: number; file: string }> {
  const mediaRoot = services.store.mediaRoot;
  const stored = await storeMediaFile(mediaRoot, v.originalPath, fullSha256Of(v.contentHash));
  const { probe: p, ...meta } = v;
  const id = services.store.upsertVideo({
    ...meta,
    storageKey: stored.key,
    sizeBytes: p.size,
    durationSec: p.duration,
    fps: p.fps,
    frameCount: p.frameCount,
    width: p.displayWidth,
    height: p.displayHeight,
    rotation: p.rotation,
    codec: p.codec,
    status: 'ok',
    errorCode: null,
    errorMessage: null,
  });
  return { id, file: storagePath(mediaRoot, stored.key) };
}

export async function runImportJob(
  ctx: JobContext,
  services: AppContext,
  paths: string[],
  split: 'train' | 'test' | undefined,
): Promise<string> {
  let result;
  try {
    result = await importVideos(paths, {
      signal: ctx.signal,
      knownHashes: (h) => services.store.findByHash(h)?.relPath ?? null,
      onProgress: (p) =>
        ctx.progress(
          p.total ? (p.done / p.total) * 0.7 : null,
          p.current ? `Checking ${p.current}` : `${p.done}/${p.total} checked`,
        ),
    });
  } catch (err) {
    if (isMediaError(err)) throw new ApiError('unavailable', err.message);
    throw err;
  }
  if (result.records.length === 0) {
    const why = result.skipped.map((s) => `${s.path}: ${s.reason}`).join('; ');
    throw new ApiError(
      'not_found',
      why ? `No videos imported — ${why}` : 'No videos (.mp4 .mov .avi .mkv) found there',
    );
  }
  let added = 0;
  let failed = 0;
  let duplicates = 0;
  const ok: Array<{ id: number; file: string; hash: string; probe: VideoProbe }> = [];
  // Deterministic duplicate choice: the first path (sorted) with a given content wins. Content already in the
  // project is a duplicate whatever its name: its row (split, labels) is left exactly as it is.
  const sorted = [...(result.records as ImportRecord[])].sort((a, b) =>
    a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0,
  );
  const seenHashes = new Set<string>();
  const records: Array<Exclude<ImportRecord, { status: 'known' }>> = [];
  const rowsAdded = changeBatcher(services);
  for (const rec of sorted) {
    if (rec.status === 'known') {
      duplicates++;
      continue;
    }
    if (rec.status === 'ok') {
      if (seenHashes.has(rec.contentHash) || services.store.findByHash(rec.contentHash)) {
        duplicates++;
        continue;
      }
      seenHashes.add(rec.contentHash);
    }
    records.push(rec);
  }
  // Display paths never collide with another source's row: b/videos/clip.mp4 goes to "imported/videos (2)/".
  const dir = chooseImportDir(services.db, services.store.projectId, basename(result.root) || 'videos', records);
  for (const rec of records) {
    if (ctx.signal.aborted) break;
    const relPath = `${dir}/${rec.relPath}`;
    const toolkitPath = toolkitPathOf(result.root, rec.relPath);
    // Importing data/exercises_test itself: the folder's own name still decides the split.
    const videoSplit = rec.split ?? (toolkitPath ? splitFromPath(toolkitPath) : null) ?? split ?? 'train';
    const meta = { source: 'import', originalPath: rec.absPath, toolkitPath, exerciseType: rec.exerciseType };
    if (rec.status === 'ok') {
      const { id, file } = await addCheckedVideo(services, {
        ...meta,
        relPath,
        split: videoSplit,
        contentHash: rec.contentHash,
        probe: rec.probe,
        groupKey: groupKeyOf(rec.relPath),
      });
      ok.push({ id, file, hash: rec.contentHash, probe: rec.probe });
      rowsAdded.add(id);
      added++;
    } else {
      services.store.upsertVideo({
        ...meta,
        relPath,
        split: videoSplit,
        contentHash: null,
        storageKey: null,
        sizeBytes: rec.size,
        durationSec: null,
        fps: null,
        frameCount: null,
        width: null,
        height: null,
        rotation: null,
        codec: null,
        status: 'error',
        errorCode: rec.code,
        errorMessage: `${rec.message} (source: ${rec.absPath})`,
        groupKey: null,
      });
      failed++;
    }
  }
  services.emit({ type: 'videos.changed', videoIds: 'all' });
  services.emit({ type: 'project.changed' });
  // A browser-mode drop was staged in our cache: the store now holds its copy, so the batch goes.
  if (!ctx.signal.aborted)
    for (const p of paths) if (isStagedUpload(services.paths, p)) await rm(p, { recursive: true, force: true });

  // Thumbnails and previews: derived, cached by content hash; a failure here never fails the import.
  const thumbsMade = changeBatcher(services);
  for (let i = 0; i < ok.length && !ctx.signal.aborted; i++) {
    const v = ok[i];
    ctx.progress(0.7 + (0.3 * i) / ok.length, `Thumbnail and preview ${i + 1}/${ok.length}`);
    try {
      await thumbnail(v.file, {
        cacheDir: join(services.paths.cache, 'thumbs'),
        signal: ctx.signal,
        known: { contentHash: v.hash, probe: v.probe },
      });
      thumbsMade.add(v.id);
      if (needsPreview(v.probe).needed) {
        await mkdir(join(services.paths.cache, 'previews'), { recursive: true });
        await previewTranscode(v.file, previewFile(services, v.hash), {
          probe: v.probe,
          signal: ctx.signal,
          onProgress: (p) =>
            ctx.progress(
              0.7 + (0.3 * (i + p.fraction)) / ok.length,
              `Preview ${i + 1}/${ok.length}: ${Math.round(p.fraction * 100)}%`,
            ),
        });
      }
    } catch (err) {
      if (ctx.signal.aborted) break;
      console.warn(`[import] thumbnail/preview failed for ${v.file}: ${(err as Error).message}`);
    }
  }
  services.emit({ type: 'videos.changed', videoIds: ok.map((v) => v.id) });
  const parts = [`Imported ${added} video${added === 1 ? '' : 's'}`];
  if (failed) parts.push(`${failed} failed`);
  if (duplicates) parts.push(`${duplicates} duplicate${duplicates === 1 ? '' : 's'} skipped`);
  if (result.skipped.length)
    parts.push(`${result.skipped.length} other file${result.skipped.length === 1 ? '' : 's'} ignored`);
  return parts.join(', ');
}
