/**
 * `-version` checks remembered between processes (tool-versions.ts): a passing check is not run again by the
 * next process; a changed binary (new content, a chmod) or a failing one is checked every time. Real
 * executables that count their own runs; the cache file in a temporary FORM_STUDIO_CACHE.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetLoadedVersions, rememberedVersion, type VersionCheck } from '../../src-main/tool-versions.js';

let dir: string;
const saved = process.env.FORM_STUDIO_CACHE;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fs-tool-versions-'));
  process.env.FORM_STUDIO_CACHE = join(dir, 'cache');
});
afterAll(() => {
  if (saved === undefined) delete process.env.FORM_STUDIO_CACHE;
  else process.env.FORM_STUDIO_CACHE = saved;
  rmSync(dir, { recursive: true, force: true });
});

/** A tool that appends a line to `<bin>.runs` each time it runs, then prints its version or fails. */
function tool(name: string, exitCode = 0): string {
  const bin = join(dir, name);
  const say = exitCode === 0 ? `echo "${name} version 1.0"` : 'echo "error while loading shared libraries" >&2';
  writeFileSync(bin, `#!/bin/sh\necho run >> "${bin}.runs"\n${say}\nexit ${exitCode}\n`);
  chmodSync(bin, 0o755);
  return bin;
}

const runs = (bin: string): number => {
  try {
    return readFileSync(`${bin}.runs`, 'utf8').trim().split('\n').length;
  } catch {
    return 0;
  }
};

function check(bin: string): VersionCheck {
  const r = spawnSync(bin, ['-version'], { encoding: 'utf8' });
  return r.status === 0 ? { ok: true, version: r.stdout.trim() } : { ok: false, why: `exited ${r.status}` };
}

/** As a new process would: the file read again. */
function freshProcess(bin: string): VersionCheck {
  forgetLoadedVersions();
  return rememberedVersion(bin, {}, () => check(bin));
}

describe('rememberedVersion', () => {
  it('runs a passing check once, then answers from the file in later processes', () => {
    const bin = tool('goodtool');
    expect(freshProcess(bin)).toEqual({ ok: true, version: 'goodtool version 1.0' });
    expect(freshProcess(bin)).toEqual({ ok: true, version: 'goodtool version 1.0' });
    expect(runs(bin)).toBe(1);
  });

  it('checks again after the binary changes: new content, or only its mode', () => {
    const bin = tool('changing');
    freshProcess(bin);
    expect(runs(bin)).toBe(1);
    writeFileSync(bin, readFileSync(bin, 'utf8').replace('1.0', '2.0'));
    expect(freshProcess(bin)).toEqual({ ok: true, version: 'changing version 2.0' });
    expect(runs(bin)).toBe(2);
    chmodSync(bin, 0o700); // same bytes, new ctime
    freshProcess(bin);
    expect(runs(bin)).toBe(3);
    freshProcess(bin);
    expect(runs(bin)).toBe(3);
  });

  it('never remembers a failing check', () => {
    const bin = tool('broken', 127);
    expect(freshProcess(bin).ok).toBe(false);
    expect(freshProcess(bin).ok).toBe(false);
    expect(runs(bin)).toBe(2);
  });

  it('keys by the environment it runs with (the bundled Chromium needs its libraries)', () => {
    const bin = tool('withenv');
    forgetLoadedVersions();
    rememberedVersion(bin, { LD_LIBRARY_PATH: '/a' }, () => check(bin));
    forgetLoadedVersions();
    rememberedVersion(bin, { LD_LIBRARY_PATH: '/b' }, () => check(bin));
    expect(runs(bin)).toBe(2);
  });
});
