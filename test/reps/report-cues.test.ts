import { describe, expect, it } from 'vitest';
import { buildRepReport, formatRepReport } from '../../src-shared/reps';
import { sidePlank, squatSet } from '../cues/skeletons';

describe('the rep report carries form cues', () => {
  // reps 1, 2 and 4 stop with the thigh 40° above horizontal (shallow), rep 3 goes below parallel
  const set = squatSet([40, 40, -10, 40]);
  const base = { frames: set.frames, timestampsSec: set.t, aspect: 1, exercise: 'squat' as const };

  it('one cue per rep (the most severe), the set summary with counts, in the CLI lines', async () => {
    const r = await buildRepReport(base);
    expect(r.count).toBe(4);
    expect(r.reps.map((x) => x.formCue?.id ?? null)).toEqual(['squat.depth', 'squat.depth', null, 'squat.depth']);
    expect(r.cueSummary).toEqual([
      { id: 'squat.depth', text: r.reps[0]!.formCue!.text, source: 'rule', count: 3, reps: [0, 1, 3] },
    ]);
    expect(r.cueNote).toBeNull();
    const text = formatRepReport(r, (e) => e);
    expect(text).toMatch(/#\s*1\s.*cue: Go deeper/);
    expect(text).not.toMatch(/#\s*3\s.*cue:/);
    expect(text).toMatch(/Top cues: Go deeper: hips down to knee level — 3 of 4 reps/);
    // the JSON the CLI and the API give is this structure
    expect(JSON.parse(JSON.stringify(r)).reps[0].formCue).toMatchObject({ id: 'squat.depth', source: 'rule' });
  });

  it('applies the cue settings: threshold, a cue off, the exercise off (and says so)', async () => {
    const strict = await buildRepReport({ ...base, cueSettings: { thresholds: { 'squat.depth': 0.9 } } });
    expect(strict.reps.every((x) => x.formCue === null)).toBe(true);
    const off = await buildRepReport({ ...base, cueSettings: { disabled: ['squat.depth'] } });
    expect(off.cueSummary).toEqual([]);
    expect(formatRepReport(off, (e) => e)).toMatch(/Cues: none/);
    const exOff = await buildRepReport({ ...base, cueSettings: { offExercises: ['squat'] } });
    expect(exOff.reps.every((x) => x.formCue === null)).toBe(true);
    expect(exOff.cueNote).toMatch(/switched off/);
    expect(formatRepReport(exOff, (e) => e)).toMatch(/Cues: Form cues are switched off/);
  });

  it('no exercise known: no cue, and a note instead of a silent empty list', async () => {
    const r = await buildRepReport({ ...base, exercise: 'auto' });
    expect(r.reps.every((x) => x.formCue === null)).toBe(true);
    expect(r.cueNote).toMatch(/need the exercise/);
  });

  it('a plank is judged in 5-s windows of its hold', async () => {
    const t = Array.from({ length: 121 }, (_, i) => i / 10);
    const r = await buildRepReport({
      frames: t.map(() => sidePlank(0.04)),
      timestampsSec: t,
      aspect: 1,
      exercise: 'plank',
    });
    expect(r.holdSec).toBeGreaterThan(10);
    expect(r.holdWindows.length).toBe(2);
    expect(r.holdWindows.every((w) => w.formCue?.id === 'plank.hips_low')).toBe(true);
    expect(r.cueSummary[0]).toMatchObject({ id: 'plank.hips_low', count: 2 });
    expect(formatRepReport(r, (e) => e)).toMatch(/Top cues: Hips too low.* — 2 of 2 5-s windows/);
  });
});
