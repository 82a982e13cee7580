import { describe, expect, it } from 'vitest';
import { LiveReps } from '../../src-renderer/live/live-reps';
import { LiveCues, loadLiveCues, savedSetReps, setCueSummary } from '../../src-renderer/live/live-cues';
import type { TimelineRep } from '../../src-renderer/live/RepTimeline';
import type { Cue } from '../../src-shared/cues';
import { sidePlank, squatSet } from '../cues/skeletons';

function runLive(
  frames: ReturnType<typeof squatSet>['frames'],
  t: number[],
  cues: LiveCues | null,
  exercise: 'squat' | 'plank',
) {
  const reps: TimelineRep[] = [];
  const shown: Cue[] = [];
  const calls: Array<Cue | null> = [];
  const live = new LiveReps({
    chosen: () => exercise,
    scorer: null,
    onRep: (r) => reps.push(r),
    onRepScore: () => undefined,
    onHold: () => undefined,
    cues,
    onCue: (c) => (calls.push(c), c && shown.push(c)),
  });
  frames.forEach((f, i) => live.push(f, t[i]!, 1));
  return { reps, shown, calls };
}

describe('live form cues', () => {
  it('every rep keeps its own cue; a cue is shown only once it came up on 2 of the last 3 reps', () => {
    const set = squatSet([40, 0, 40, 40, 0]); // shallow, parallel, shallow, shallow, parallel (thigh at the bottom, ° above horizontal)
    const { reps, shown, calls } = runLive(set.frames, set.t, new LiveCues({}), 'squat');
    expect(reps.length).toBeGreaterThanOrEqual(4); // the last rep may still be finishing when the clip ends
    expect(reps.slice(0, 4).map((r) => r.cueFound?.id ?? null)).toEqual([
      'squat.depth',
      null,
      'squat.depth',
      'squat.depth',
    ]);
    // rep 1: first time (not shown); rep 3: 2 of the last 3 → shown; rep 4: again
    expect(reps.slice(0, 4).map((r) => r.formCue?.id ?? null)).toEqual([null, null, 'squat.depth', 'squat.depth']);
    expect(shown.map((c) => c.id)).toEqual(['squat.depth', 'squat.depth']);
    // every rep updates the banner: a rep without a shown cue clears it
    expect(calls.slice(0, 4).map((c) => c?.id ?? null)).toEqual([null, null, 'squat.depth', 'squat.depth']);
    // the saved set keeps every rep's own cue, and its summary counts them
    expect(
      savedSetReps(reps)
        .slice(0, 4)
        .map((r) => r.cue?.id ?? null),
    ).toEqual(['squat.depth', null, 'squat.depth', 'squat.depth']);
    expect(setCueSummary(reps, null).counts[0]).toMatchObject({ id: 'squat.depth', count: 3 });
  });

  it('the settings apply; no settings file problem goes unnoticed', async () => {
    const set = squatSet([40, 40, 40]);
    const { reps, shown } = runLive(set.frames, set.t, new LiveCues({ disabled: ['squat.depth'] }), 'squat');
    expect(reps.length).toBeGreaterThanOrEqual(2);
    expect(reps.every((r) => !r.cueFound && !r.formCue)).toBe(true);
    expect(shown).toEqual([]);
    const bad = await loadLiveCues(() =>
      Promise.reject(new Error('cue settings: cue-settings.json is not valid JSON')),
    );
    expect(bad.cues).toBeNull();
    expect(bad.problem).toMatch(/No form cues: .*not valid JSON/);
  });

  it('a plank hold is judged per 5-s window', () => {
    const t = Array.from({ length: 161 }, (_, i) => i / 10);
    const cues = new LiveCues({});
    const { shown } = runLive(
      t.map(() => sidePlank(0.04)),
      t,
      cues,
      'plank',
    );
    expect(cues.holdCues.length).toBeGreaterThanOrEqual(2);
    expect(cues.holdCues.every((c) => c?.id === 'plank.hips_low')).toBe(true);
    expect(shown[0]?.id).toBe('plank.hips_low'); // from the second window on
    expect(setCueSummary([], cues.holdCues)).toMatchObject({ unit: '5-s windows', of: cues.holdCues.length });
  });
});
