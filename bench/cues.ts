/**
 * Form cues (src-shared/cues), measured:
 *  1. On the Exercise-Correction labelled landmark sets (../shared/fixtures/quality/exercise_correction, one row =
 *     one video frame): accuracy and per-class recall of the rule cues (plank hips high / low, curl lean back) and
 *     of the learned cue model trained in process, on a held-out part of each file (whole runs of same-label rows,
 *     and the tail of every run). Target: learned ≥ 90 % on plank and bicep.
 *  2. On the fixture clips judged by eye beforehand (e2e/cues-by-eye.md): cues shown per rep and live, and their
 *     precision. The clips' landmarks are made once by bench/cues-landmarks.ts (MediaPipe, a few minutes) and cached.
 *  3. Cost: cuesForRep per rep (all rules of the exercise + a learned model). Target < 2 ms.
 *
 *   npx tsx bench/cues.ts        → bench/results/cues.json and a table
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { CUE_CLIPS, cachedClip, ensureClipLandmarks, fixturesDir } from './cues-landmarks';
import {
  LiveCueFilter,
  cuesForRep,
  evaluateRepCues,
  heldOutRows,
  parseLandmarkCsv,
  summarizeCues,
  trainLearnedCues,
  type Cue,
  type LandmarkCsv,
  type LearnedCueModel,
} from '../src-shared/cues';
import { countReps } from '../src-shared/reps';
import type { ExerciseType } from '../src-shared/domain/exercises';

await tf.setBackend('cpu');
const loadBefore = loadavg();
let clipsProblem: string | null = null;
try {
  await ensureClipLandmarks();
} catch (e) {
  clipsProblem = `clip landmarks not made: ${(e as Error).message}`; // the labelled-set figures still stand
  console.error(clipsProblem);
}
const FIX = fixturesDir();
/**
 * The CSVs carry no image size. Their landmarks were read as 16:9: in the plank set's correct rows the upper arm
 * is 0.94 (normalised units) of the horizontal torso, against 0.57 in true units on the real side-view plank clip
 * (and anatomically), i.e. x was squeezed by ≈ 1.66 ≈ 16:9.
 */
const CSV_ASPECT = 16 / 9;
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

interface SetSpec {
  name: string;
  file: string;
  exercise: ExerciseType;
  labels: Record<string, string | null>;
  /** Rule id → the label it stands for; no rule firing = `ruleDefault`. Absent: no rule for this set. */
  rules?: Record<string, string>;
  ruleDefault?: string;
}
const SETS: SetSpec[] = [
  {
    name: 'plank',
    file: 'plank/test.csv',
    exercise: 'plank',
    labels: { C: null, H: 'Hips too high', L: 'Hips too low' },
    rules: { 'plank.hips_high': 'H', 'plank.hips_low': 'L' },
    ruleDefault: 'C',
  },
  {
    name: 'bicep',
    file: 'bicep/test.csv',
    exercise: 'dumbbell_curl',
    labels: { C: null, L: "Don't lean back" },
    rules: { 'dumbbell_curl.lean_back': 'L' },
    ruleDefault: 'C',
  },
  {
    name: 'squat (up/down stage, not form)',
    file: 'squat/test.csv',
    exercise: 'squat',
    labels: { up: null, down: null },
  },
];

function scores(labels: string[], truth: string[], pred: Array<string | null>) {
  const confusion = labels.map((t) => labels.map((p) => truth.filter((x, i) => x === t && pred[i] === p).length));
  const judged = pred.filter((p) => p !== null).length;
  return {
    accuracy: round(truth.filter((t, i) => t === pred[i]).length / truth.length),
    recall: Object.fromEntries(
      labels.map((l, i) => [l, round(confusion[i]![i]! / Math.max(1, truth.filter((t) => t === l).length))]),
    ),
    confusion,
    notJudged: truth.length - judged,
    rows: truth.length,
  };
}

/** Rule cues on single labelled frames: each row is judged as a one-frame hold/rep. */
function ruleLabels(set: SetSpec, csv: LandmarkCsv, idx: number[]): Array<string | null> {
  return idx.map((i) => {
    const f = csv.rows[i]!.frame;
    const r = evaluateRepCues(set.exercise, [f], [0], { startSec: 0, endSec: 0 }, {}, { aspect: CSV_ASPECT });
    const mine = r.rules.filter((o) => o.id in set.rules!);
    if (mine.every((o) => o.status === 'wrong-view' || o.status === 'not-visible')) return null;
    const fired = mine.flatMap((o) => (o.status === 'fired' ? [o.cue] : [])).sort((a, b) => b.severity - a.severity);
    return fired.length ? set.rules![fired[0]!.id]! : set.ruleDefault!;
  });
}

