/**
 * The app's own files for the app:// protocol, read straight from disk. (Fetching file:// URLs with net.fetch
 * while the request filter cancels every non-app scheme worked only through an Electron bug: a fixed Electron
 * would load a blank window.) No Electron import: tested as is.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { resolveInside } from '../fs-safe';
import { contentSecurityPolicy } from '../web-host/security';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.tflite': 'application/octet-stream',
  '.task': 'application/octet-stream',
  '.bin': 'application/octet-stream',
  '.txt': 'text/plain; charset=utf-8',
};

/** Serve `pathname` (from an app:// URL) out of `rendererDir`: 400 malformed, 403 outside, 404 missing. */
export async function appFileResponse(rendererDir: string, pathname: string, method = 'GET'): Promise<Response> {
  let rel: string;
  try {
    rel = decodeURIComponent(pathname).replace(/^\/+/, '') || 'index.html';
  } catch {
    return new Response('Malformed path', { status: 400 });
  }
  const file = resolveInside(rendererDir, rel);
  if (!file) return new Response('Forbidden', { status: 403 });
  try {
    if (!(await stat(file)).isFile()) return new Response('Not found', { status: 404 });
  } catch {
    return new Response('Not found', { status: 404 });
  }
  const headers = new Headers({
    'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Security-Policy': contentSecurityPolicy(),
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Content-Type-Options': 'nosniff',
  });
  return new Response(method === 'HEAD' ? null : new Uint8Array(await readFile(file)), { status: 200, headers });
}
