/**
 * Pose landmarker latency in Debian Chromium (tasks-vision 0.10.35, VIDEO mode, CPU delegate) on
 * 720×1280 frames, with our offline bundles:
 *   1. per-frame detect() latency for lite / full / heavy on a continuous 30 fps clip
 *   2. a 10 s clip processed as 24 sampled frames (sampleTimestamps) vs every frame (300):
 *      total pose time and the ratio
 *   3. full with numPoses 2 (lets the runner choose between people) vs 1
 * Image fetch/decode is excluded from the timings (done before each detect()).
 *
 *   npx tsx bench/pose.ts        → prints a table, writes bench/results/pose.json
 *   POSE_BENCH_SAMPLING=lite,full  variants for part 2 (default: full)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAssets } from '../scripts/pose-bundle/build.js';
import { POSE_MODEL_VARIANTS, sampleTimestamps, type PoseModelVariant } from '../src-shared/keypoints/format.js';
import type { RunResult, RunSpec } from '../e2e/support/pose-page.js';
import { FIXTURES, ROOT, extractFrames, openPoseHarness, runPose } from '../e2e/support/pose-harness.js';

const CLIP = join(FIXTURES, 'videos', 'rjsong_squat.mp4'); // real squat, 1280×720 30 fps
const CLIP_START_S = 2;
const CLIP_SECONDS = 10;
const FPS = 30;
const WARMUP = 5;
const LATENCY_FRAMES = 40;
const SAMPLED = 24;

interface Stats {
  n: number;
  median: number;
  mean: number;
  p90: number;
  min: number;
  max: number;
}

function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1)))]!;
  const r = (x: number) => Math.round(x * 10) / 10;
  return {
    n: s.length,
    median: r(q(0.5)),
    mean: r(s.reduce((a, b) => a + b, 0) / s.length),
    p90: r(q(0.9)),
    min: r(s[0]!),
    max: r(s[s.length - 1]!),
  };
}

const started = performance.now();
const loadBefore = loadavg().map((x) => Math.round(x * 100) / 100);
await buildAssets({ log: (m) => console.log('[bench/pose] ' + m) });
const work = mkdtempSync(join(tmpdir(), 'bench-pose-'));
// 9:16 centre crop of the 16:9 clip, scaled to 720×1280 (portrait, like a phone recording).
const frames = extractFrames(CLIP, join(work, 'clip'), {
  scale: '720:1280',
  fps: FPS,
  maxFrames: CLIP_SECONDS * FPS,
  start: CLIP_START_S,
  crop: '405:720',
  jpeg: true,
});
console.log(`[bench/pose] ${frames.length} frames of ${CLIP} (from ${CLIP_START_S} s) as 720×1280`);
const h = await openPoseHarness({ '/work/': work });
const run = (spec: RunSpec): Promise<RunResult> => runPose(h.page, spec);
const url = (i: number) => `/work/clip/${frames[i]}`;
const tsOf = (i: number) => (i * 1000) / FPS;

try {
  const simd = await h.page.evaluate(() =>
    (window as unknown as { poseHarness: { simd(): Promise<boolean> } }).poseHarness.simd(),
  );

  // 1. Per-frame latency per variant.
  const latency: Record<string, { createMs: number; firstMs: number; steady: Stats; personRate: number }> = {};
  const n = Math.min(frames.length, WARMUP + LATENCY_FRAMES);
  for (const variant of POSE_MODEL_VARIANTS) {
    const idx = Array.from({ length: n }, (_, i) => i);
    const r = await run({ variant, delegate: 'CPU', urls: idx.map(url), timestampsMs: idx.map(tsOf) });
    latency[variant] = {
      createMs: Math.round(r.createMs),
      firstMs: Math.round(r.detectMs[0]!),
      steady: stats(r.detectMs.slice(WARMUP)),
      personRate: r.frames.filter((f) => f !== null).length / r.frames.length,
    };
    console.log(`[bench/pose] ${variant}: median ${latency[variant].steady.median} ms`);
  }

  // 2. 24 sampled frames vs every frame of the 10 s clip (full and lite).
  const sampledIdx = sampleTimestamps(frames.length / FPS, SAMPLED).map((t) =>
    Math.min(frames.length - 1, Math.round(t * FPS)),
  );
  const sampling: Record<string, object> = {};
  const samplingVariants = (process.env.POSE_BENCH_SAMPLING ?? 'full')
    .split(',')
    .filter((v): v is PoseModelVariant => (POSE_MODEL_VARIANTS as readonly string[]).includes(v));
  for (const variant of samplingVariants) {
    // warm the runtime once so neither arm pays the first-call cost
    const all = Array.from({ length: frames.length }, (_, i) => i);
    const every = await run({
      variant,
      delegate: 'CPU',
      urls: [url(0), null, ...all.map(url)],
      timestampsMs: [0, 0, ...all.map(tsOf)],
    });
    const everyMs = every.detectMs.slice(1);
    const sampled = await run({
      variant,
      delegate: 'CPU',
      urls: [url(0), null, ...sampledIdx.map(url)],
      timestampsMs: [0, 0, ...sampledIdx.map(tsOf)],
    });
    const sampledMs = sampled.detectMs.slice(1);
    const sum = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0));
    sampling[variant] = {
      clipSeconds: frames.length / FPS,
      everyFrame: {
        frames: everyMs.length,
        totalMs: sum(everyMs),
        perFrame: stats(everyMs),
        personRate: every.frames.slice(1).filter((f) => f).length / everyMs.length,
      },
      sampled: {
        frames: sampledMs.length,
        totalMs: sum(sampledMs),
        perFrame: stats(sampledMs),
        personRate: sampled.frames.slice(1).filter((f) => f).length / sampledMs.length,
      },
      /** sampled total / every-frame total: the fraction of pose time sampling costs. */
      timeRatio: Math.round((sum(sampledMs) / sum(everyMs)) * 1000) / 1000,
      /** per-frame cost of a sampled frame relative to a continuous one (tracking helps less). */
      perFrameRatio: Math.round((stats(sampledMs).median / stats(everyMs).median) * 100) / 100,
    };
    console.log(`[bench/pose] ${variant} sampling: ${JSON.stringify(sampling[variant])}`);
  }

  // 3. numPoses 2 vs 1 (full).
  const idx = Array.from({ length: n }, (_, i) => i);
  const two = await run({
    variant: 'full',
    delegate: 'CPU',
    numPoses: 2,
    urls: idx.map(url),
    timestampsMs: idx.map(tsOf),
  });
  const numPoses2 = stats(two.detectMs.slice(WARMUP));

  const result = {
    date: new Date().toISOString(),
    machine: {
      loadavgBefore: loadBefore,
      loadavgAfter: loadavg().map((x) => Math.round(x * 100) / 100),
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? '',
      chromium: h.browser.version(),
      wasmSimd: simd,
    },
    setup: {
      runtime: '@mediapipe/tasks-vision 0.10.35',
      mode: 'VIDEO',
      delegate: 'CPU',
      frame: '720x1280',
      clip: CLIP.replace(ROOT + '/', ''),
      clipStartS: CLIP_START_S,
      fps: FPS,
      warmupFrames: WARMUP,
      latencyFrames: LATENCY_FRAMES,
    },
    latencyMs: latency,
    sampling,
    numPoses2FullMs: numPoses2,
    offsiteRequests: h.offsite,
    benchSeconds: Math.round((performance.now() - started) / 100) / 10,
  };
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', 'results', 'pose.json'), JSON.stringify(result, null, 2) + '\n');

  console.log('\nPose landmarker, Chromium, VIDEO mode, CPU, 720×1280 (ms per detect(); decode excluded)');
  console.log('variant | create | 1st call | median | mean | p90 | person rate');
  console.log('--------|--------|----------|--------|------|-----|------------');
  for (const v of POSE_MODEL_VARIANTS) {
    const l = latency[v]!;
    console.log(
      `${v.padEnd(7)} | ${String(l.createMs).padStart(6)} | ${String(l.firstMs).padStart(8)} | ${String(l.steady.median).padStart(6)} | ${String(l.steady.mean).padStart(4)} | ${String(l.steady.p90).padStart(3)} | ${l.personRate.toFixed(2)}`,
    );
  }
  console.log(`full, numPoses 2: median ${numPoses2.median} ms (vs ${latency.full!.steady.median} ms with 1)`);
  console.log('\n10 s clip: 24 sampled frames vs every frame (30 fps)');
  console.log(
    'variant | every: frames, total ms, median | sampled: frames, total ms, median | time ratio | per-frame ratio',
  );
  for (const [v, s] of Object.entries(sampling) as [
    string,
    {
      everyFrame: { frames: number; totalMs: number; perFrame: Stats };
      sampled: { frames: number; totalMs: number; perFrame: Stats };
      timeRatio: number;
      perFrameRatio: number;
    },
  ][]) {
    console.log(
      `${v.padEnd(7)} | ${s.everyFrame.frames}, ${s.everyFrame.totalMs}, ${s.everyFrame.perFrame.median} | ${s.sampled.frames}, ${s.sampled.totalMs}, ${s.sampled.perFrame.median} | ${s.timeRatio} | ${s.perFrameRatio}`,
    );
  }
  console.log(
    `load average (1/5/15 min) before ${loadBefore.join(' ')}, after ${result.machine.loadavgAfter.join(' ')} on ${cpus().length} CPUs: other work on the machine inflates these numbers`,
  );
  console.log(`\nwrote bench/results/pose.json (${result.benchSeconds} s)`);
  if (h.offsite.length) throw new Error('requests left 127.0.0.1: ' + h.offsite.join(', '));
} finally {
  await h.close();
  rmSync(work, { recursive: true, force: true });
}