const setResults: Record<string, unknown>[] = [];
const models: LearnedCueModel[] = [];
for (const set of SETS) {
  const csv = parseLandmarkCsv(readFileSync(join(FIX, 'quality', 'exercise_correction', set.file), 'utf8'));
  const labels = Object.keys(set.labels);
  const row: Record<string, unknown> = { set: set.name, rows: csv.rows.length, labels: csv.labelCounts };
  for (const split of ['runs', 'tail'] as const) {
    const t0 = performance.now();
    const m = await trainLearnedCues(csv, { exercise: set.exercise, labels: set.labels, split, aspect: CSV_ASPECT });
    const trainMs = performance.now() - t0;
    if (split === 'runs' && set.rules) models.push(m);
    const test = [
      ...heldOutRows(
        csv.rows.map((r) => r.label),
        0.2,
        split,
      ),
    ].sort((a, b) => a - b);
    row[`learned_${split}`] = {
      accuracy: m.metrics.accuracy,
      recall: Object.fromEntries(labels.map((l, i) => [l, m.metrics.recall[i]])),
      confusion: m.metrics.confusion,
      trainRows: m.metrics.trainRows,
      testRows: m.metrics.testRows,
      trainMs: Math.round(trainMs),
    };
    if (set.rules)
      row[`rules_${split}`] = scores(
        labels,
        test.map((i) => csv.rows[i]!.label),
        ruleLabels(set, csv, test),
      );
  }
  if (set.rules) {
    const all = csv.rows.map((_, i) => i);
    row.rules_all = scores(
      labels,
      all.map((i) => csv.rows[i]!.label),
      ruleLabels(set, csv, all),
    );
  }
  setResults.push(row);
}

// --- 2. fixture clips judged by eye (e2e/cues-by-eye.md): expected cue per rep (null = none)
const BY_EYE: Record<string, { expected: string | null; from?: number; to?: number }> = {
  'rjsong_squat.mp4': { expected: null },
  'rjsong_squat2.mp4': { expected: null },
  'tfjs_pose_squats.mp4': { expected: 'squat.depth' },
  'rjsong_pushups-front2.mp4': { expected: null },
  'rjsong_plank2.mp4': { expected: null, from: 2, to: 30.5 },
};
const clipResults: Record<string, unknown>[] = [];
const costSamples: Array<{
  exercise: ExerciseType;
  frames: Parameters<typeof cuesForRep>[1];
  t: number[];
  rep: { startSec: number; endSec: number; bottomSec?: number };
  aspect: number;
}> = [];
/** Precision of the cues shown, rules only and rules + the learned models trained above. */
const precision: Record<
  string,
  { shown: number; right: number; liveShown: number; liveRight: number; expected: number; found: number }
> = {};
for (const variant of ['rules', 'rules+learned'] as const) {
  const P = (precision[variant] = { shown: 0, right: 0, liveShown: 0, liveRight: 0, expected: 0, found: 0 });
  for (const clip of CUE_CLIPS) {
    const kp = cachedClip(clip);
    if (!kp) {
      if (variant === 'rules')
        clipResults.push({ clip: clip.file, skipped: 'no cached landmarks: run npx tsx bench/cues-landmarks.ts' });
      continue;
    }
    const truth = BY_EYE[clip.file]!;
    let windows: Array<{ startSec: number; endSec: number; bottomSec?: number }>;
    if (clip.exercise === 'plank') {
      // the hold judged in 5-s windows (a live coach would speak at most that often)
      windows = [];
      for (let s = truth.from!; s + 5 <= truth.to!; s += 5) windows.push({ startSec: s, endSec: s + 5 });
    } else windows = countReps(kp.frames, kp.timestampsSec, clip.exercise, { aspect: kp.aspect }).reps;
    const live = new LiveCueFilter();
    const perRep: Cue[][] = [];
    const views: string[] = [],
      fired: string[] = [],
      liveShown: string[] = [];
    for (const w of windows) {
      const report = evaluateRepCues(
        clip.exercise,
        kp.frames,
        kp.timestampsSec,
        w,
        {},
        { aspect: kp.aspect, learned: variant === 'rules' ? [] : models },
      );
      const shown = report.shown ? [report.shown] : [];
      perRep.push(shown);
      views.push(report.view);
      fired.push(report.fired.map((c) => `${c.id}(${c.severity})`).join('+') || '-');
      const l = live.push(shown);
      if (l) liveShown.push(l.id);
      P.shown += shown.length;
      P.right += shown.filter((c) => c.id === truth.expected).length;
      P.liveShown += l ? 1 : 0;
      P.liveRight += l && l.id === truth.expected ? 1 : 0;
      if (truth.expected) {
        P.expected++;
        if (shown.some((c) => c.id === truth.expected)) P.found++;
      }
      if (variant === 'rules+learned')
        costSamples.push({
          exercise: clip.exercise,
          frames: kp.frames,
          t: kp.timestampsSec,
          rep: w,
          aspect: kp.aspect,
        });
    }
    const viewCount = Object.fromEntries([...new Set(views)].map((v) => [v, views.filter((x) => x === v).length]));
    clipResults.push({
      variant,
      clip: clip.file,
      exercise: clip.exercise,
      reps: windows.length,
      expected: truth.expected ?? 'none',
      views: viewCount,
      shownPerRep: perRep.map((c) => c[0]?.id ?? '-'),
      firedPerRep: fired,
      liveShown,
      summary: summarizeCues(perRep),
    });
  }
}

