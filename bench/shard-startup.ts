/**
 * Part of bench/shards.ts: where a shard's time goes on a short clip (its start-up), arms interleaved in one
 * run so machine noise hits them alike: this checkout's CLI bundle, this checkout from sources (tsx, as a
 * checkout being edited runs), and optionally a baseline git ref (`--baseline main`: extracted with
 * `git archive`, built, run from its own bundle) — the before/after of a start-up change, side by side.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fixture } from '../test/support/fixtures';
import { cutClip } from '../test/support/short-clip';

interface Arm {
  name: string;
  cli: string;
  env?: Record<string, string>;
}

function run(cmd: string, args: string[], cwd = process.cwd()): void {
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status}`);
}

/** A git ref of this repository, extracted and built beside the bench's files (node_modules shared). */
function buildBaseline(ref: string, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const tar = spawnSync('git', ['archive', '--format=tar', ref], { maxBuffer: 1 << 30 });
  if (tar.status !== 0) throw new Error(`git archive ${ref}: ${tar.stderr}`);
  const x = spawnSync('tar', ['-x', '-C', dir], { input: tar.stdout });
  if (x.status !== 0) throw new Error(`tar: ${x.stderr}`);
  symlinkSync(resolve('node_modules'), join(dir, 'node_modules'));
  run('npm', ['run', 'build', '--silent'], dir);
  return join(dir, 'bin', 'form-studio.js');
}

/**
 * One shard run: wall seconds, its phases, and the CPU seconds of the whole process tree (the CLI, ffmpeg,
 * Chromium and its renderers, as /usr/bin/time counts waited-for children): the work done, which the
 * machine's load changes far less than the wall time.
 */
function shardOnce(arm: Arm, manifest: string, out: string) {
  return new Promise<{ seconds: number; cpuSeconds: number; phases: Record<string, number> }>((done, fail) => {
    const t0 = performance.now();
    const timeFile = `${out}.time`;
    const cmd = [arm.cli, 'keypoints', '--manifest', manifest, '--shard', '0/1', '--out', out];
    const p = spawn('/usr/bin/time', ['-f', '%U %S', '-o', timeFile, process.execPath, ...cmd], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ...arm.env },
    });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('exit', (code) => {
      const seconds = (performance.now() - t0) / 1000;
      if (code !== 0) return fail(new Error(`${arm.name}: exit ${code}\n${err}`));
      const summary = readdirSync(out).find((f) => /^shard-.*\.json$/.test(f))!;
      const phases = (JSON.parse(readFileSync(join(out, summary), 'utf8')) as { phases: Record<string, number> })
        .phases;
      const [user, sys] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
      done({ seconds, cpuSeconds: user + sys, phases });
    });
  });
}

const r2 = (x: number) => Math.round(x * 100) / 100;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function measureStartUp(
  work: string,
  opts: { rounds: number; baseline?: string; clipSeconds: number; sources: boolean },
) {
  // Both builds from this checkout's sources: the bundle arm must not fall back to tsx (stale bundle).
  run('npm', ['run', 'build:renderer', '--silent']);
  run('npm', ['run', 'build:cli', '--silent']);
  const arms: Arm[] = [{ name: 'this checkout, bundle', cli: 'bin/form-studio.js' }];
  if (opts.sources)
    arms.push({ name: 'this checkout, sources (tsx)', cli: 'bin/form-studio.js', env: { FORM_STUDIO_CLI: 'tsx' } });
  if (opts.baseline)
    arms.push({
      name: `${opts.baseline}, bundle`,
      cli: buildBaseline(opts.baseline, join(work, 'baseline')),
    });
  const vids = join(work, 'startup-vids');
  mkdirSync(vids);
  const clip = join(vids, 'clip.mp4');
  cutClip(fixture('videos', 'rjsong_squat.mp4'), clip, { seconds: opts.clipSeconds, preset: 'veryfast' });
  const manifest = join(work, 'startup.jsonl');
  run(process.execPath, ['bin/form-studio.js', 'keypoints', 'manifest', '--folder', vids, '--out', manifest]);
  const runs: Record<
    string,
    Array<{ seconds: number; cpuSeconds: number; phases: Record<string, number>; load: number }>
  > = {};
  for (let round = 0; round < opts.rounds; round++)
    for (const arm of arms) {
      const load = loadavg()[0];
      const r = await shardOnce(arm, manifest, join(work, `startup-${round}-${arms.indexOf(arm)}`));
      (runs[arm.name] ??= []).push({
        seconds: r2(r.seconds),
        cpuSeconds: r2(r.cpuSeconds),
        phases: r.phases,
        load: r2(load),
      });
      console.log(
        `start-up, ${arm.name}, round ${round + 1}: ${r.seconds.toFixed(1)} s wall, ${r.cpuSeconds.toFixed(1)} CPU s, load ${load.toFixed(1)} ${JSON.stringify(r.phases)}`,
      );
    }
  const med = (f: (x: (typeof runs)[string][number]) => number) =>
    Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, r2(median(v.map(f)))]));
  const medians = { wallSeconds: med((x) => x.seconds), cpuSeconds: med((x) => x.cpuSeconds) };
  console.log(`start-up medians (one ${opts.clipSeconds}-s clip, 1 shard): ${JSON.stringify(medians)}`);
  return { clipSeconds: opts.clipSeconds, rounds: opts.rounds, medians, runs };
}
