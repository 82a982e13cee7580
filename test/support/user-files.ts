/** Helpers for tests that prove a user's files are never changed: real ffmpeg-made clips and byte+mtime snapshots. */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { ff } from '../media/helpers';
import type { Services } from '../../src-main/services';
import type { JobInfo } from '../../src-shared/domain/jobs';

/** A small real H.264 clip; `pattern` and `title` make different bytes (same title length → same size). */
export async function makeClip(
  out: string,
  opts: { pattern?: string; seconds?: number; title?: string } = {},
): Promise<void> {
  mkdirSync(dirname(out), { recursive: true });
  const src = `${opts.pattern ?? 'testsrc'}=size=160x120:rate=10:duration=${opts.seconds ?? 1}`;
  await ff(
    '-f',
    'lavfi',
    '-i',
    src,
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    '-bitexact',
    '-metadata',
    `title=${opts.title ?? 'clip'}`,
    out,
  );
}

export interface Snapshot {
  sha256: string;
  size: number;
  mtimeMs: number;
  ino: number;
}

export function snapshot(file: string): Snapshot {
  const st = statSync(file);
  return {
    sha256: createHash('sha256').update(readFileSync(file)).digest('hex'),
    size: st.size,
    mtimeMs: st.mtimeMs,
    ino: st.ino,
  };
}

export function sha256Of(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

export async function waitJob(s: Services, jobId: string): Promise<JobInfo> {
  for (;;) {
    const job = (await s.invoke('jobs.list', {})).find((j) => j.id === jobId)!;
    if (job.state !== 'running') return job;
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function importAndWait(s: Services, paths: string[], split?: 'train' | 'test'): Promise<JobInfo> {
  return waitJob(s, (await s.invoke('videos.import', { paths, split })).jobId);
}
