/** The downloader's HTTP(S) GET with redirects and an idle timeout, and its abortable backoff sleep. */
import http from 'node:http';
import https from 'node:https';
import { DatasetError } from './errors.js';

/** A failure worth another attempt (network error, idle timeout, early EOF, 5xx/429). */
export class RetryableError extends Error {}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new DatasetError('aborted', 'Download cancelled.'));
    const t = setTimeout(() => (signal?.removeEventListener('abort', onAbort), resolve()), ms);
    const onAbort = (): void => (clearTimeout(t), reject(new DatasetError('aborted', 'Download cancelled.')));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface Resp {
  res: http.IncomingMessage;
  req: http.ClientRequest;
}

export function request(
  url: string,
  headers: Record<string, string>,
  signal: AbortSignal | undefined,
  idleMs: number,
  redirects = 5,
): Promise<Resp> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const mod = u.protocol === 'https:' ? https : u.protocol === 'http:' ? http : null;
    if (!mod) return reject(new DatasetError('http_error', `Unsupported URL scheme: ${url}`));
    const req = mod.get(u, { headers: { 'user-agent': 'FormStudio/0.1', ...headers }, signal }, (res) => {
      const code = res.statusCode ?? 0;
      if ([301, 302, 303, 307, 308].includes(code) && res.headers.location) {
        res.resume();
        if (redirects <= 0) return reject(new DatasetError('http_error', `Too many redirects for ${url}`));
        return resolve(request(new URL(res.headers.location, u).toString(), headers, signal, idleMs, redirects - 1));
      }
      resolve({ res, req });
    });
    req.setTimeout(idleMs, () => req.destroy(new RetryableError(`no data for ${idleMs / 1000} s`)));
    req.on('error', reject);
  });
}
