/**
 * The one media request handler, shared by Electron's `app://` protocol and the web host's `/media/` route.
 * It serves only project files (media root, cache) and supports HTTP Range so videos can seek.
 *
 * URL forms (after `/media/`):
 *   file/<relative path>   a file under the project's media root
 *   video/<id>             the video with that id (its preview proxy when one exists)
 *   cache/<relative path>  a derived file (thumbnail, preview, frame) under the cache folder
 *   thumb/<id>             the video's thumbnail (404 until it is made)
 *   session/<id>           a saved set's snapshot (the kind keeps its stored name)
 */
import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { extname } from 'node:path';
import { resolveInside } from './fs-safe';

const MIME: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.mov': 'video/quicktime',
  '.mkv': 'video/x-matroska',
  '.avi': 'video/x-msvideo',
  '.webm': 'video/webm',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.json': 'application/json',
  '.y4m': 'video/x-yuv4mpeg',
};

export interface MediaRoots {
  mediaRoot(): string;
  cacheRoot(): string;
  /** Absolute path to serve for a video id (preview proxy if needed), or null. */
  videoPath(id: number): string | null;
  /** Absolute path of a video's thumbnail, or null. */
  thumbPath(id: number): string | null;
  /** Absolute path of a saved set's snapshot, or null. */
  setSnapshot(id: number): string | null;
}

export function mediaMime(path: string): string {
  return MIME[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

function text(status: number, body: string): Response {
  return new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

/** `subpath` is the raw (still URL-encoded) path after `/media/`. */
export function handleMediaRequest(
  roots: MediaRoots,
  subpath: string,
  rangeHeader: string | null,
  method = 'GET',
): Response {
  if (method !== 'GET' && method !== 'HEAD') return text(405, 'Method not allowed');
  const slash = subpath.indexOf('/');
  const kind = slash < 0 ? subpath : subpath.slice(0, slash);
  const rest = slash < 0 ? '' : subpath.slice(slash + 1);
  let rel: string;
  try {
    rel = rest
      .split('/')
      .map((s) => decodeURIComponent(s))
      .join('/');
  } catch {
    return text(400, 'Malformed path');
  }
  let file: string | null = null;
  if (kind === 'file') file = resolveInside(roots.mediaRoot(), rel);
  else if (kind === 'cache') file = resolveInside(roots.cacheRoot(), rel);
  else if (kind === 'video') {
    if (!/^\d+$/.test(rel)) return text(400, 'Bad video id');
    file = roots.videoPath(Number(rel));
    if (file === null) return text(404, 'No such video');
  } else if (kind === 'thumb') {
    if (!/^\d+$/.test(rel)) return text(400, 'Bad video id');
    file = roots.thumbPath(Number(rel));
    if (file === null) return text(404, 'No thumbnail yet');
  } else if (kind === 'session') {
    if (!/^\d+$/.test(rel)) return text(400, 'Bad set id');
    file = roots.setSnapshot(Number(rel));
    if (file === null) return text(404, 'No snapshot');
  } else return text(404, 'Unknown media kind');
  if (file === null) return text(403, 'Path is outside the project');
  return serveFile(file, rangeHeader, method);
}

export function serveFile(file: string, rangeHeader: string | null, method = 'GET'): Response {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) return text(404, 'Not found');
    size = st.size;
  } catch {
    return text(404, 'Not found');
  }
  const headers = new Headers({
    'content-type': mediaMime(file),
    'accept-ranges': 'bytes',
    'cache-control': 'no-cache',
    'cross-origin-resource-policy': 'same-origin',
  });
  let start = 0;
  let end = size - 1;
  let status = 200;
  if (rangeHeader) {
    const m = /^bytes=(\d*)-(\d*)$/.exec(rangeHeader.trim());
    if (!m || (m[1] === '' && m[2] === '')) return rangeNotSatisfiable(size);
    if (m[1] === '') {
      const suffix = Number(m[2]);
      start = Math.max(0, size - suffix);
    } else {
      start = Number(m[1]);
      if (m[2] !== '') end = Math.min(Number(m[2]), size - 1);
    }
    if (start >= size || start > end) return rangeNotSatisfiable(size);
    status = 206;
    headers.set('content-range', `bytes ${start}-${end}/${size}`);
  }
  headers.set('content-length', String(size === 0 ? 0 : end - start + 1));
  if (method === 'HEAD' || size === 0) return new Response(null, { status, headers });
  const stream = Readable.toWeb(createReadStream(file, { start, end })) as ReadableStream<Uint8Array>;
  return new Response(stream, { status, headers });
}

function rangeNotSatisfiable(size: number): Response {
  return new Response(null, { status: 416, headers: { 'content-range': `bytes */${size}` } });
}

export { mediaUrlPath } from '../src-shared/api/media-url';
