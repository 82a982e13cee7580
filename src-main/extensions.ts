import { existsSync } from 'node:fs';
import type { Services } from './services';
import { runImportJob, previewFile, thumbFile } from './library/import-job';
import { findFfmpeg } from './media/ffmpeg';

/** Plug the media capabilities into the services (kept apart so the store and API load without ffmpeg). */
export function installExtensions(services: Services): void {
  services.ext.importVideos = (ctx, s, paths, split) => runImportJob(ctx, s, paths, split);
  services.ext.ffmpegStatus = () => {
    try {
      const tools = findFfmpeg();
      return { available: true, path: tools.ffmpeg, message: null };
    } catch (err) {
      return { available: false, path: null, message: (err as Error).message };
    }
  };
  const derived = (make: (s: Services, hash: string) => string) => (s: Services, id: number) => {
    const row = s.store.videoById(id);
    if (!row?.contentHash) return null;
    const file = make(s, row.contentHash);
    return existsSync(file) ? file : null;
  };
  services.ext.previewPath = derived(previewFile);
  services.ext.thumbPath = derived(thumbFile);
}
