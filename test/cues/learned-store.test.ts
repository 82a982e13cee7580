/**
 * Learned cue models kept in the project and run by the app: `cues.trainLearned` trains from a real landmark CSV
 * (the Exercise-Correction sets) with real tfjs and saves cue-models/<exercise>.json atomically; bad data saves
 * nothing and keeps the previous model; the stored model runs in the rep report (Score a video, CLI score) and in
 * Live, and can be switched off per exercise.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Services } from '../../src-main/services';
import { LEARNED_CUES_DIR } from '../../src-main/cues/learned-store';
import { buildRepReport } from '../../src-shared/reps/report';
import { parseLandmarkCsv } from '../../src-shared/cues/landmark-csv';
import { LiveCues } from '../../src-renderer/live/live-cues';
import { flattenFrame } from '../../src-shared/keypoints/stored';
import { fixture } from '../support/fixtures';

const BICEP = fixture('quality', 'exercise_correction', 'bicep', 'test.csv');
const PLANK = fixture('quality', 'exercise_correction', 'plank', 'test.csv');
const tmp = mkdtempSync(join(tmpdir(), 'fs-learned-cues-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('learned cue models in the project', () => {
  const s = new Services({ home: join(tmp, 'home'), mode: 'browser' });
  afterAll(() => s.close());
  const dir = () => join(s.paths.home, LEARNED_CUES_DIR);

  it('preview, train from a path (the CSV only read), saved atomically, listed in full', async () => {
    const before = readFileSync(BICEP);
    const preview = await s.invoke('cues.previewCsv', { path: BICEP });
    expect(preview.rows).toBe(readFileSync(BICEP, 'utf8').trim().split('\n').length - 1);
    expect(Object.keys(preview.labelCounts).sort()).toEqual(['C', 'L']);
    expect(preview.landmarks).toContain('left_elbow');

    const m = await s.invoke('cues.trainLearned', {
      path: BICEP,
      exercise: 'dumbbell_curl',
      labels: { C: '', L: "Don't lean back" },
      aspect: 1.778,
      epochs: 15,
    });
    expect(m.sourceName).toBe('test.csv');
    expect(m.cueText).toEqual([null, "Don't lean back"]);
    expect(m.metrics.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(m.metrics.confusion.flat().reduce((a, b) => a + b, 0)).toBe(m.metrics.testRows);
    expect(readdirSync(dir())).toEqual(['dumbbell_curl.json']); // no temp file left behind
    const { models } = await s.invoke('cues.listLearned', {});
    expect(models).toEqual([m]);
    expect(readFileSync(BICEP).equals(before)).toBe(true);
  });

  it('bad data: bad_input naming the problem, nothing saved, the previous model kept', async () => {
    const file = join(dir(), 'dumbbell_curl.json');
    const kept = readFileSync(file, 'utf8');
    const text = readFileSync(BICEP, 'utf8');
    const bad = async (input: Record<string, unknown>, want: RegExp) => {
      const r = await s.call('cues.trainLearned', { text, name: 'bicep.csv', exercise: 'dumbbell_curl', ...input });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('bad_input');
        expect(r.error.message).toMatch(want);
        expect(r.error.message).toMatch(/nothing trained or saved/);
      }
    };
    await bad({ labels: { C: null } }, /unknown labels: 'L' \(\d+ rows\)/);
    await bad({ labels: { C: null, L: 'x' }, minRowsPerClass: 100_000 }, /too few rows for label 'C'/);
    await bad({ labels: { C: null, L: null } }, /no label has a cue text/);
    await bad({ labels: { C: null, L: 'x' }, exercise: 'plank' }, /missing landmark columns for plank: left_ankle_x/);
    await bad({ labels: { C: null, L: 'x' }, labelColumn: 'class' }, /no 'class' column/);
    const noY = text.replace(/^[^\n]*/, (h) => h.replace('left_elbow_y', 'left_elbow_q'));
    await bad({ labels: { C: null, L: 'x' }, text: noY }, /landmark left_elbow has no left_elbow_y column/);
    expect(readFileSync(file, 'utf8')).toBe(kept);
    expect(existsSync(join(dir(), 'plank.json'))).toBe(false);
    // neither a path nor text / both: refused by the schema
    const both = await s.call('cues.trainLearned', { path: BICEP, text, exercise: 'plank', labels: { C: null } });
    expect(both.ok).toBe(false);
  });

  it('a damaged model file is an error naming it (not skipped); delete removes a model', async () => {
    writeFileSync(join(dir(), 'plank.json'), '{"format": "form-studio.learned-cues", "version": 1, "labels": [');
    const r = await s.call('cues.listLearned', {});
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('io_error');
      expect(r.error.message).toMatch(/plank\.json is not valid JSON/);
    }
    expect(await s.invoke('cues.deleteLearned', { exercise: 'plank' })).toEqual({ ok: true });
    expect((await s.invoke('cues.listLearned', {})).models.map((m) => m.exercise)).toEqual(['dumbbell_curl']);
    const none = await s.call('cues.deleteLearned', { exercise: 'plank' });
    expect(!none.ok && none.error.code).toBe('not_found');
  });

  it('the stored model runs in the rep report and in Live; off per exercise like the rules', async () => {
    await s.invoke('cues.trainLearned', {
      path: PLANK,
      exercise: 'plank',
      labels: { C: null, H: 'Hips too high', L: 'Hips too low' },
      epochs: 20,
    });
    const { models } = await s.invoke('cues.listLearned', {});
    // 12 s of one recording's frames labelled L (hips too low), at 10 fps: a plank hold judged in 5-s windows;
    // the plank rules off, so the cue shown can only come from the learned model
    const low = parseLandmarkCsv(readFileSync(PLANK, 'utf8')).rows.filter((r) => r.label === 'L');
    const frames = Array.from({ length: 121 }, (_, i) => low[i % 40]!.frame);
    const t = frames.map((_, i) => i / 10);
    const rulesOff = ['plank.hips_low', 'plank.hips_high'];
    const input = { frames, timestampsSec: t, aspect: 1, exercise: 'plank' as const, learnedCues: models };
    const r = await buildRepReport({ ...input, cueSettings: { disabled: rulesOff } });
    expect(r.holdWindows.length).toBe(2);
    expect(r.holdWindows.map((w) => w.formCue?.id)).toEqual(['learned.plank.L', 'learned.plank.L']);
    expect(r.cueSummary[0]).toMatchObject({ id: 'learned.plank.L', text: 'Hips too low', source: 'learned' });
    const off = await buildRepReport({ ...input, cueSettings: { disabled: [...rulesOff, 'learned.plank'] } });
    expect(off.holdWindows.map((w) => w.formCue)).toEqual([null, null]);
    // the switch is saved like any cue setting
    await s.invoke('cues.setSettings', { settings: { disabled: ['learned.plank'] } });
    expect((await s.invoke('cues.getSettings', {})).settings.disabled).toEqual(['learned.plank']);

    // Live: each rep's own cue (found) includes the learned one; shown on 2 of the last 3 reps
    const live = new LiveCues({ disabled: rulesOff }, models);
    const buf = frames.map((f, i) => ({ t: t[i]!, f: flattenFrame(f) }));
    const first = live.rep('plank', buf, { startSec: 0, endSec: 5 }, 1);
    const second = live.rep('plank', buf, { startSec: 5, endSec: 10 }, 1);
    expect(first.found?.id).toBe('learned.plank.L');
    expect(first.show).toBeNull();
    expect(second.show?.id).toBe('learned.plank.L');
    const liveOff = new LiveCues({ disabled: [...rulesOff, 'learned.plank'] }, models);
    expect(liveOff.rep('plank', buf, { startSec: 0, endSec: 5 }, 1).found).toBeNull();
  });
});
