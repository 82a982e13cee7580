import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { findFfmpeg } from '../../src-main/media/ffmpeg';

import { FIXTURES_DIR } from '../support/fixtures';

export const FIXTURES = FIXTURES_DIR;
export const VIDEOS = path.join(FIXTURES, 'videos');
export const run = promisify(execFile);

export function tmpDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `fs-${prefix}-`));
}

/** ffmpeg (the app's own discovery: FFMPEG_PATH, a working system one, or the bundled one), quiet; throws on failure. */
export async function ff(...args: string[]): Promise<void> {
  await run(findFfmpeg().ffmpeg, ['-hide_banner', '-v', 'error', '-y', ...args]);
}

/** A short Xvid/MPEG-4 AVI (UCF-101 style) cut from a fixture clip. */
export async function makeAvi(src: string, out: string, seconds = 1.5, start = 0): Promise<void> {
  await ff(
    '-ss',
    String(start),
    '-i',
    src,
    '-t',
    String(seconds),
    '-vf',
    'scale=320:240',
    '-c:v',
    'mpeg4',
    '-vtag',
    'XVID',
    '-q:v',
    '6',
    '-an',
    out,
  );
}
