/**
 * The kept headless Chromium profile (its code caches make the next `score` cheaper): one process at a time
 * holds it, a dead holder's lock is taken over, another live process's is respected, and the web host's
 * port is remembered for the next run. Real processes and files; no Chromium needed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireHeadlessProfile } from '../../src-main/chromium/headless-profile.js';

const V = 'Chromium 156.0.8078.73';
const roots: string[] = [];
function root(): string {
  const r = mkdtempSync(join(tmpdir(), 'fs-headless-profile-'));
  roots.push(r);
  return r;
}
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

describe('acquireHeadlessProfile', () => {
  it('is held by one holder at a time and free again once released', () => {
    const r = root();
    const first = acquireHeadlessProfile(V, r);
    expect(first).not.toBeNull();
    expect(first!.dir).toBe(join(r, 'profile'));
    expect(existsSync(first!.dir)).toBe(true);
    expect(acquireHeadlessProfile(V, r)).toBeNull(); // this live process holds it
    first!.release();
    const again = acquireHeadlessProfile(V, r);
    expect(again).not.toBeNull();
    again!.release();
  });

  it('takes over the lock of a process that died, and leaves a live one alone', async () => {
    const r = root();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(join(r, 'in-use.lock'), dead.stdout);
    const p = acquireHeadlessProfile(V, r);
    expect(p).not.toBeNull();
    expect(readFileSync(join(r, 'in-use.lock'), 'utf8')).toBe(String(process.pid));
    p!.release();

    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      writeFileSync(join(r, 'in-use.lock'), String(live.pid));
      expect(acquireHeadlessProfile(V, r)).toBeNull();
    } finally {
      live.kill();
    }
  });

  it('empties a profile last used by another Chromium version, and keeps it for the same one', () => {
    const r = root();
    const first = acquireHeadlessProfile(V, r)!;
    writeFileSync(join(first.dir, 'Local State'), '{}');
    first.release();
    const same = acquireHeadlessProfile(V, r)!;
    expect(existsSync(join(same.dir, 'Local State'))).toBe(true);
    same.release();
    const other = acquireHeadlessProfile('Chromium 153.0.0.0', r)!;
    expect(existsSync(other.dir)).toBe(true);
    expect(existsSync(join(other.dir, 'Local State'))).toBe(false);
    other.release();
  });

  it('remembers the web host port for the next run, and ignores a damaged port file', () => {
    const r = root();
    const first = acquireHeadlessProfile(V, r)!;
    expect(first.port).toBe(0);
    first.keepPort(45678);
    first.release();
    const second = acquireHeadlessProfile(V, r)!;
    expect(second.port).toBe(45678);
    second.release();
    writeFileSync(join(r, 'port'), 'not a port');
    const third = acquireHeadlessProfile(V, r)!;
    expect(third.port).toBe(0);
    third.release();
  });
});
