/** The browser-mode host over real HTTP on 127.0.0.1: token precedence, per-port cookie, malformed call names. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Services } from '../../src-main/services';
import { startWebHost, type WebHost } from '../../src-main/web-host/server';

const tmp = mkdtempSync(join(tmpdir(), 'fs-webhost-'));
let services: Services;
let host: WebHost;

beforeAll(async () => {
  const renderer = join(tmp, 'renderer');
  mkdirSync(renderer);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(renderer, 'model.task'), 'weights v1');
  services = new Services({ home: join(tmp, 'home'), mode: 'browser' });
  host = await startWebHost(services, { rendererDir: renderer, port: 0 });
});
afterAll(async () => {
  await new Promise((r) => host.server.close(r));
  services.close();
  rmSync(tmp, { recursive: true, force: true });
});

function raw(
  path: string,
  headers: Record<string, string>,
  method = 'GET',
  body?: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: host.port, path, method, headers: { Host: `127.0.0.1:${host.port}`, ...headers } },
      (res) => {
        let data = '';
        res.on('data', (d) => (data += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
      },
    );
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

describe('web host', () => {
  it('a valid ?token= wins over a stale cookie and replaces it; the cookie name carries the port', async () => {
    const stale = `fs_token_${host.port}=old-token-from-a-previous-launch`;
    const r = await raw(`/?token=${host.token}`, { Cookie: stale });
    expect(r.status).toBe(303);
    const set = String((r.headers['set-cookie'] as string[])[0]);
    expect(set.startsWith(`fs_token_${host.port}=${host.token};`)).toBe(true);
    // The new cookie works on its own; the stale one alone does not; another port's cookie is ignored.
    expect((await raw('/', { Cookie: `fs_token_${host.port}=${host.token}` })).status).toBe(200);
    expect((await raw('/', { Cookie: stale })).status).toBe(401);
    expect((await raw('/', { Cookie: `fs_token_1=${host.token}` })).status).toBe(401);
    // A wrong ?token= is refused even with a good cookie: the URL decides.
    expect((await raw('/?token=wrong', { Cookie: `fs_token_${host.port}=${host.token}` })).status).toBe(401);
  });

  it('assets carry an ETag: a revalidation of an unchanged one is 304 with no body, a changed one is sent again', async () => {
    const auth = { Cookie: `fs_token_${host.port}=${host.token}` };
    const first = await raw('/model.task', auth);
    expect(first).toMatchObject({ status: 200, body: 'weights v1' });
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^W\/".+"$/);
    expect(await raw('/model.task', { ...auth, 'If-None-Match': etag })).toMatchObject({ status: 304, body: '' });
    writeFileSync(join(tmp, 'renderer', 'model.task'), 'weights version 2');
    const changed = await raw('/model.task', { ...auth, 'If-None-Match': etag });
    expect(changed).toMatchObject({ status: 200, body: 'weights version 2' });
    expect(changed.headers.etag).not.toBe(etag);
    expect((await raw('/model.task', { 'If-None-Match': String(changed.headers.etag) })).status).toBe(401); // token first
  });

  it('a malformed (percent-encoded) call name is 400 bad_input, not 500', async () => {
    const r = await raw(
      '/api/call/%E0%A4%A',
      { Authorization: `Bearer ${host.token}`, 'content-type': 'application/json' },
      'POST',
      '{}',
    );
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).error.code).toBe('bad_input');
  });
});
