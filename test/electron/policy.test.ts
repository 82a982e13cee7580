/** The desktop shell's security decisions (pure functions main.ts wires to Electron's hooks). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  allowPermissionCheck,
  allowPermissionRequest,
  isAllowedExternal,
  isAllowedRequest,
} from '../../src-main/electron/policy';
import { appFileResponse } from '../../src-main/electron/app-files';

describe('external links', () => {
  it('opens only the allowlisted documentation pages', () => {
    expect(isAllowedExternal('https://www.crcv.ucf.edu/data/UCF101.php')).toBe(true);
    expect(isAllowedExternal('https://cocodataset.org/#download')).toBe(true);
    for (const url of [
      'https://evil.example/',
      'https://www.crcv.ucf.edu/data/UCF101/UCF101.rar',
      'http://cocodataset.org/',
      'https://cocodataset.org.evil.example/',
      'https://user:pw@cocodataset.org/',
      'https://cocodataset.org:8443/',
      'https://cocodataset.org/?q=1',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'not a url',
    ])
      expect(isAllowedExternal(url), url).toBe(false);
  });
});

describe('permissions', () => {
  const own = 'app://form-studio/index.html';
  it('grants the camera to our own page, never the microphone', () => {
    expect(allowPermissionRequest('media', own, ['video'])).toBe(true);
    expect(allowPermissionRequest('media', own, ['audio'])).toBe(false);
    expect(allowPermissionRequest('media', own, ['video', 'audio'])).toBe(false);
    expect(allowPermissionRequest('media', own, [])).toBe(false);
    expect(allowPermissionRequest('media', own, undefined)).toBe(false);
    expect(allowPermissionRequest('media', 'https://evil.example/', ['video'])).toBe(false);
    for (const p of ['geolocation', 'notifications', 'clipboard-read', 'openExternal'])
      expect(allowPermissionRequest(p, own, ['video'])).toBe(false);
    expect(allowPermissionCheck('media', 'app://form-studio', 'video')).toBe(true);
    expect(allowPermissionCheck('media', 'app://form-studio', 'audio')).toBe(false);
    expect(allowPermissionCheck('media', 'https://evil.example', 'video')).toBe(false);
  });

  it('lets no request leave the machine', () => {
    expect(isAllowedRequest('app://form-studio/index.html')).toBe(true);
    expect(isAllowedRequest('blob:app://form-studio/1')).toBe(true);
    for (const u of ['https://example.com/', 'http://127.0.0.1/', 'file:///etc/passwd', 'ws://x/'])
      expect(isAllowedRequest(u), u).toBe(false);
  });
});

describe('app files (read from disk, no file:// fetch)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fs-appfiles-'));
  beforeAll(() => {
    mkdirSync(join(dir, 'renderer', 'assets'), { recursive: true });
    writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><p>app</p>');
    writeFileSync(join(dir, 'renderer', 'assets', 'x.wasm'), Buffer.from([0, 97, 115, 109]));
    writeFileSync(join(dir, 'secret.txt'), 'secret');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const root = () => join(dir, 'renderer');

  it('serves index.html with the CSP, wasm with its type; refuses escapes, missing and malformed paths', async () => {
    const index = await appFileResponse(root(), '/');
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('app');
    expect(index.headers.get('content-type')).toContain('text/html');
    expect(index.headers.get('content-security-policy')).toContain("default-src 'self'");
    const wasm = await appFileResponse(root(), '/assets/x.wasm');
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
    expect(new Uint8Array(await wasm.arrayBuffer())).toEqual(new Uint8Array([0, 97, 115, 109]));
    expect((await appFileResponse(root(), '/../secret.txt')).status).toBe(403);
    expect((await appFileResponse(root(), '/%2e%2e/secret.txt')).status).toBe(403);
    expect((await appFileResponse(root(), '/nope.js')).status).toBe(404);
    expect((await appFileResponse(root(), '/%E0%A4%A')).status).toBe(400);
  });
});
