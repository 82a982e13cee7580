/**
 * Several learned cue models per exercise (each checking its own thing, each switchable, listed, deletable; a rep
 * still shows one cue, the most severe) and training as a job: progress per epoch, cancellable, nothing saved
 * when cancelled. Real tfjs on the real Exercise-Correction plank landmarks.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Services } from '../../src-main/services';
import { LEARNED_CUES_DIR } from '../../src-main/cues/learned-store';
import { resolveCueId } from '../../src-main/cues/cli-settings';
import { parseLandmarkCsv } from '../../src-shared/cues/landmark-csv';
import { evaluateRepCues } from '../../src-shared/cues/evaluate';
import type { ApiEvent } from '../../src-shared/api/contract';
import type { JobInfo } from '../../src-shared/domain/jobs';
import { fixture } from '../support/fixtures';

const PLANK = fixture('quality', 'exercise_correction', 'plank', 'test.csv');
const tmp = mkdtempSync(join(tmpdir(), 'fs-learned-models-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The job's events until it ends. */
function follow(s: Services, jobId: string): { events: JobInfo[]; end: Promise<JobInfo> } {
  const events: JobInfo[] = [];
  const end = new Promise<JobInfo>((done) => {
    const off = s.subscribe((e: ApiEvent) => {
      if (e.type !== 'job' || e.job.id !== jobId) return;
      events.push(e.job);
      if (e.job.state !== 'running') {
        off();
        done(e.job);
      }
    });
  });
  return { events, end };
}

