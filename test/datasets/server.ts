/** A real HTTP server on 127.0.0.1 serving fixture files, with injectable faults. */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault =
  | { kind: 'drop'; afterBytes: number; times: number } // destroy the socket mid-body (first `times` requests)
  | { kind: 'ignoreRange' } // always 200 with the full body
  | { kind: 'status'; status: number; times: number } // reply with a status (e.g. 503) first `times` requests
  | { kind: 'slow'; chunk: number; everyMs: number }
  | { kind: 'notFound' };

export interface Route {
  file: string;
  fault?: Fault;
}

export interface Served {
  url: (p: string) => string;
  /** Range header (or null) of every request, per path. */
  ranges: Map<string, Array<string | null>>;
  requests: () => number;
  close: () => Promise<void>;
}

export async function serve(routes: Record<string, Route>): Promise<Served> {
  const ranges = new Map<string, Array<string | null>>();
  const counts = new Map<string, number>();
  let total = 0;
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    const p = new URL(req.url ?? '/', 'http://x').pathname;
    total++;
    const n = (counts.get(p) ?? 0) + 1;
    counts.set(p, n);
    const range = (req.headers.range as string | undefined) ?? null;
    ranges.set(p, [...(ranges.get(p) ?? []), range]);
    const route = routes[p];
    if (!route || route.fault?.kind === 'notFound') return res.writeHead(404).end('not found');
    const body = readFileSync(route.file);
    const etag = `"${body.length}-fixture"`;
    const f = route.fault;
    if (f?.kind === 'status' && n <= f.times) return res.writeHead(f.status).end();
    let start = 0;
    let status = 200;
    const m = range ? /bytes=(\d+)-/.exec(range) : null;
    const ifRange = req.headers['if-range'];
    if (m && f?.kind !== 'ignoreRange' && (!ifRange || ifRange === etag)) {
      start = Number(m[1]);
      if (start >= body.length) return res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
      status = 206;
    }
    const slice = body.subarray(start);
    res.writeHead(status, {
      'content-length': String(slice.length),
      'accept-ranges': 'bytes',
      etag,
      ...(status === 206 ? { 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` } : {}),
    });
    if (f?.kind === 'drop' && n <= f.times) {
      // graceful FIN after exactly afterBytes of body: the client gets them all, then an early EOF
      res.write(slice.subarray(0, f.afterBytes), () => req.socket.end());
      return;
    }
    if (f?.kind === 'slow') {
      let o = 0;
      const t = setInterval(() => {
        if (res.destroyed) return clearInterval(t);
        res.write(slice.subarray(o, o + f.chunk));
        o += f.chunk;
        if (o >= slice.length) {
          clearInterval(t);
          res.end();
        }
      }, f.everyMs);
      res.on('close', () => clearInterval(t));
      return;
    }
    res.end(slice);
  });
  server.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (p) => `http://127.0.0.1:${port}${p}`,
    ranges,
    requests: () => total,
    close: () => new Promise<void>((r) => (sockets.forEach((s) => s.destroy()), server.close(() => r()))),
  };
}
