import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import {
  CueSettingsPanel,
  CueSummary,
  withCueOn,
  withExerciseOn,
  withThreshold,
} from '../../src-renderer/cues/CueSettingsPanel';
import { validateCueSettings, type CueSettings } from '../../src-shared/cues';

describe('cue settings panel', () => {
  it('lists the exercise rules with their thresholds; switched-off cues are shown off', () => {
    const settings: CueSettings = { disabled: ['squat.heels'], thresholds: { 'squat.depth': 0.25 } };
    const html = renderToStaticMarkup(
      createElement(CueSettingsPanel, { exercise: 'squat', settings, onChange: () => {}, problems: ['x is wrong'] }),
    );
    for (const id of ['squat.depth', 'squat.knees_in', 'squat.torso_lean', 'squat.heels'])
      expect(html).toContain(`data-cue="${id}"`);
    expect(html).toMatch(/data-cue="squat.depth"[^]*?placeholder="0.1"[^]*?value="0.25"/);
    expect(html).toMatch(
      /data-cue="squat.heels" class="muted">.*?<input type="checkbox"[^>]*?aria-label="Keep your heels down: on"(?![^>]*checked)/,
    );
    expect(html).toContain('role="alert"');
    const none = renderToStaticMarkup(
      createElement(CueSettingsPanel, { exercise: 'burpee', settings: {}, onChange: () => {} }),
    );
    expect(none).toContain('No rule cues for this exercise');
  });

  it('edits produce valid settings', () => {
    let s: CueSettings = {};
    s = withExerciseOn(s, 'lunge', false);
    s = withCueOn(s, 'squat.heels', false);
    s = withThreshold(s, 'squat.depth', 0.3);
    expect(s).toEqual({ offExercises: ['lunge'], disabled: ['squat.heels'], thresholds: { 'squat.depth': 0.3 } });
    expect(validateCueSettings(s)).toEqual([]);
    s = withCueOn(withExerciseOn(withThreshold(s, 'squat.depth', null), 'lunge', true), 'squat.heels', true);
    expect(s).toEqual({ offExercises: [], disabled: [], thresholds: {} });
  });

  it('set summary', () => {
    const html = renderToStaticMarkup(
      createElement(CueSummary, {
        reps: 12,
        counts: [{ id: 'squat.depth', text: 'Go deeper', source: 'rule', count: 3, reps: [1, 2, 5] }],
      }),
    );
    expect(html).toContain('Go deeper <span class="muted">— 3 of 12 reps</span>');
    expect(renderToStaticMarkup(createElement(CueSummary, { reps: 3, counts: [] }))).toContain(
      'No form cues in this set',
    );
  });
});
