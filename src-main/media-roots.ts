/** Where the media handler finds a project's files: originals, previews, thumbnails, saved sets' snapshots. */
import { existsSync } from 'node:fs';
import type { AppContext } from './app-context';
import type { MediaRoots } from './media-protocol';
import { storedFileOf } from './library/media-files';
import { previewFile, thumbFile } from './library/import-job';
import { setSnapshotPath } from './sets/handlers';

export function projectMediaRoots(ctx: AppContext): MediaRoots {
  /** A file derived from a video's content (preview, thumbnail), when it has been made. */
  const derived = (make: (c: AppContext, hash: string) => string) => (id: number) => {
    const row = ctx.store.videoById(id);
    if (!row?.contentHash) return null;
    const file = make(ctx, row.contentHash);
    return existsSync(file) ? file : null;
  };
  const preview = derived(previewFile);
  return {
    mediaRoot: () => ctx.store.mediaRoot,
    cacheRoot: () => ctx.paths.cache,
    videoPath: (id) => {
      const p = preview(id);
      if (p) return p;
      const row = ctx.store.videoById(id);
      return row ? storedFileOf(ctx.store.mediaRoot, row) : null;
    },
    thumbPath: derived(thumbFile),
    setSnapshot: (id) => setSnapshotPath(ctx, id),
  };
}
