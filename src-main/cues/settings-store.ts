/**
 * The coach's cue settings (switch cues off per exercise, edit thresholds), saved in the project's data folder as
 * `cue-settings.json` (written atomically). Invalid settings are refused with the problems named; a damaged file
 * is reported, never silently replaced by defaults.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs-safe';
import { validateCueSettings, type CueSettings } from '../../src-shared/cues';

export const CUE_SETTINGS_FILE = 'cue-settings.json';

export class CueSettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`cue settings: ${problems.join('; ')}`);
    this.name = 'CueSettingsError';
  }
}

/** Only the known keys, so a saved file never carries stray data. */
function clean(s: CueSettings): CueSettings {
  const out: CueSettings = {};
  if (s.offExercises?.length) out.offExercises = [...new Set(s.offExercises)];
  if (s.disabled?.length) out.disabled = [...new Set(s.disabled)];
  if (s.thresholds && Object.keys(s.thresholds).length) out.thresholds = { ...s.thresholds };
  if (s.minVisibility !== undefined) out.minVisibility = s.minVisibility;
  return out;
}

export async function loadCueSettings(home: string): Promise<CueSettings> {
  const path = join(home, CUE_SETTINGS_FILE);
  if (!existsSync(path)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new CueSettingsError([`${path} is not valid JSON (${(e as Error).message}); fix or delete it`]);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new CueSettingsError([`${path} must hold a JSON object`]);
  const problems = validateCueSettings(parsed as CueSettings);
  if (problems.length) throw new CueSettingsError(problems.map((p) => `${path}: ${p}`));
  return clean(parsed as CueSettings);
}

export async function saveCueSettings(home: string, settings: CueSettings): Promise<CueSettings> {
  const problems = validateCueSettings(settings);
  if (problems.length) throw new CueSettingsError(problems);
  const c = clean(settings);
  await writeFileAtomic(join(home, CUE_SETTINGS_FILE), JSON.stringify(c, null, 2) + '\n');
  return c;
}
