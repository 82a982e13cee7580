import { test, expect } from '@playwright/test';
import { request as httpRequest } from 'node:http';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startAppServer, removeHome, type AppServer } from './app-server';

let server: AppServer;

/** Raw HTTP, so we control Host and Origin exactly (browsers do not let pages forge them). */
function raw(
  path: string,
  headers: Record<string, string>,
  method = 'GET',
  body?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path, method, headers }, (res) => {
      let data = '';
      res.on('data', (d) => (data += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

test.beforeAll(async () => {
  server = await startAppServer();
  // A file inside the media root, a secret outside it, and a symlink that points out.
  const media = join(server.home, 'media');
  mkdirSync(join(media, 'clips'), { recursive: true });
  writeFileSync(join(media, 'clips', 'inside.mp4'), Buffer.alloc(1000, 7));
  writeFileSync(join(server.home, 'secret.txt'), 'top secret');
  symlinkSync(join(server.home, 'secret.txt'), join(media, 'clips', 'link.mp4'));
});
test.afterAll(async () => {
  await server.stop();
  removeHome(server.home);
});

const host = () => `127.0.0.1:${server.port}`;
const auth = () => ({ Host: host(), Authorization: `Bearer ${server.token}` });

test('no token → 401 on the page, the API, events and media', async () => {
  for (const path of ['/', '/index.html', '/api/events', '/media/file/clips/inside.mp4']) {
    expect((await raw(path, { Host: host() })).status, path).toBe(401);
  }
  const api = await raw('/api/call/project.get', { Host: host(), 'content-type': 'application/json' }, 'POST', '{}');
  expect(api.status).toBe(401);
  expect((await raw('/', { Host: host(), Cookie: `fs_token_${server.port}=wrong` })).status).toBe(401);
});

test('a foreign Origin → 403, even with the token', async () => {
  const r = await raw(
    '/api/call/project.get',
    { ...auth(), Origin: 'http://evil.example', 'content-type': 'application/json' },
    'POST',
    '{}',
  );
  expect(r.status).toBe(403);
  const ok = await raw(
    '/api/call/project.get',
    { ...auth(), Origin: `http://${host()}`, 'content-type': 'application/json' },
    'POST',
    '{}',
  );
  expect(ok.status).toBe(200);
  expect(JSON.parse(ok.body).value.name).toBe('My project');
});

test('a wrong Host header (DNS rebinding) → 403', async () => {
  for (const h of ['evil.example', `evil.example:${server.port}`, '127.0.0.1:1', `192.168.0.1:${server.port}`]) {
    const r = await raw('/', { Host: h, Authorization: `Bearer ${server.token}` });
    expect(r.status, h).toBe(403);
  }
});

test('media inside the project is served with Range; paths outside are refused', async () => {
  const full = await raw('/media/file/clips/inside.mp4', auth());
  expect(full.status).toBe(200);
  expect(full.body.length).toBe(1000);
  const part = await raw('/media/file/clips/inside.mp4', { ...auth(), Range: 'bytes=10-19' });
  expect(part.status).toBe(206);
  expect(part.body.length).toBe(10);
  expect((await raw('/media/file/clips/inside.mp4', { ...auth(), Range: 'bytes=5000-' })).status).toBe(416);
  const escapes = [
    '/media/file/../secret.txt',
    '/media/file/..%2Fsecret.txt',
    '/media/file/clips/..%2F..%2Fsecret.txt',
    '/media/file/%2Fetc%2Fpasswd',
    '/media/file/%2e%2e/secret.txt',
    '/media/file/clips%5C..%5C..%5Csecret.txt',
    '/media/file/C:%5Cwindows%5Cwin.ini',
    '/media/file/clips/link.mp4',
    '/media/cache/..%2Fform-studio.db',
    '/media/file/%00',
  ];
  for (const p of escapes) {
    const r = await raw(p, auth());
    expect([400, 403, 404], p).toContain(r.status);
    expect(r.body, p).not.toContain('top secret');
    expect(r.body, p).not.toContain('root:');
  }
  expect((await raw('/media/file/clips/link.mp4', auth())).status).toBe(403);
});

test('security headers are set on the page', async ({ page }) => {
  const response = await page.goto(server.url);
  const h = response!.headers();
  // The redirect target carries the headers; check the final document.
  expect(h['content-security-policy']).toContain("default-src 'self'");
  expect(h['content-security-policy']).toContain("connect-src 'self'");
  expect(h['x-content-type-options']).toBe('nosniff');
  expect(h['cross-origin-opener-policy']).toBe('same-origin');
});
