/**
 * Media benchmark: sampling 24 frames (auto strategy, and per-frame seeks) vs decoding every frame, per fixture clip.
 * Run: npx tsx bench/media.ts   → prints a table, writes bench/results/media.json. Budget ≤ 3 min on 2 cores.
 * "decode all" = ffmpeg decoding + scaling every frame to 640 px (the cost the old toolkit paid with cv2 reads).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { findFfmpeg } from '../src-main/media/ffmpeg.js';
import { sampleFrames } from '../src-main/media/frames.js';
import { FIXTURES_DIR } from '../test/support/fixtures';
import { cutClip } from '../test/support/short-clip';
import { probe } from '../src-main/media/probe.js';

const run = promisify(execFile);
const FIXTURES = FIXTURES_DIR;
const BUDGET_MS = 140_000;

async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await fn();
  return [r, (performance.now() - t) / 1000];
}

const tools = findFfmpeg();
const dir = path.join(FIXTURES, 'videos');
// Most fixture clips have ONE keyframe (web/AI encodes), so any exact sampling must decode up to the last
// timestamp. Camera/phone footage has a keyframe every ~1 s: to measure that case we also re-encode two fixtures
// (10 s, GOP = 1 s) into a temp dir. These rows are labelled "gop1s".
const tmp = await mkdtemp(path.join(os.tmpdir(), 'bench-media-'));
const derived: string[] = [];
for (const src of ['rjsong_squat.mp4', 'rjsong_pushups-front2.mp4']) {
  const out = path.join(tmp, src.replace('.mp4', '_10s_gop1s.mp4'));
  cutClip(path.join(dir, src), out, { seconds: 10, gop: 30 });
  derived.push(out);
}
// short clips first so the budget always covers the 8–13 s ones
const files = (await readdir(dir)).filter((f) => f.endsWith('.mp4'));
const infos = await Promise.all(
  [...derived, ...files.map((f) => path.join(dir, f))].map(async (file) => ({
    file,
    f: path.basename(file),
    p: await probe(file),
  })),
);
infos.sort((a, b) => Number(b.file.startsWith(tmp)) - Number(a.file.startsWith(tmp)) || a.p.duration - b.p.duration);
let seekRunsOnSingleKeyframe = 0;
const start = performance.now();
const rows: Array<Record<string, string | number>> = [];
for (const { file, f, p } of infos) {
  if (performance.now() - start > BUDGET_MS) {
    console.log(`(budget reached, skipping ${f})`);
    continue;
  }
  const [auto, tAuto] = await time(() => sampleFrames(file, { n: 24, maxSide: 640, probe: p }));
  const [, tAll] = await time(() =>
    run(tools.ffmpeg, ['-v', 'error', '-i', file, '-map', '0:v:0', '-vf', 'scale=640:-2', '-f', 'null', '-']),
  );
  let tSeek = NaN;
  // per-frame seeks on single-keyframe clips cost ~N× a full decode: measure that once, not on every clip
  if (auto.strategy === 'seek' || seekRunsOnSingleKeyframe++ === 0)
    [, tSeek] = await time(() => sampleFrames(file, { n: 24, maxSide: 640, probe: p, strategy: 'seek' }));
  rows.push({
    clip: f,
    duration_s: +p.duration.toFixed(2),
    frames: p.frameCount,
    size: `${p.displayWidth}x${p.displayHeight}`,
    strategy: auto.strategy,
    sample24_s: +tAuto.toFixed(3),
    sample24_seek_s: Number.isNaN(tSeek) ? 'skipped' : +tSeek.toFixed(3),
    decode_all_s: +tAll.toFixed(3),
    speedup_vs_all: +(tAll / tAuto).toFixed(2),
    video_s_per_wall_s: +(p.duration / tAuto).toFixed(1),
  });
}
console.table(rows);
const total = (k: string): number => rows.reduce((a, r) => a + (typeof r[k] === 'number' ? (r[k] as number) : 0), 0);
const summary = {
  clips: rows.length,
  total_video_s: +total('duration_s').toFixed(1),
  total_sample24_s: +total('sample24_s').toFixed(2),
  total_decode_all_s: +total('decode_all_s').toFixed(2),
  overall_speedup: +(total('decode_all_s') / total('sample24_s')).toFixed(2),
  video_s_per_wall_s: +(total('duration_s') / total('sample24_s')).toFixed(1),
  wall_s: +((performance.now() - start) / 1000).toFixed(1),
};
console.log(summary);
await mkdir(path.join(import.meta.dirname, 'results'), { recursive: true });
await writeFile(
  path.join(import.meta.dirname, 'results/media.json'),
  JSON.stringify(
    {
      at: new Date().toISOString(),
      host: { cpus: os.cpus().length, load: os.loadavg(), ffmpeg: tools.ffmpeg },
      summary,
      rows,
    },
    null,
    1,
  ),
);
await rm(tmp, { recursive: true, force: true });