describe('several learned cue models per exercise, trained as a cancellable job', () => {
  const s = new Services({ home: join(tmp, 'home'), mode: 'browser' });
  afterAll(() => s.close());
  const dir = () => join(s.paths.home, LEARNED_CUES_DIR);
  const labels = { C: null, H: 'Hips too high', L: 'Hips too low' };

  it('a job trains with progress per epoch and saves the model only at the end', async () => {
    const { jobId } = await s.invoke('cues.startTraining', { path: PLANK, exercise: 'plank', labels, epochs: 8 });
    const { events, end } = follow(s, jobId);
    const job = await end;
    expect(job.state).toBe('done');
    expect(job.message).toMatch(/^Saved the plank cue model: held-out accuracy \d+\.\d %$/);
    expect(events.some((e) => e.state === 'running' && /^epoch \d of 8$/.test(e.message ?? ''))).toBe(true);
    expect(readdirSync(dir())).toEqual(['plank.json']);
  });

  it('cancelled: the job ends cancelled, nothing saved, the other models untouched', async () => {
    const before = readFileSync(join(dir(), 'plank.json'), 'utf8');
    const { jobId } = await s.invoke('cues.startTraining', {
      path: PLANK,
      exercise: 'plank',
      modelName: 'hips',
      labels,
      epochs: 1000,
    });
    const { events, end } = follow(s, jobId);
    // cancel once training is under way (after its first epoch)
    await new Promise<void>((ok) => {
      const t = setInterval(() => {
        if (events.some((e) => (e.progress ?? 0) > 0)) {
          clearInterval(t);
          ok();
        }
      }, 20);
    });
    await s.invoke('jobs.cancel', { jobId });
    const job = await end;
    expect(job.state).toBe('cancelled');
    expect(job.progress).toBeLessThan(0.5);
    expect(readdirSync(dir())).toEqual(['plank.json']);
    expect(readFileSync(join(dir(), 'plank.json'), 'utf8')).toBe(before);
  });

  it('bad data: bad_input at once, no job started', async () => {
    const jobsBefore = (await s.invoke('jobs.list', {})).length;
    const r = await s.call('cues.startTraining', { path: PLANK, exercise: 'plank', labels: { C: null, H: 'x' } });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toMatch(/nothing trained or saved/);
      expect(r.error.message).toMatch(/unknown labels: 'L' \(\d+ rows\)/);
    }
    expect((await s.invoke('jobs.list', {})).length).toBe(jobsBefore);
    const badName = await s.call('cues.startTraining', { path: PLANK, exercise: 'plank', modelName: 'Hips!', labels });
    expect(!badName.ok && badName.error.code).toBe('bad_input');
  });

  it('a named model lives beside the unnamed one: listed, switched and deleted on its own', async () => {
    // a second aspect: only "hips too low" against the rest (another coach's question about the same plank)
    const low = await s.invoke('cues.trainLearned', {
      path: PLANK,
      exercise: 'plank',
      modelName: 'low-only',
      labels: { C: null, H: null, L: 'Lift your hips a little' },
      epochs: 15,
    });
    expect(low.name).toBe('low-only');
    expect(readdirSync(dir()).sort()).toEqual(['plank.json', 'plank.low-only.json']);
    const { models } = await s.invoke('cues.listLearned', {});
    expect(models.map((m) => m.name ?? null)).toEqual([null, 'low-only']);

    // one rep of "hips too low" frames, rules off: both models fire, one cue shown, the most severe
    const rows = parseLandmarkCsv(readFileSync(PLANK, 'utf8')).rows.filter((r) => r.label === 'L');
    const frames = rows.slice(0, 40).map((r) => r.frame);
    const t = frames.map((_, i) => i / 10);
    const rep = { startSec: 0, endSec: t[t.length - 1]! };
    const rulesOff = ['plank.hips_low', 'plank.hips_high'];
    const both = evaluateRepCues('plank', frames, t, rep, { disabled: rulesOff }, { learned: models });
    expect(both.fired.map((c) => c.id).sort()).toEqual(['learned.plank.L', 'learned.plank@low-only.L']);
    expect(both.shown).toEqual(both.fired[0]);
    expect(both.fired[0]!.severity).toBeGreaterThanOrEqual(both.fired[1]!.severity);
    // each model has its own switch
    const namedOff = evaluateRepCues(
      'plank',
      frames,
      t,
      rep,
      { disabled: [...rulesOff, 'learned.plank@low-only'] },
      { learned: models },
    );
    expect(namedOff.fired.map((c) => c.id)).toEqual(['learned.plank.L']);
    const unnamedOff = evaluateRepCues(
      'plank',
      frames,
      t,
      rep,
      { disabled: [...rulesOff, 'learned.plank'] },
      { learned: models },
    );
    expect(unnamedOff.fired.map((c) => c.id)).toEqual(['learned.plank@low-only.L']);
    // the switch is saved like any cue setting; the CLI names it learned@<name>
    expect(resolveCueId('plank', 'learned@low-only')).toBe('learned.plank@low-only');
    expect(resolveCueId('plank', 'learned.plank@low-only')).toBe('learned.plank@low-only');
    expect(() => resolveCueId('plank', 'learned@Low Only')).toThrow(/not a learned model name/);
    await s.invoke('cues.setSettings', { settings: { disabled: ['learned.plank@low-only'] } });
    expect((await s.invoke('cues.getSettings', {})).settings.disabled).toEqual(['learned.plank@low-only']);

    // delete the named one: the unnamed stays
    expect(await s.invoke('cues.deleteLearned', { exercise: 'plank', modelName: 'low-only' })).toEqual({ ok: true });
    expect(readdirSync(dir())).toEqual(['plank.json']);
    const gone = await s.call('cues.deleteLearned', { exercise: 'plank', modelName: 'low-only' });
    expect(!gone.ok && gone.error.message).toBe('No learned cue model learned.plank@low-only');
  });

  it('a model file whose name does not match its content is an error naming the file', async () => {
    const unnamed = readFileSync(join(dir(), 'plank.json'), 'utf8');
    writeFileSync(join(dir(), 'plank.other.json'), unnamed);
    const r = await s.call('cues.listLearned', {});
    expect(!r.ok && r.error.message).toMatch(/plank\.other\.json cannot be used: its name is null, the file's "other"/);
    rmSync(join(dir(), 'plank.other.json'));
    expect(existsSync(join(dir(), 'plank.json'))).toBe(true);
    expect((await s.invoke('cues.listLearned', {})).models).toHaveLength(1);
  });
});
