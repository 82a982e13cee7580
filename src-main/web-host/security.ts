import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Cookies ignore ports: a name per port keeps a second instance (or an old cookie) from shadowing this one's. */
export function tokenCookieName(port: number): string {
  return `fs_token_${port}`;
}

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** The Content-Security-Policy of the app page, in both transports. */
export function contentSecurityPolicy(extraMediaSchemes = ''): string {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob:${extraMediaSchemes}`,
    `media-src 'self' blob: mediastream:${extraMediaSchemes}`,
    "connect-src 'self'",
    "font-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

function cookie(req: IncomingMessage, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

export type GateResult = { ok: true } | { ok: false; status: 401 | 403; reason: string };

/**
 * Loopback-only gate: the Host must be our own address (defeats DNS rebinding), a present Origin must be
 * ours (defeats cross-site requests), and the token must come as cookie, bearer header or `?token=`.
 */
export function checkRequest(req: IncomingMessage, port: number, token: string, url: URL): GateResult {
  const allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const host = (req.headers.host ?? '').toLowerCase();
  if (!allowedHosts.has(host)) return { ok: false, status: 403, reason: 'Host not allowed' };
  const origin = req.headers.origin;
  if (origin !== undefined) {
    const allowedOrigins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
    if (!allowedOrigins.has(origin.toLowerCase()))
      return { ok: false, status: 403, reason: 'Cross-origin request refused' };
  }
  const fetchSite = req.headers['sec-fetch-site'];
  if (fetchSite === 'cross-site') return { ok: false, status: 403, reason: 'Cross-site request refused' };
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? null;
  // The URL's token wins over a stale cookie (a restart on the same port); the server then replaces the cookie.
  const supplied = url.searchParams.get('token') ?? bearer ?? cookie(req, tokenCookieName(port));
  if (!supplied || !safeEqual(supplied, token)) return { ok: false, status: 401, reason: 'Missing or wrong token' };
  return { ok: true };
}
