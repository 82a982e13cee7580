/**
 * The real CLI (`node bin/form-studio.js cues …`, a child process on a temp project): editing the
 * project's cue settings (checked by the same cues.setSettings schema as the app), training a learned cue model
 * into the project and listing it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CUE_SETTINGS_FILE } from '../../src-main/cues/settings-store';
import { applyCueChange, resolveCueId } from '../../src-main/cues/cli-settings';
import { cuesCommand } from '../../src-main/cues/cli';
import { Services } from '../../src-main/services';
import { fixture } from '../support/fixtures';

const home = mkdtempSync(join(tmpdir(), 'fs-cues-cli-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
const settingsFile = join(home, CUE_SETTINGS_FILE);

function cues(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/form-studio.js', 'cues', ...args, '--home', home], {
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const saved = () => JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;

/** The same command in process (fast; the spawned runs above prove the wiring). */
async function inProcess(...args: string[]) {
  const lines: string[] = [];
  const code = await cuesCommand(
    [...args, '--home', home],
    (l) => lines.push(l),
    (h) => new Services({ home: h!, mode: 'browser' }),
  );
  return { code, out: lines.join('\n') };
}

describe('form-studio cues set / settings / models', () => {
  it('real CLI: sets a threshold and switches the learned model off; settings prints exactly that', () => {
    let r = cues('set', 'squat', 'depth', '--threshold', '0.2');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/squat\.depth: fires when above 0\.2 /);
    expect(saved()).toEqual({ thresholds: { 'squat.depth': 0.2 } });
    expect(cues('set', 'plank', 'learned', '--off').code).toBe(0);
    r = cues('settings');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ disabled: ['learned.plank'], thresholds: { 'squat.depth': 0.2 } });
  }, 200_000);

  it('real CLI: bad input gives a clear message and exit ≠ 0, the settings file unchanged', () => {
    const before = readFileSync(settingsFile, 'utf8');
    let r = cues('set', 'squat', 'nope', '--off');
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/No cue 'nope' for squat\. Its cues: squat\.depth, .*learned/);
    expect(readFileSync(settingsFile, 'utf8')).toBe(before);
    // a damaged settings file: reported, not overwritten with defaults
    writeFileSync(settingsFile, '{"thresholds": ');
    r = cues('set', 'squat', 'depth', '--off');
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/Cue settings not changed: .*not valid JSON/);
    expect(readFileSync(settingsFile, 'utf8')).toBe('{"thresholds": ');
    writeFileSync(settingsFile, before);
  }, 200_000);

  it('cues off and on again, per cue and per exercise; every refusal named, nothing changed', async () => {
    expect((await inProcess('set', 'plank', 'plank.hips_low', '--off')).code).toBe(0);
    expect((await inProcess('set', 'lunge', '--off')).out).toMatch(/All lunge cues off/);
    expect(saved()).toEqual({
      offExercises: ['lunge'],
      disabled: ['learned.plank', 'plank.hips_low'],
      thresholds: { 'squat.depth': 0.2 },
    });
    await inProcess('set', 'plank', 'hips_low', '--on');
    await inProcess('set', 'squat', 'depth', '--reset');
    await inProcess('set', 'lunge', '--on');
    expect(saved()).toEqual({ disabled: ['learned.plank'] });
    const before = readFileSync(settingsFile, 'utf8');
    await expect(inProcess('set', 'yoga', '--off')).rejects.toThrow(/Unknown exercise "yoga"/);
    await expect(inProcess('set', 'squat', 'depth', '--threshold', 'deep')).rejects.toThrow(
      /--threshold: expected a number, got "deep"/,
    );
    await expect(inProcess('set', 'squat', 'depth', '--off', '--threshold', '0.3')).rejects.toThrow(
      /exactly one of --off, --on/,
    );
    await expect(inProcess('set', 'squat', 'learned', '--threshold', '0.3')).rejects.toThrow(
      /learned.squat has no threshold/,
    );
    await expect(inProcess('set', 'squat', '--threshold', '0.3')).rejects.toThrow(/need a cue/);
    expect(readFileSync(settingsFile, 'utf8')).toBe(before);
    expect(resolveCueId('plank', 'learned')).toBe('learned.plank');
    expect(applyCueChange({}, 'squat', 'squat.depth', { threshold: 0.25 }).thresholds).toEqual({ 'squat.depth': 0.25 });
  });

  it('train --save keeps the model in the project (real CLI); models lists it; bad data saves nothing', async () => {
    const bicep = fixture('quality', 'exercise_correction', 'bicep', 'test.csv');
    await expect(inProcess('train', bicep, '--exercise', 'dumbbell_curl', '--labels', 'C', '--save')).rejects.toThrow(
      /unknown labels: 'L'/,
    );
    expect(existsSync(join(home, 'cue-models', 'dumbbell_curl.json'))).toBe(false);
    const r = cues(
      'train',
      bicep,
      '--exercise',
      'dumbbell_curl',
      '--labels',
      "C,L=Don't lean back",
      '--epochs',
      '15',
      '--save',
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/accuracy \d+\.\d %/);
    expect(r.out).toMatch(/Saved as the project's dumbbell_curl learned cue model/);
    expect((await inProcess('models')).out).toMatch(
      /dumbbell_curl: C, L="Don't lean back" — held-out accuracy \d+\.\d % on \d+ rows; from test\.csv/,
    );
    // --model: a second model of the same exercise beside the first; switched off by its own id
    await expect(
      inProcess(
        'train',
        bicep,
        '--exercise',
        'dumbbell_curl',
        '--labels',
        'C,L=x',
        '--output',
        'x.json',
        '--model',
        'b',
      ),
    ).rejects.toThrow(/--model names a model kept with --save/);
    const named = await inProcess(
      'train',
      bicep,
      '--exercise',
      'dumbbell_curl',
      '--labels',
      'C,L=Stand tall',
      '--epochs',
      '10',
      '--save',
      '--model',
      'upright',
    );
    expect(named.out).toMatch(/Saved as the project's dumbbell_curl learned cue model 'upright'/);
    const models = (await inProcess('models')).out.split('\n');
    expect(models.map((l) => l.split(':')[0])).toEqual(['dumbbell_curl', 'dumbbell_curl@upright']);
    expect(existsSync(join(home, 'cue-models', 'dumbbell_curl.upright.json'))).toBe(true);
    await inProcess('set', 'dumbbell_curl', 'learned@upright', '--off');
    expect(saved().disabled).toContain('learned.dumbbell_curl@upright');
    expect(saved().disabled).not.toContain('learned.dumbbell_curl');
  }, 300_000);
});
