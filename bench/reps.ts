/**
 * Rep-count accuracy with exercise = auto (the counter is not told the exercise), on the fixture clips with
 * counts by eye (e2e/reps-counts.md), separately for the clips tuned on and the held-out clips
 * (e2e/reps-heldout.md, decided before tuning). Landmarks come from the real landmarker, dumped by
 *   REPS_DUMP_DIR=/tmp/reps-kp npx playwright test e2e/reps.spec.ts
 * Run: REPS_DUMP_DIR=/tmp/reps-kp npx tsx bench/reps.ts   → bench/results/reps.json
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildRepReport } from '../src-shared/reps/index.js';
import type { FrameLandmarks } from '../src-shared/keypoints/format.js';

const DIR = process.env.REPS_DUMP_DIR ?? '/tmp/reps-kp';
const CLIPS: Array<{
  name: string;
  expected: number;
  tolerance: number;
  hold?: [number, number];
  set: 'tuned' | 'held-out';
  ai?: boolean;
}> = [
  { name: 'rjsong_squat', expected: 12, tolerance: 0, set: 'tuned' },
  { name: 'tfjs_pose_squats', expected: 2, tolerance: 0, set: 'tuned' },
  { name: 'rjsong_plank2', expected: 0, tolerance: 0, hold: [24, 31], set: 'tuned' },
  { name: 'gymnai_squat', expected: 1, tolerance: 1, set: 'tuned', ai: true },
  { name: 'gymnai_push_up', expected: 1, tolerance: 1, set: 'tuned', ai: true },
  { name: 'rjsong_squat2', expected: 19, tolerance: 0, set: 'held-out' },
  { name: 'rjsong_pushups-front2', expected: 15, tolerance: 0, set: 'held-out' },
  { name: 'gymnai_bicep_curl', expected: 1, tolerance: 1, set: 'held-out', ai: true },
  { name: 'gymnai_overhead_press', expected: 1, tolerance: 1, set: 'held-out', ai: true },
];

const rows: Array<Record<string, string | number | boolean>> = [];
for (const c of CLIPS) {
  const file = path.join(DIR, `${c.name}.json`);
  if (!existsSync(file)) {
    console.log(`(no landmarks for ${c.name}: run the e2e spec with REPS_DUMP_DIR=${DIR})`);
    continue;
  }
  const d = JSON.parse(readFileSync(file, 'utf8')) as { timestampsSec: number[]; frames: FrameLandmarks[] };
  const aspect = c.name.startsWith('tfjs') ? 720 / 1280 : 16 / 9;
  const r = await buildRepReport({ frames: d.frames, timestampsSec: d.timestampsSec, aspect, exercise: 'auto' });
  const ok = c.hold
    ? r.holdSec !== null && r.holdSec >= c.hold[0] && r.holdSec <= c.hold[1] && r.count === 0
    : Math.abs(r.count - c.expected) <= c.tolerance;
  rows.push({
    clip: c.name,
    set: c.set,
    ai: !!c.ai,
    expected: c.hold ? `hold ${c.hold.join('–')} s` : c.expected,
    counted: r.holdSec !== null ? `hold ${r.holdSec.toFixed(1)} s` : r.count,
    signal: r.signalLabel,
    within: ok,
  });
}
console.table(rows);
const acc = (set: string, real: boolean) => {
  const xs = rows.filter((r) => r.set === set && r.ai === !real);
  return { clips: xs.length, within: xs.filter((r) => r.within).length };
};
const summary = {
  tuned_real: acc('tuned', true),
  tuned_ai: acc('tuned', false),
  heldout_real: acc('held-out', true),
  heldout_ai: acc('held-out', false),
};
console.log(summary);
mkdirSync(path.join(import.meta.dirname, 'results'), { recursive: true });
writeFileSync(
  path.join(import.meta.dirname, 'results/reps.json'),
  JSON.stringify({ at: new Date().toISOString(), host: { cpus: os.cpus().length }, summary, rows }, null, 1),
);