// --- 3. cost per rep: every clip rep (all rules + the learned plank/bicep models where they apply), repeated;
// side by side, the same with a second (named) model per exercise, as a coach with two models would run
const withSecond = [...models, ...models.map((m) => ({ ...m, name: 'second' }))];
const costOf = (learned: LearnedCueModel[]) => {
  for (const s of costSamples) cuesForRep(s.exercise, s.frames, s.t, s.rep, {}, { aspect: s.aspect, learned }); // warm-up
  const t0 = performance.now();
  for (let k = 0; k < 20; k++)
    for (const s of costSamples) cuesForRep(s.exercise, s.frames, s.t, s.rep, {}, { aspect: s.aspect, learned });
  return (performance.now() - t0) / (20 * costSamples.length);
};
let costMs = NaN,
  costTwoModelsMs = NaN,
  costReps = 0;
if (costSamples.length) {
  // alternated, best of three each: the first pass also pays for the JIT and would favour whichever runs second
  const one: number[] = [],
    two: number[] = [];
  for (let r = 0; r < 3; r++) {
    one.push(costOf(models));
    two.push(costOf(withSecond));
  }
  costMs = Math.min(...one);
  costTwoModelsMs = Math.min(...two);
  costReps = 20 * costSamples.length;
}

const result = {
  when: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    loadavgBefore: loadBefore.map((x) => round(x, 1)),
    loadavgAfter: loadavg().map((x) => round(x, 1)),
  },
  sets: setResults,
  clips: clipResults,
  clipPrecision: Object.fromEntries(
    Object.entries(precision).map(([k, p]) => [
      k,
      {
        ...p,
        precision: p.shown ? round(p.right / p.shown) : null,
        livePrecision: p.liveShown ? round(p.liveRight / p.liveShown) : null,
      },
    ]),
  ),
  clipsProblem,
  costPerRepMs: round(costMs, 4),
  costPerRepTwoModelsMs: round(costTwoModelsMs, 4),
  costReps,
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/cues.json', JSON.stringify(result, null, 2) + '\n');

const pct = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? `${(x * 100).toFixed(1)} %` : '—');
const rec = (r: Record<string, number>) =>
  Object.entries(r)
    .map(([k, v]) => `${k} ${pct(v)}`)
    .join(', ');
console.log('\n| set | method | held-out | accuracy | recall per class | not judged |\n|---|---|---|---|---|---|');
for (const s of setResults) {
  for (const key of ['learned_runs', 'learned_tail', 'rules_runs', 'rules_tail', 'rules_all']) {
    const v = s[key] as
      | { accuracy: number; recall: Record<string, number>; testRows?: number; rows?: number; notJudged?: number }
      | undefined;
    if (!v) continue;
    const [method, split] = key.split('_');
    console.log(
      `| ${s.set} | ${method} | ${split === 'all' ? 'all rows' : split === 'runs' ? 'whole runs' : 'run tails'} (${v.testRows ?? v.rows} rows) | ${pct(v.accuracy)} | ${rec(v.recall)} | ${v.notJudged ?? '—'} |`,
    );
  }
}
console.log(
  '\n| cues | clip | reps | expected (by eye) | views | shown per rep | live shown |\n|---|---|---|---|---|---|---|',
);
for (const c of clipResults) {
  if ('skipped' in c) console.log(`| — | ${c.clip} | — | — | — | ${c.skipped} | — |`);
  else
    console.log(
      `| ${c.variant} | ${c.clip} | ${c.reps} | ${c.expected} | ${JSON.stringify(c.views)} | ${(c.shownPerRep as string[]).join(' ')} | ${(c.liveShown as string[]).join(' ') || '-'} |`,
    );
}
for (const [k, p] of Object.entries(result.clipPrecision)) {
  console.log(
    `clips, ${k}: ${p.shown} cues shown per rep, ${p.right} right (precision ${pct(p.precision)}); live ${p.liveShown} shown, ${p.liveRight} right (${pct(p.livePrecision)}); expected cues found ${p.found}/${p.expected}`,
  );
}
console.log(
  `cost: ${costMs.toFixed(3)} ms per rep (two models per exercise: ${costTwoModelsMs.toFixed(3)}) over ${costReps} reps (target < 2 ms)   → bench/results/cues.json`,
);
