import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Services } from '../../src-main/services';
import { CUE_SETTINGS_FILE } from '../../src-main/cues/settings-store';

const tmp = mkdtempSync(join(tmpdir(), 'fs-cue-api-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('cues.getSettings / cues.setSettings', () => {
  it('defaults, save, read back; bad input is refused with the problem named and nothing changes', async () => {
    const s = new Services({ home: join(tmp, 'home'), mode: 'browser' });
    try {
      expect(await s.invoke('cues.getSettings', {})).toEqual({ settings: {} });
      const saved = await s.invoke('cues.setSettings', {
        settings: { offExercises: ['lunge'], disabled: ['squat.heels'], thresholds: { 'squat.depth': 0.2 } },
      });
      expect(saved.settings).toEqual({
        offExercises: ['lunge'],
        disabled: ['squat.heels'],
        thresholds: { 'squat.depth': 0.2 },
      });
      expect(await s.invoke('cues.getSettings', {})).toEqual(saved);
      const file = join(s.paths.home, CUE_SETTINGS_FILE);
      const before = readFileSync(file, 'utf8');

      const bad = async (settings: unknown, want: RegExp) => {
        const r = await s.call('cues.setSettings', { settings });
        expect(r.ok).toBe(false);
        if (!r.ok) {
          expect(r.error.code).toBe('bad_input');
          expect(r.error.message).toMatch(want);
        }
      };
      await bad({ thresholds: { 'squat.nope': 1 } }, /unknown rule 'squat.nope'/);
      await bad({ thresholds: { 'squat.depth': 'deep' } }, /threshold must be a number/);
      await bad({ offExercises: ['yoga'] }, /offExercises/);
      await bad({ disabled: ['x.y'] }, /unknown cue 'x.y'/);
      await bad({ minVisibility: 2 }, /minVisibility must be between 0 and 1/);
      await bad({ colour: 'red' }, /colour/);
      expect(readFileSync(file, 'utf8')).toBe(before);

      // a damaged file is an error, not silently the defaults
      writeFileSync(file, '{"thresholds": ');
      const damaged = await s.call('cues.getSettings', {});
      expect(damaged.ok).toBe(false);
      if (!damaged.ok) expect(damaged.error.message).toMatch(/not valid JSON/);
    } finally {
      s.close();
    }
  });
});
