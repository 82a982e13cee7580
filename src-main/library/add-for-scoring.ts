/** `score <video>`: find the video in the project by content, or add it as test data, touching no other row. */
import type { Services } from '../services';
import type { VideoRow } from '../../src-shared/domain/video';
import type { JobInfo } from '../../src-shared/domain/jobs';
import { ApiError } from '../../src-shared/api/errors';
import { hashFile } from '../media/hash';

async function waitJob(services: Services, jobId: string): Promise<JobInfo> {
  for (;;) {
    const job = services.jobs.list().find((j) => j.id === jobId);
    if (job && job.state !== 'running') return job;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The project's row for `file`'s content when it is already there and was read fine at import (its probe
 * and decode check passed then): `score` skips probing it again (ffmpeg discovery + ffprobe ≈ 1.2 s).
 */
export async function knownVideo(services: Services, file: string): Promise<VideoRow | null> {
  const known = services.store.findByHash((await hashFile(file)).hash);
  const row = known ? services.store.videoById(known.id) : null;
  return row && row.status !== 'error' ? row : null;
}

/**
 * The row to score for `file`. Content already in the project: that row, its split and labels as they are.
 * New content: imported into the test split (its own display path, so no other row changes).
 */
export async function videoForScoring(services: Services, file: string): Promise<VideoRow> {
  const r = await videoRowForScoring(services, file);
  await r.imported;
  return r.row;
}

/**
 * Like videoForScoring, but returns as soon as the row is recorded: the import's thumbnail and preview are
 * still being made (`imported` settles when the import job has finished; the caller awaits it before exiting).
 */
export async function videoRowForScoring(
  services: Services,
  file: string,
): Promise<{ row: VideoRow; imported: Promise<void> }> {
  const { hash } = await hashFile(file);
  const known = services.store.findByHash(hash);
  if (known) return { row: services.ctx.requireVideo(known.id), imported: Promise.resolve() };
  const jobId = (await services.invoke('videos.import', { paths: [file], split: 'test' })).jobId;
  const job = waitJob(services, jobId);
  job.catch(() => undefined);
  for (;;) {
    const found = services.store.findByHash(hash);
    const row = found ? services.store.videoById(found.id) : null;
    if (row) return { row, imported: job.then(() => undefined) };
    const j = services.jobs.list().find((x) => x.id === jobId);
    if (j && j.state !== 'running') {
      if (j.state !== 'done') throw new ApiError('io_error', j.message ?? 'Import failed');
      throw new ApiError('bad_input', `${file}: the video could not be read`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
