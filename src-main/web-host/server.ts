/**
 * Browser mode: the same services as the desktop app, served on 127.0.0.1 only, behind a per-launch token.
 *   GET  /?token=…          sets the token cookie once and redirects to the app
 *   POST /api/call/<name>   JSON in, ApiResult out
 *   GET  /api/events        server-sent events (ApiEvent per message)
 *   PUT  /api/upload/…      a dropped video into the project (upload.ts)
 *   GET  /media/…           project media (shared handler, HTTP Range)
 *   GET  /…                 the built renderer (dist/renderer)
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { Services } from '../services';
import { serveFile } from '../media-protocol';
import { resolveInside } from '../fs-safe';
import { checkRequest, contentSecurityPolicy, newToken, tokenCookieName } from './security';
import { receiveUpload } from './upload';
import { uploadsDir } from '../library/uploads';
import { ApiError } from '../../src-shared/api/errors';

export interface WebHostOptions {
  port?: number;
  /** Folder of the built renderer. */
  rendererDir: string;
  token?: string;
}

export interface WebHost {
  server: Server;
  port: number;
  token: string;
  /** URL with the token, to open once in a browser. */
  url: string;
  close(): Promise<void>;
}

const STATIC_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.task': 'application/octet-stream',
  '.tflite': 'application/octet-stream',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.data': 'application/octet-stream',
  '.binarypb': 'application/octet-stream',
};

function securityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', contentSecurityPolicy());
  // Cross-origin isolation gives SharedArrayBuffer, which WASM threads need.
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('Request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function sendResponse(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((v, k) => res.setHeader(k, v));
  if (!response.body) {
    res.end();
    return;
  }
  const nodeStream = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream);
  nodeStream.on('error', () => res.destroy());
  res.on('close', () => nodeStream.destroy());
  nodeStream.pipe(res);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(JSON.stringify(body));
}

export async function startWebHost(services: Services, options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? newToken();
  const rendererDir = resolve(options.rendererDir);
  let port = 0;

  const server = createServer((req, res) => {
    void handle(req, res).catch((err) => {
      if (!res.headersSent)
        json(res, 500, { ok: false, error: { code: 'internal', message: String((err as Error)?.message ?? err) } });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    securityHeaders(res);
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const gate = checkRequest(req, port, token, url);
    if (!gate.ok) {
      res.statusCode = gate.status;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end(
        gate.status === 401
          ? 'Unauthorized: open the URL with the token printed by `npm start`.'
          : `Forbidden: ${gate.reason}`,
      );
      return;
    }
    // First visit with ?token=: keep it in an HttpOnly cookie and drop it from the address bar.
    if (url.searchParams.has('token') && req.method === 'GET') {
      res.setHeader('Set-Cookie', `${tokenCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`);
      url.searchParams.delete('token');
      res.statusCode = 303;
      res.setHeader('Location', url.pathname + (url.search || ''));
      res.end();
      return;
    }
    const path = url.pathname;
    if (path.startsWith('/api/call/')) {
      if (req.method !== 'POST')
        return json(res, 405, { ok: false, error: { code: 'bad_input', message: 'Use POST' } });
      if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
        return json(res, 415, {
          ok: false,
          error: { code: 'bad_input', message: 'Content-Type must be application/json' },
        });
      let input: unknown;
      try {
        const body = await readBody(req, 64 * 1024 * 1024);
        input = body === '' ? {} : JSON.parse(body);
      } catch (err) {
        return json(res, 400, {
          ok: false,
          error: { code: 'bad_input', message: `Malformed JSON: ${(err as Error).message}` },
        });
      }
      let name: string;
      try {
        name = decodeURIComponent(path.slice('/api/call/'.length));
      } catch {
        return json(res, 400, {
          ok: false,
          error: { code: 'bad_input', message: 'Malformed API call name in the URL' },
        });
      }
      const result = await services.call(name, input);
      const status = result.ok
        ? 200
        : result.error.code === 'bad_input'
          ? 400
          : result.error.code === 'not_found'
            ? 404
            : result.error.code === 'internal'
              ? 500
              : 409;
      return json(res, status, result);
    }
    if (path === '/api/events') return events(req, res);
    if (path.startsWith('/api/upload/')) {
      if (req.method !== 'PUT') return json(res, 405, { ok: false, error: { code: 'bad_input', message: 'Use PUT' } });
      try {
        const value = await receiveUpload(
          req,
          uploadsDir(services.paths),
          decodeURIComponent(path.slice('/api/upload/'.length)),
        );
        return json(res, 200, { ok: true, value });
      } catch (err) {
        if (err instanceof ApiError) return json(res, 400, { ok: false, error: err.toBody() });
        return json(res, 500, {
          ok: false,
          error: { code: 'io_error', message: `Upload failed: ${(err as Error).message}` },
        });
      }
    }
    if (path.startsWith('/media/')) {
      const response = services.media(
        path.slice('/media/'.length),
        (req.headers.range as string | undefined) ?? null,
        req.method,
      );
      return sendResponse(res, response);
    }
    return serveStatic(req, res, path);
  }

  function events(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    const unsubscribe = services.subscribe((e) => res.write(`data: ${JSON.stringify(e)}\n\n`));
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(ping);
      unsubscribe();
    });
  }

  async function serveStatic(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.statusCode = 405;
      res.end();
      return;
    }
    let rel: string;
    try {
      rel = decodeURIComponent(path).replace(/^\/+/, '');
    } catch {
      res.statusCode = 400;
      res.end('Malformed path');
      return;
    }
    let file = rel === '' ? join(rendererDir, 'index.html') : resolveInside(rendererDir, rel);
    if (file === null) {
      res.statusCode = 403;
      res.end('Forbidden');
      return;
    }
    if (!existsSync(file) || !statSync(file).isFile()) {
      // Client-side routes fall back to the app; missing assets are 404.
      if (rel.includes('.')) {
        res.statusCode = 404;
        res.end('Not found');
        return;
      }
      file = join(rendererDir, 'index.html');
      if (!existsSync(file)) {
        res.statusCode = 500;
        res.end('The renderer is not built: run `npm run build`.');
        return;
      }
    }
    const ext = file.slice(file.lastIndexOf('.')).toLowerCase();
    // Assets are revalidated (no-cache) against an ETag: each pose worker fetches the same 11 MB wasm and 9 MB
    // model, and the second and later get 304 and the browser's cached copy instead of the bytes again.
    const st = statSync(file);
    const etag = `W/"${st.size.toString(36)}-${Math.round(st.mtimeMs).toString(36)}"`;
    if (ext !== '.html' && req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag, 'cache-control': 'no-cache' });
      res.end();
      return;
    }
    const response = serveFile(file, (req.headers.range as string | undefined) ?? null, req.method);
    const headers = new Headers(response.headers);
    headers.set('content-type', STATIC_TYPES[ext] ?? headers.get('content-type') ?? 'application/octet-stream');
    headers.set('cache-control', ext === '.html' ? 'no-store' : 'no-cache');
    if (ext !== '.html') headers.set('etag', etag);
    await sendResponse(res, new Response(response.body, { status: response.status, headers }));
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
