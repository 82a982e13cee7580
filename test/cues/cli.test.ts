import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cuesCommand, parseLabelSpec } from '../../src-main/cues/cli';
import { learnedCue, parseLandmarkCsv, type LearnedCueModel } from '../../src-shared/cues';
import { fixture } from '../support/fixtures';

const BICEP = fixture('quality', 'exercise_correction', 'bicep', 'test.csv');
const dir = mkdtempSync(join(tmpdir(), 'cues-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('form-studio cues', () => {
  it('train: writes a model only after training, prints accuracy and the confusion matrix; the CSV is untouched', async () => {
    const before = readFileSync(BICEP);
    const out = join(dir, 'bicep.json');
    const lines: string[] = [];
    const code = await cuesCommand(
      [
        'train',
        BICEP,
        '--exercise',
        'dumbbell_curl',
        '--labels',
        "C,L=Don't lean back",
        '--aspect',
        '1.778',
        '--epochs',
        '20',
        '--output',
        out,
      ],
      (s) => lines.push(s),
    );
    expect(code).toBe(0);
    expect(lines.join('\n')).toMatch(/accuracy \d+\.\d %/);
    expect(lines.join('\n')).toMatch(/confusion \(rows = true, columns = predicted\): C L/);
    const model = JSON.parse(readFileSync(out, 'utf8')) as LearnedCueModel;
    expect(model.exercise).toBe('dumbbell_curl');
    expect(model.metrics.accuracy).toBeGreaterThanOrEqual(0.9);
    const lean = parseLandmarkCsv(before.toString('utf8'))
      .rows.filter((r) => r.label === 'L')
      .slice(0, 20)
      .map((r) => r.frame);
    expect(learnedCue(model, lean)?.text).toBe("Don't lean back");
    expect(readFileSync(BICEP).equals(before)).toBe(true);
    // an existing output is not replaced without --force
    await expect(
      cuesCommand(['train', BICEP, '--exercise', 'dumbbell_curl', '--labels', 'C,L=x', '--output', out], () => {}),
    ).rejects.toThrow(/exists; pass --force/);
  });

  it('bad data: a clear message naming what is missing, nothing written', async () => {
    const out = join(dir, 'bad.json');
    await expect(
      cuesCommand(['train', BICEP, '--exercise', 'plank', '--labels', 'C,L=x', '--output', out], () => {}),
    ).rejects.toThrow(/nothing trained or written:\n {2}- missing landmark columns for plank: left_ankle_x/);
    await expect(
      cuesCommand(['train', BICEP, '--exercise', 'dumbbell_curl', '--labels', 'C', '--output', out], () => {}),
    ).rejects.toThrow(/unknown labels: 'L' \(265 rows\)/);
    const odd = join(dir, 'odd.csv');
    writeFileSync(odd, 'label,LShoulder_x,LShoulder_y\nC,0.1,0.2\n');
    await expect(
      cuesCommand(['train', odd, '--exercise', 'plank', '--labels', 'C,H=x', '--output', out], () => {}),
    ).rejects.toThrow(/unknown landmarks: LShoulder/);
    await expect(
      cuesCommand(['train', odd, '--exercise', 'plank', '--labels', 'C,H=x', '--output', odd], () => {}),
    ).rejects.toThrow(/must not be the input CSV/);
    expect(existsSync(out)).toBe(false);
    expect(() => parseLabelSpec('C,C=x')).toThrow(/given twice/);
    expect(parseLabelSpec('C, H=Hips too high')).toEqual({ C: null, H: 'Hips too high' });
  });

  it('rules: prints the table for one exercise', async () => {
    const lines: string[] = [];
    expect(await cuesCommand(['rules', '--exercise', 'plank'], (s) => lines.push(s))).toBe(0);
    expect(lines.slice(1).map((l) => l.split(' | ')[0])).toEqual(['plank.hips_high', 'plank.hips_low']);
    await expect(cuesCommand(['rules', '--exercise', 'yoga'], () => {})).rejects.toThrow(/unknown exercise "yoga"/);
  });
});
