/**
 * Discovery of ffmpeg / ffprobe / Chromium on this machine: the environment variable wins, a broken
 * system binary (exit 127) is skipped for the bundled one, and a missing tool gives a message saying
 * what to install. Real binaries throughout (the bundled ones ship in node_modules).
 */
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaError, findFfmpeg } from '../../src-main/media/index.js';
import { checkTool, describeFfmpeg } from '../../src-main/media/ffmpeg-find.js';
import {
  NO_CHROMIUM,
  PLAYWRIGHT_DISABLED_FEATURES,
  chromiumLaunchOptions,
  describeChromium,
  findChromium,
} from '../../src-main/chromium/find.js';

let broken: string;
let empty: string;

beforeAll(async () => {
  // A "broken install": the files exist and are executable, but exit 127 like a binary with a missing library.
  broken = await mkdtemp(path.join(tmpdir(), 'fs-broken-tools-'));
  empty = await mkdtemp(path.join(tmpdir(), 'fs-no-tools-'));
  for (const name of ['ffmpeg', 'ffprobe', 'chromium']) {
    await writeFile(
      path.join(broken, name),
      '#!/bin/sh\necho "error while loading shared libraries: libfoo.so.1" >&2\nexit 127\n',
    );
    await chmod(path.join(broken, name), 0o755);
  }
});
afterAll(async () => {
  await rm(broken, { recursive: true, force: true });
  await rm(empty, { recursive: true, force: true });
});

describe('findFfmpeg', () => {
  it('skips a broken ffmpeg/ffprobe on PATH and uses the bundled ones', () => {
    const t = findFfmpeg({ env: { PATH: broken } });
    expect(t).toMatchObject({ ffmpegSource: 'bundled', ffprobeSource: 'bundled' });
    expect(t.ffmpeg).toContain(path.join('node_modules', '@ffmpeg-installer'));
    expect(t.ffprobe).toContain(path.join('node_modules', '@ffprobe-installer'));
    expect(t.ffmpegVersion).toMatch(/^ffmpeg version/);
    expect(t.ffprobeVersion).toMatch(/^ffprobe version/);
    expect(checkTool(path.join(broken, 'ffmpeg'))).toMatchObject({ ok: false, why: expect.stringContaining('127') });
    expect(describeFfmpeg(t).join('\n')).toMatch(/^ffmpeg: .*bundled.*\nffprobe: .*bundled/);
  });
  it('honours FFMPEG_PATH/FFPROBE_PATH, and an env path that does not run is an error naming it', () => {
    const bundled = findFfmpeg({ env: { PATH: empty } });
    const t = findFfmpeg({ env: { PATH: broken, FFMPEG_PATH: bundled.ffmpeg, FFPROBE_PATH: bundled.ffprobe! } });
    expect(t).toMatchObject({
      ffmpeg: bundled.ffmpeg,
      ffmpegSource: 'env',
      ffprobe: bundled.ffprobe,
      ffprobeSource: 'env',
    });
    for (const env of [
      { FFMPEG_PATH: '/nope/ffmpeg' },
      { FFMPEG_PATH: path.join(broken, 'ffmpeg') },
      { FFPROBE_PATH: path.join(broken, 'ffprobe') },
    ]) {
      try {
        findFfmpeg({ env: { PATH: empty, ...env } });
        expect.unreachable();
      } catch (e) {
        expect((e as MediaError).code).toBe('ffmpeg_missing');
        expect((e as Error).message).toContain(Object.values(env)[0]);
      }
    }
  });
  it('fails clearly, listing what it skipped, when nothing runs', () => {
    expect(() => findFfmpeg({ env: { PATH: broken }, noBundled: true })).toThrow(
      /ffmpeg was not found.*Skipped: .*fs-broken-tools-.*ffmpeg/,
    );
    // ffprobe is optional: a working ffmpeg with no ffprobe anywhere means probing parses `ffmpeg -i`.
    const only = findFfmpeg({ env: { PATH: empty, FFMPEG_PATH: findFfmpeg().ffmpeg }, noBundled: true });
    expect(only.ffprobe === null || only.ffprobeSource === 'sibling').toBe(true);
  });
});

describe('findChromium', () => {
  it('finds a Chromium that runs and says which', () => {
    const c = findChromium();
    expect(c.version).toMatch(/\d+\.\d+/);
    expect(describeChromium(c)).toContain(c.path);
  });
  it('skips a broken Chromium on PATH; CHROMIUM_PATH that does not run is an error naming it', () => {
    const c = findChromium({ env: { PATH: broken } });
    expect(c.path).not.toContain('fs-broken-tools-');
    expect(c.version).toMatch(/\d+\.\d+/);
    expect(() => findChromium({ env: { CHROMIUM_PATH: path.join(broken, 'chromium') } })).toThrow(
      /CHROMIUM_PATH is set to .*does not run/,
    );
  });
  it('runs the bundled Chromium from the npm package when nothing is installed', () => {
    const c = findChromium({ env: { PATH: empty }, noInstalled: true });
    expect(c).toMatchObject({ source: 'bundled' });
    expect(c.version).toMatch(/Chromium \d+/);
  }, 120_000);
  it("launches with Playwright's disabled features kept and no unseen browser UI (a renderer of its own)", async () => {
    // Chromium keeps only the last --disable-features: ours must still list every feature Playwright disables.
    const pkg = createRequire(import.meta.url).resolve('playwright-core/package.json');
    const bundle = readFileSync(path.join(path.dirname(pkg), 'lib', 'coreBundle.js'), 'utf8');
    const list = /disabledFeatures = \[([\s\S]*?)\]\.filter/.exec(bundle)?.[1] ?? '';
    const playwrights = [...list.matchAll(/^\s*"(\w+)"/gm)].map((m) => m[1]);
    expect(playwrights.length).toBeGreaterThan(5);
    expect(PLAYWRIGHT_DISABLED_FEATURES).toEqual(expect.arrayContaining(playwrights));
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch(chromiumLaunchOptions());
    try {
      await (await browser.newPage()).goto('about:blank');
      const cdp = await browser.newBrowserCDPSession();
      const { targetInfos } = await cdp.send('Target.getTargets');
      expect(targetInfos.map((t) => `${t.type} ${t.url}`)).toEqual(['page about:blank']);
    } finally {
      await browser.close();
    }
  }, 120_000);
  it('with nothing at all, says in one line what to install', () => {
    expect(() => findChromium({ env: { PATH: empty }, noInstalled: true, noBundled: true })).toThrow(NO_CHROMIUM);
    expect(NO_CHROMIUM).not.toContain('\n');
  });
});
