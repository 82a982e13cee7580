/**
 * `npm run bench`: every benchmark, one after the other (they would disturb each other in parallel),
 * each writing bench/results/<name>.json; then a summary table. `npm run bench -- media pose` runs a subset.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';

const ALL = [
  'media',
  'frames',
  'pose',
  'extract',
  'training',
  'kfold',
  'tflite',
  'grid',
  'live',
  'evaluation',
  'cues',
  'cli',
  'shards',
];
const chosen = process.argv.slice(2).length ? process.argv.slice(2) : ALL;
const unknown = chosen.filter((n) => !ALL.includes(n));
if (unknown.length) {
  console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Known: ${ALL.join(', ')}`);
  process.exit(2);
}
if (!existsSync('dist/renderer/index.html')) spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });

const summary: Array<{ name: string; seconds: number; exit: number | null; loadBefore: number }> = [];
for (const name of chosen) {
  console.log(`\n=== bench ${name} ===`);
  const loadBefore = loadavg()[0];
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', `bench/${name}.ts`], { stdio: 'inherit' });
  summary.push({ name, seconds: (Date.now() - t0) / 1000, exit: r.status, loadBefore });
}
mkdirSync('bench/results', { recursive: true });
const results = Object.fromEntries(
  chosen.map((n) => [
    n,
    existsSync(`bench/results/${n}.json`) ? JSON.parse(readFileSync(`bench/results/${n}.json`, 'utf8')) : null,
  ]),
);
writeFileSync(
  'bench/results/summary.json',
  JSON.stringify({ when: new Date().toISOString(), runs: summary, results }, null, 2) + '\n',
);
console.log('\nbenchmark | seconds | exit | load average before');
for (const s of summary)
  console.log(
    `${s.name.padEnd(9)} | ${s.seconds.toFixed(0).padStart(7)} | ${String(s.exit).padStart(4)} | ${s.loadBefore.toFixed(1)}`,
  );
console.log('Results: bench/results/*.json (summary.json has them all).');
process.exit(summary.some((s) => s.exit !== 0) ? 1 : 0);
