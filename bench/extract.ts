/**
 * Keypoint extraction in the app, end to end (headless Chromium, the real renderer code, full model):
 * a 10-s clip's 24 sampled frames through the pose model, on the page vs the pose worker pool
 * (1 and 2 workers), measured side by side in one run. Frames are sampled once first (ffmpeg, cached)
 * so the arms time the pose work the coach waits for; a cold row (sampling included) and a job of
 * six clips on 2 workers (per clip: the extraction job's throughput) are reported too.
 * Target (pose issue): a 10-s clip's keypoints in < 1 s with the full model.
 *
 *   npx tsx bench/extract.ts      (needs the renderer built)  → bench/results/extract.json + a table
 *   EXTRACT_BENCH_VARIANT=lite    another pose model (default full)
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startAppServer, removeHome } from '../e2e/app-server';
import { launchOptions } from '../e2e/browser';
import { fixture } from '../test/support/fixtures';
import { cutClip } from '../test/support/short-clip';
import type { ExtractProgress } from '../src-renderer/pose/extract';

const SOURCE = join(fixture('videos'), 'rjsong_squat.mp4');
const CLIPS = 3; // three different 10-s clips (different content hashes, so nothing is reused across them)
const ROUNDS = 3;
const VARIANT = (process.env.EXTRACT_BENCH_VARIANT ?? 'full') as 'lite' | 'full' | 'heavy';
const r1 = (x: number) => Math.round(x * 10) / 10;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const loadBefore = loadavg().map(r1);
const work = mkdtempSync(join(tmpdir(), 'bench-extract-'));
const clipDir = join(work, 'clips');
mkdirSync(clipDir);
for (let i = 0; i < CLIPS; i++) {
  // 10 s each from different offsets of a real 1280×720 squat video.
  cutClip(SOURCE, join(clipDir, `clip${i}.mp4`), { start: i * 3, seconds: 10, preset: 'veryfast' });
}
const home = join(work, 'home');
const server = await startAppServer({ home });
const browser = await chromium.launch(launchOptions());
type Arm = { name: string; workers: number };
const arms: Arm[] = [
  { name: 'page', workers: 0 },
  { name: '1 worker', workers: 1 },
  { name: '2 workers', workers: 2 },
];
try {
  const page = await browser.newPage();
  await page.goto(`${server.url}#/headless`);
  await page.waitForFunction(() => !!window.formStudioHeadless);
  const call = (name: string, input: unknown) =>
    page.evaluate(
      async ([n, i]) =>
        (
          await (
            await fetch(`/api/call/${n}`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(i),
            })
          ).json()
        ).value,
      [name, input] as const,
    );
  const { jobId } = (await call('videos.import', { paths: [clipDir] })) as { jobId: string };
  for (;;) {
    const jobs = (await call('jobs.list', {})) as Array<{ id: string; state: string }>;
    if (/done|failed/.test(jobs.find((j) => j.id === jobId)?.state ?? '')) break;
    await new Promise((r) => setTimeout(r, 300));
  }
  const ids = ((await call('videos.list', {})) as Array<{ id: number }>).map((r) => r.id);
  const extract = (videoIds: number[], workers: number) =>
    page.evaluate(
      async ([v, w, variant]) => {
        const t0 = performance.now();
        const p = await window.formStudioHeadless!.extract(v, {
          variant: variant as 'lite' | 'full' | 'heavy',
          workers: w,
        });
        return { ms: performance.now() - t0, p };
      },
      [videoIds, workers, VARIANT] as const,
    ) as Promise<{ ms: number; p: ExtractProgress }>;

  // Cold: the first clip, frames not sampled yet, detector not started (2 workers, the app's default here).
  const cold = await extract([ids[0]!], 2);
  const perClip: Record<string, number[]> = Object.fromEntries(arms.map((a) => [a.name, []]));
  const msPerFrame: Record<string, number[]> = Object.fromEntries(arms.map((a) => [a.name, []]));
  const batchPerClip: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const a of arms) {
      // interleaved: every arm sees the same machine state
      // The app keeps two detectors; a third arm's restarts one, so each arm warms up (untimed) first.
      await extract([ids[0]!], a.workers);
      for (const id of ids) {
        const r = await extract([id], a.workers);
        if (r.p.ok !== 1) throw new Error(`${a.name}: clip ${id} not ok: ${JSON.stringify(r.p)}`);
        perClip[a.name]!.push(r.ms);
        msPerFrame[a.name]!.push(r.p.msPerFrame ?? NaN);
      }
    }
    // A job over several clips (the app's case): two clips in flight, whole clips per worker.
    const job = [...ids, ...ids];
    const batch = await extract(job, 2);
    if (batch.p.ok !== job.length) throw new Error(`batch not ok: ${JSON.stringify(batch.p)}`);
    batchPerClip.push(batch.ms / job.length);
  }
  const table = arms.map((a) => ({
    arm: a.name,
    clipMedianMs: Math.round(median(perClip[a.name]!)),
    clipMinMs: Math.round(Math.min(...perClip[a.name]!)),
    detectMsPerFrame: r1(median(msPerFrame[a.name]!)),
    speedupVsPage: Math.round((median(perClip.page!) / median(perClip[a.name]!)) * 100) / 100,
  }));
  const result = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      loadavgBefore: loadBefore,
      loadavgAfter: loadavg().map(r1),
    },
    setup: { variant: VARIANT, frames: 24, clipSeconds: 10, clips: CLIPS, rounds: ROUNDS, source: SOURCE },
    coldFirstClipMs: Math.round(cold.ms),
    coldDelegate: cold.p.delegate,
    arms: table,
    jobOf6PerClipMedianMs: Math.round(median(batchPerClip)),
    jobOf6PerClipMs: batchPerClip.map(Math.round),
    targetMs: 1000,
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/extract.json', JSON.stringify(result, null, 2) + '\n');
  console.log(
    `\nKeypoints of a 10-s clip in the app (${VARIANT}, 24 frames, frames cached), ${CLIPS} clips × ${ROUNDS} rounds, load ${loadBefore[0]}`,
  );
  console.log('arm        | per clip median | min     | model ms/frame | vs page');
  for (const t of table)
    console.log(
      `${t.arm.padEnd(10)} | ${String(t.clipMedianMs).padStart(12)} ms | ${String(t.clipMinMs).padStart(4)} ms | ${String(t.detectMsPerFrame).padStart(14)} | ${t.speedupVsPage}×`,
    );
  console.log(`2 workers, a job of 6 clips: ${result.jobOf6PerClipMedianMs} ms per clip (median of ${ROUNDS} jobs)`);
  console.log(
    `cold first clip (sampling + worker start-up included): ${result.coldFirstClipMs} ms via ${cold.p.delegate}`,
  );
} finally {
  await browser.close();
  await server.stop();
  removeHome(home);
}
