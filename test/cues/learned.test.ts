import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  LandmarkCsvError,
  LearnedCueError,
  evaluateRepCues,
  learnedCue,
  parseLandmarkCsv,
  predictFrames,
  trainLearnedCues,
  type LearnedCueModel,
} from '../../src-shared/cues';
import { fixture } from '../support/fixtures';

const FIXTURE = fixture('quality', 'exercise_correction');
const plankText = readFileSync(`${FIXTURE}/plank/test.csv`, 'utf8');
const PLANK = { C: null, H: 'Hips too high', L: 'Hips too low' };

/** The CSV without the columns of `names` (every axis). */
function dropColumns(text: string, names: string[]): string {
  const lines = text
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  const keep = lines[0]!.map((h, i) => (names.some((n) => h.startsWith(n + '_')) ? -1 : i)).filter((i) => i >= 0);
  return lines.map((cells) => keep.map((i) => cells[i]).join(',')).join('\n');
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('landmark CSV import', () => {
  it('reads the Exercise-Correction plank set: 17 landmarks, C/H/L counts', () => {
    const csv = parseLandmarkCsv(plankText);
    expect(csv.rows).toHaveLength(710);
    expect(csv.labelCounts).toEqual({ C: 234, L: 235, H: 241 });
    expect(csv.landmarks).toContain('left_foot_index');
    expect(csv.landmarks).toHaveLength(17);
    expect(csv.rows[0]!.line).toBe(2);
    expect(Number.isNaN(csv.rows[0]!.frame[1]!.x)).toBe(true); // left_eye_inner: not in the file
  });

  it('maps other landmark names, and names what is wrong', () => {
    const renamed = plankText.replace(/^[^\n]*/, (h) => h.replace(/left_shoulder_/g, 'LShoulder_'));
    expect(() => parseLandmarkCsv(renamed)).toThrow(/unknown landmarks: LShoulder .*mapping/);
    expect(parseLandmarkCsv(renamed, { mapping: { LShoulder: 'left_shoulder' } }).landmarks).toContain('left_shoulder');
    expect(() => parseLandmarkCsv(renamed, { mapping: { LShoulder: 'shoulder_left' } })).toThrow(
      /'shoulder_left': not a MediaPipe landmark/,
    );
    expect(() => parseLandmarkCsv(dropColumns(plankText, []).replace('left_knee_y', 'left_knee_q'))).toThrow(
      /landmark left_knee has no left_knee_y column/,
    );
    expect(() => parseLandmarkCsv(plankText, { labelColumn: 'class' })).toThrow(/no 'class' column/);
    expect(() => parseLandmarkCsv('label,nose_x,nose_y\nC,0.5,abc\n')).toThrow(/non-numeric landmark values on line 2/);
    expect(() => parseLandmarkCsv('')).toThrow(LandmarkCsvError);
  });
});

describe('learned cue model', () => {
  let model: LearnedCueModel;

  it('trains on the plank set and reaches ≥ 90 % on held-out runs; the JSON round trip predicts the same', async () => {
    model = await trainLearnedCues(parseLandmarkCsv(plankText), { exercise: 'plank', labels: PLANK, epochs: 25 });
    expect(model.labels).toEqual(['C', 'H', 'L']);
    expect(model.metrics.testRows).toBeGreaterThan(100);
    expect(model.metrics.trainRows + model.metrics.testRows).toBe(710);
    expect(model.metrics.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(model.metrics.confusion.flat().reduce((a, b) => a + b, 0)).toBe(model.metrics.testRows);
    const rows = parseLandmarkCsv(plankText)
      .rows.slice(0, 20)
      .map((r) => r.frame);
    const copy = JSON.parse(JSON.stringify(model)) as LearnedCueModel;
    expect(predictFrames(copy, rows)).toEqual(predictFrames(model, rows));
  });

  it('joins the rule cues of a rep: frames labelled H give the learned "hips too high" cue', () => {
    const rows = parseLandmarkCsv(plankText)
      .rows.filter((r) => r.label === 'H')
      .slice(0, 30);
    const frames = rows.map((r) => r.frame);
    const t = frames.map((_, i) => i * 0.1);
    expect(learnedCue(model, frames)?.id).toBe('learned.plank.H');
    const report = evaluateRepCues(
      'plank',
      frames,
      t,
      { startSec: 0, endSec: t[t.length - 1]! },
      {},
      { learned: [model] },
    );
    const learned = report.fired.find((c) => c.source === 'learned');
    expect(learned).toMatchObject({ id: 'learned.plank.H', text: 'Hips too high' });
    expect(report.shown).not.toBeNull();
    // switched off: gone
    expect(
      evaluateRepCues(
        'plank',
        frames,
        t,
        { startSec: 0, endSec: 3 },
        { disabled: ['learned.plank.H'] },
        { learned: [model] },
      ).fired.some((c) => c.source === 'learned'),
    ).toBe(false);
    // correct frames: no learned cue
    const good = parseLandmarkCsv(plankText)
      .rows.filter((r) => r.label === 'C')
      .slice(0, 30)
      .map((r) => r.frame);
    expect(learnedCue(model, good)).toBeNull();
  });

  it('frames unlike the training data (another set-up) are not judged: no learned cue from them', () => {
    expect(model.maxAbsZ).toBeGreaterThan(1);
    const rows = parseLandmarkCsv(plankText)
      .rows.filter((r) => r.label === 'H')
      .slice(0, 30);
    // the same poses with a depth estimate 10× as deep (a different pose model or camera)
    const far = rows.map((r) => r.frame.map((l) => ({ ...l, z: l.z * 10 })));
    expect(predictFrames(model, far).filter((p) => p !== null).length).toBeLessThan(15);
    expect(learnedCue(model, far)).toBeNull();
    const unguarded = { ...model, maxAbsZ: undefined };
    expect(predictFrames(unguarded, far).every((p) => p !== null)).toBe(true);
  });

  it('bad input is refused before training, each problem named', async () => {
    const noAnkles = parseLandmarkCsv(dropColumns(plankText, ['left_ankle', 'right_ankle']));
    await expect(trainLearnedCues(noAnkles, { exercise: 'plank', labels: PLANK })).rejects.toThrow(
      /missing landmark columns for plank: left_ankle_x, left_ankle_y, right_ankle_x, right_ankle_y/,
    );
    const csv = parseLandmarkCsv(plankText);
    await expect(trainLearnedCues(csv, { exercise: 'plank', labels: { C: null, H: 'x' } })).rejects.toThrow(
      /unknown labels: 'L' \(235 rows\); the cue spec has 'C', 'H'/,
    );
    await expect(trainLearnedCues(csv, { exercise: 'plank', labels: PLANK, minRowsPerClass: 240 })).rejects.toThrow(
      /too few rows for label 'C': 234 \(need at least 240\).*'L': 235/,
    );
    await expect(trainLearnedCues(csv, { exercise: 'plank', labels: { ...PLANK, X: 'y' } })).rejects.toThrow(
      /too few rows for label 'X': 0/,
    );
    const err = await trainLearnedCues(noAnkles, { exercise: 'plank', labels: { C: null } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LearnedCueError);
    expect((err as LearnedCueError).problems.length).toBeGreaterThanOrEqual(3);
  });

  it('a cancelled run returns no model', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(
      trainLearnedCues(parseLandmarkCsv(plankText), { exercise: 'plank', labels: PLANK, epochs: 3, signal: ac.signal }),
    ).rejects.toThrow(/training cancelled/);
  });
});
