/**
 * Form cues on the HELD-OUT fixture clips (e2e/cues-by-eye.md "Held-out clips": judged by eye before any cue
 * code ran on them; six AI-generated, one 3D avatar), reported apart from the clips the rules were tuned on.
 * Every expected cue there is "none", so each cue shown is a false one: the figure is how often cues speak up
 * on unseen footage. Also: the learned plank model on the tuned real plank clip, with and without the
 * out-of-distribution guard (learned.ts `maxAbsZ`).
 *
 *   npx tsx bench/cues-heldout.ts     → bench/results/cues-heldout.json and a table
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { CUE_CLIPS, HELD_OUT_CUE_CLIPS, cachedClip, ensureClipLandmarks, fixturesDir } from './cues-landmarks';
import { evaluateRepCues } from '../src-shared/cues/evaluate';
import { LiveCueFilter } from '../src-shared/cues/sparing';
import { holdWindows } from '../src-shared/cues/set-cues';
import { parseLandmarkCsv } from '../src-shared/cues/landmark-csv';
import { trainLearnedCues } from '../src-shared/cues/train-learned';
import type { LearnedCueModel } from '../src-shared/cues/learned';
import type { RepWindow } from '../src-shared/cues/types';
import { countReps } from '../src-shared/reps';

await tf.setBackend('cpu');
await ensureClipLandmarks();
const FIX = fixturesDir();
const CSV_ASPECT = 16 / 9; // as bench/cues.ts: the Exercise-Correction landmarks were read at 16:9
const models: LearnedCueModel[] = [];
for (const [file, exercise, labels] of [
  ['plank/test.csv', 'plank', { C: null, H: 'Hips too high', L: 'Hips too low' }],
  ['bicep/test.csv', 'dumbbell_curl', { C: null, L: "Don't lean back" }],
] as const) {
  const csv = parseLandmarkCsv(readFileSync(join(FIX, 'quality', 'exercise_correction', file), 'utf8'));
  models.push(await trainLearnedCues(csv, { exercise, labels: { ...labels }, aspect: CSV_ASPECT }));
}
const unguarded = models.map((m) => ({ ...m, maxAbsZ: undefined }));

/** By-eye hold spans of the plank clips (not the getting down / supermans). */
const HOLDS: Record<string, [number, number]> = { 'rjsong_plank2.mp4': [2, 30.5], 'gymnai_plank.mp4': [0, 8] };

function runClip(clip: (typeof CUE_CLIPS)[number], learned: readonly LearnedCueModel[]) {
  const kp = cachedClip(clip);
  if (!kp) throw new Error(`${clip.file}: no landmarks`);
  const hold = HOLDS[clip.file];
  const windows: RepWindow[] = hold
    ? holdWindows([{ startSec: hold[0], endSec: hold[1] }])
    : countReps(kp.frames, kp.timestampsSec, clip.exercise, { aspect: kp.aspect }).reps;
  const live = new LiveCueFilter();
  const shown: string[] = [],
    views: string[] = [],
    liveShown: string[] = [];
  for (const w of windows) {
    const r = evaluateRepCues(clip.exercise, kp.frames, kp.timestampsSec, w, {}, { aspect: kp.aspect, learned });
    views.push(r.view);
    shown.push(r.shown ? `${r.shown.id}(${r.shown.severity})` : '-');
    const l = live.push(r.shown ? [r.shown] : []);
    if (l) liveShown.push(l.id);
  }
  return { clip: clip.file, exercise: clip.exercise, windows: windows.length, views, shown, liveShown };
}

const count = (rows: ReturnType<typeof runClip>[]) => ({
  windows: rows.reduce((a, r) => a + r.windows, 0),
  shown: rows.reduce((a, r) => a + r.shown.filter((s) => s !== '-').length, 0),
  liveShown: rows.reduce((a, r) => a + r.liveShown.length, 0),
});
const heldRules = HELD_OUT_CUE_CLIPS.map((c) => runClip(c, []));
const heldLearned = HELD_OUT_CUE_CLIPS.map((c) => runClip(c, models));
const plank = CUE_CLIPS.find((c) => c.file === 'rjsong_plank2.mp4')!;
const result = {
  when: new Date().toISOString(),
  heldOut: { rules: heldRules, rulesAndLearned: heldLearned },
  heldOutCounts: { rules: count(heldRules), rulesAndLearned: count(heldLearned) },
  tunedPlank: { guarded: runClip(plank, models), unguarded: runClip(plank, unguarded) },
  guard: models.map((m) => ({ exercise: m.exercise, maxAbsZ: m.maxAbsZ, accuracy: m.metrics.accuracy })),
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/cues-heldout.json', JSON.stringify(result, null, 2) + '\n');

console.log('| cues | clip | windows | views | shown per rep | live |\n|---|---|---|---|---|---|');
for (const [name, rows] of [
  ['rules', heldRules],
  ['rules+learned', heldLearned],
] as const)
  for (const r of rows)
    console.log(
      `| ${name} | ${r.clip} | ${r.windows} | ${r.views.join(' ')} | ${r.shown.join(' ')} | ${r.liveShown.join(' ') || '-'} |`,
    );
for (const [k, c] of Object.entries(result.heldOutCounts))
  console.log(
    `held-out, ${k}: ${c.shown} cues shown on ${c.windows} reps/windows (all false: none expected); live ${c.liveShown}`,
  );
for (const [k, r] of Object.entries(result.tunedPlank))
  console.log(`tuned rjsong_plank2, rules+learned ${k}: ${r.shown.join(' ')}`);
console.log(`guard: ${JSON.stringify(result.guard)}   → bench/results/cues-heldout.json`);
