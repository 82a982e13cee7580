/** A video row as the import job would store it, for seeding test and bench homes. Override what matters. */
import type { NewVideo } from '../../src-main/store/project-store';

export function videoRecord(relPath: string, extra: Partial<NewVideo> = {}): NewVideo {
  return {
    relPath,
    split: 'train',
    contentHash: `hash-${relPath}`,
    sizeBytes: 1000,
    durationSec: 10,
    fps: 30,
    frameCount: 300,
    width: 1280,
    height: 720,
    rotation: 0,
    codec: 'h264',
    status: 'ok',
    errorCode: null,
    errorMessage: null,
    source: 'import',
    groupKey: null,
    ...extra,
  };
}
