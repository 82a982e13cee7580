/**
 * CLI start-up, side by side in one run: the bundle built by `npm run build` (dist/cli) against the tsx
 * path used in development, both through bin/form-studio.js as a user runs it.
 *   - `form-studio --help` (goal < 1 s)
 *   - `form-studio score <clip>` of a 30-s clip with its keypoints already cached (goal < 2 s): a seeded model, one real
 *     fixture clip scored once first (pose extracted in headless Chromium), then timed.
 * Median of 5 runs each, alternating, so machine noise hits both alike. Writes bench/results/cli.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture } from '../test/support/fixtures';

const RUNS = 5;
const home = mkdtempSync(join(tmpdir(), 'bench-cli-'));
const clip = fixture('videos', 'rjsong_squat.mp4'); // 30 s, the case

function node(args: string[], env: Record<string, string> = {}): { ms: number; code: number | null; out: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 600_000 });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms: performance.now() - t0, code: r.status, out: r.stdout };
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  node(['--import', 'tsx', 'scripts/build-cli.ts']);
  node(['--import', 'tsx', 'test/support/seed-model.ts', home, '1']);
  const first = node(['bin/form-studio.js', 'score', clip, '--home', home]);
  if (!/Predicted Quality Score/.test(first.out)) throw new Error(`score printed no result block:\n${first.out}`);
  console.log(`first score (pose extraction in headless Chromium): ${(first.ms / 1000).toFixed(1)} s`);

  const cases = [
    { name: 'help', args: ['bin/form-studio.js', '--help'], goalMs: 1000 },
    { name: 'score (cached keypoints)', args: ['bin/form-studio.js', 'score', clip, '--home', home], goalMs: 2000 },
  ];
  const rows = [];
  for (const c of cases) {
    const bundle: number[] = [];
    const tsx: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      bundle.push(node(c.args).ms);
      tsx.push(node(c.args, { FORM_STUDIO_CLI: 'tsx' }).ms);
    }
    const row = {
      command: c.name,
      bundleMedianMs: Math.round(median(bundle)),
      tsxMedianMs: Math.round(median(tsx)),
      goalMs: c.goalMs,
      bundleMs: bundle.map(Math.round),
      tsxMs: tsx.map(Math.round),
    };
    rows.push(row);
    console.log(
      `${c.name.padEnd(26)} bundle ${row.bundleMedianMs} ms · tsx ${row.tsxMedianMs} ms · goal < ${c.goalMs} ms${row.bundleMedianMs < c.goalMs ? '' : '  (over the goal)'}`,
    );
  }
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    'bench/results/cli.json',
    JSON.stringify({ at: new Date().toISOString(), load: loadavg(), runs: RUNS, rows }, null, 1) + '\n',
  );
} finally {
  rmSync(home, { recursive: true, force: true });
}
