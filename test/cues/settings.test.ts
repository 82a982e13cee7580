import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CUE_SETTINGS_FILE,
  CueSettingsError,
  loadCueSettings,
  saveCueSettings,
} from '../../src-main/cues/settings-store';

const home = mkdtempSync(join(tmpdir(), 'cue-settings-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('cue settings in the project folder', () => {
  it('no file: defaults; saved settings come back the same', async () => {
    expect(await loadCueSettings(home)).toEqual({});
    const saved = await saveCueSettings(home, {
      offExercises: ['lunge', 'lunge'],
      disabled: ['squat.heels'],
      thresholds: { 'squat.depth': 0.25 },
    });
    expect(saved).toEqual({ offExercises: ['lunge'], disabled: ['squat.heels'], thresholds: { 'squat.depth': 0.25 } });
    expect(await loadCueSettings(home)).toEqual(saved);
  });

  it('invalid settings are refused and the saved file is kept', async () => {
    const before = readFileSync(join(home, CUE_SETTINGS_FILE), 'utf8');
    await expect(saveCueSettings(home, { thresholds: { 'squat.depth': Infinity } })).rejects.toThrow(
      /thresholds.squat.depth: must be a finite number/,
    );
    // @ts-expect-error: an unknown exercise from an old or hand-edited file
    await expect(saveCueSettings(home, { offExercises: ['yoga'] })).rejects.toThrow(/unknown exercise 'yoga'/);
    expect(readFileSync(join(home, CUE_SETTINGS_FILE), 'utf8')).toBe(before);
  });

  it('a damaged file is reported, not replaced by defaults', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cue-settings-bad-'));
    try {
      writeFileSync(join(dir, CUE_SETTINGS_FILE), '{"thresholds": {"squat.depth": ');
      await expect(loadCueSettings(dir)).rejects.toThrow(CueSettingsError);
      writeFileSync(join(dir, CUE_SETTINGS_FILE), '{"disabled": ["squat.nope"]}');
      await expect(loadCueSettings(dir)).rejects.toThrow(/unknown cue 'squat.nope'/);
      expect(readFileSync(join(dir, CUE_SETTINGS_FILE), 'utf8')).toBe('{"disabled": ["squat.nope"]}');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
