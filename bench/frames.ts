/**
 * Exact frame sampling vs decoding every frame once, on the 43-s camera clip (rjsong_squat2, 1289 frames,
 * keyframe every 8.3 s): 215 frames (5 fps, what Score a video asks for reps) and 24 (the model's window),
 * JPEG at 640 px, with Debian's ffmpeg and the bundled static one. "decode all" = ffmpeg decoding + scaling
 * every frame to 640 px into a null sink (a lower bound for any decode-everything-then-pick approach).
 * Each figure is the median of 3 interleaved runs (the machine is shared). Run: npx tsx bench/frames.ts
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sampleFrames } from '../src-main/media/frames.js';
import { probe } from '../src-main/media/probe.js';
import { findFfmpeg, type FfmpegTools } from '../src-main/media/ffmpeg.js';

const run = promisify(execFile);
const FIXTURES = path.resolve(
  process.env.FORM_STUDIO_FIXTURES ?? path.join(import.meta.dirname, '../../shared/fixtures'),
);
const file = path.join(FIXTURES, 'videos/rjsong_squat2.mp4');
const BUNDLED_ONLY = findFfmpeg({ env: { PATH: '' } });
const BINARIES: Array<[string, FfmpegTools]> = [
  ['discovered', findFfmpeg()],
  ['bundled', { ...BUNDLED_ONLY, ffprobe: null, ffprobeSource: null, ffprobeVersion: null }],
];
const REPEATS = 3;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
}

const rows: Array<Record<string, string | number>> = [];
for (const [name, tools] of BINARIES) {
  const p = await probe(file, { tools });
  const t: Record<string, number[]> = { all: [], s215: [], s24: [] };
  let strategy = '';
  for (let r = 0; r < REPEATS; r++) {
    t.all.push(
      await time(() =>
        run(tools.ffmpeg, ['-v', 'error', '-i', file, '-map', '0:v:0', '-vf', 'scale=640:-2', '-f', 'null', '-']),
      ),
    );
    t.s215.push(
      await time(
        async () => (strategy = (await sampleFrames(file, { n: 215, maxSide: 640, probe: p, tools })).strategy),
      ),
    );
    t.s24.push(await time(() => sampleFrames(file, { n: 24, maxSide: 640, probe: p, tools })));
  }
  rows.push({
    ffmpeg: name,
    clip_s: +p.duration.toFixed(2),
    frames: p.frameCount,
    strategy_215: strategy,
    decode_all_s: +median(t.all).toFixed(2),
    sample215_s: +median(t.s215).toFixed(2),
    sample24_s: +median(t.s24).toFixed(2),
    ratio_215_vs_all: +(median(t.s215) / median(t.all)).toFixed(2),
  });
}
console.table(rows);
await mkdir(path.join(import.meta.dirname, 'results'), { recursive: true });
await writeFile(
  path.join(import.meta.dirname, 'results/frames.json'),
  JSON.stringify({ at: new Date().toISOString(), host: { cpus: os.cpus().length, load: os.loadavg() }, rows }, null, 1),
);
