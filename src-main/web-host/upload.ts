/**
 * Drag-and-drop import in browser mode: the page sends each dropped video with
 *   PUT /api/upload/<batch>/<relative path>   (raw bytes)
 * and it is staged under the home's cache (uploads/<batch>/…), where the ordinary import job then finds it
 * (videos.import of the batch folder), stores its own content-addressed copy and removes the staged batch.
 * Only video files, only inside that folder, and a file is renamed into place only when complete, so a
 * broken upload leaves nothing half-written behind.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { IncomingMessage } from 'node:http';
import { resolveInside } from '../fs-safe';
import { isVideoFile } from '../media/scan';
import { ApiError } from '../../src-shared/api/errors';

const MAX_BYTES = 8 * 1024 ** 3;
const BATCH = /^[A-Za-z0-9_-]{8,64}$/;

/** Stores one uploaded file; returns the batch folder to import. */
export async function receiveUpload(
  req: IncomingMessage,
  uploads: string,
  rel: string,
): Promise<{ folder: string; bytes: number }> {
  const [batch, ...rest] = rel.split('/');
  if (!BATCH.test(batch ?? '') || rest.length === 0)
    throw new ApiError('bad_input', 'Upload path must be <batch>/<file>');
  const relFile = rest.join('/');
  if (!isVideoFile(relFile)) throw new ApiError('bad_input', `Not a video file (.mp4 .mov .avi .mkv): ${relFile}`);
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > MAX_BYTES)
    throw new ApiError('bad_input', `${relFile} is larger than 8 GB`);
  await mkdir(join(uploads, batch), { recursive: true });
  const dest = resolveInside(uploads, `${batch}/${relFile}`);
  if (dest === null) throw new ApiError('bad_input', `Refused upload path: ${rel}`);
  await mkdir(dirname(dest), { recursive: true });
  const part = `${dest}.part`;
  let bytes = 0;
  try {
    await pipeline(
      req,
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          bytes += chunk.length;
          if (bytes > MAX_BYTES) throw new ApiError('bad_input', `${relFile} is larger than 8 GB`);
          yield chunk;
        }
      },
      createWriteStream(part, { flags: 'wx' }),
    );
    await rename(part, dest);
  } catch (err) {
    await rm(part, { force: true });
    throw err;
  }
  return { folder: join(uploads, batch), bytes };
}
