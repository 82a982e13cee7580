import { describe, it, expect, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, existsSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src-main/store/database';
import { crc32 } from '../../src-main/training/png';
import { seedTrainingHome } from './seed';

const homes: string[] = [];
const newHome = () => {
  const h = mkdtempSync(join(tmpdir(), 'fs-cli-train-'));
  homes.push(h);
  return h;
};
afterAll(() => homes.forEach((h) => rmSync(h, { recursive: true, force: true })));

function cli(args: string[]) {
  return spawnSync(process.execPath, ['bin/form-studio.js', 'train', ...args], {
    encoding: 'utf8',
    timeout: 240_000,
  });
}

/** Parse a PNG: signature, chunk CRCs, IHDR size, IDAT inflates to height × (1 + width × 3). */
function checkPng(bytes: Buffer): { width: number; height: number } {
  expect([...bytes.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  let o = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  let end = false;
  while (o < bytes.length) {
    const len = bytes.readUInt32BE(o);
    const type = bytes.subarray(o + 4, o + 8).toString('latin1');
    const data = bytes.subarray(o + 8, o + 8 + len);
    expect(bytes.readUInt32BE(o + 8 + len)).toBe(crc32(bytes.subarray(o + 4, o + 8 + len)));
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') end = true;
    o += 12 + len;
  }
  expect(end).toBe(true);
  expect(inflateSync(Buffer.concat(idat)).length).toBe(height * (1 + width * 3));
  return { width, height };
}

describe('form-studio train', () => {
  it('trains the standard model on seeded keypoints, saves best/final models, predictions and training_history.png', () => {
    const home = newHome();
    const seeded = seedTrainingHome(home, 16);
    const r = cli([
      '--epochs',
      '2',
      '--batch-size',
      '4',
      '--standard-model',
      '--num-frames',
      '24',
      '--cpu-only',
      '--home',
      home,
    ]);
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/Epoch 1\/2 .* loss \d+\.\d+ - mae \d+\.\d+ - rmse .* val_mae \d+\.\d+/);
    expect(r.stdout).toMatch(/Epoch 2\/2/);
    expect(r.stdout).toMatch(/2 exercise types: score \+ exercise heads/);
    const db = openDatabase(join(home, 'form-studio.db'));
    const models = db.prepare('SELECT name, role, file_path, val_mae FROM models ORDER BY id').all() as Array<{
      name: string;
      role: string;
      file_path: string;
      val_mae: number | null;
    }>;
    const run = db.prepare('SELECT status, backend, best_epoch FROM training_runs').get() as {
      status: string;
      backend: string;
      best_epoch: number;
    };
    const epochs = (db.prepare('SELECT COUNT(*) AS n FROM epoch_metrics').get() as { n: number }).n;
    const preds = (db.prepare('SELECT COUNT(*) AS n FROM predictions').get() as { n: number }).n;
    db.close();
    // One model per run by default: the best, named with its validation MAE.
    expect(models.map((m) => m.role)).toEqual(['best']);
    expect(models[0].name).toMatch(/^run 1 · standard · val MAE \d+\.\d$/);
    for (const m of models) expect(readFileSync(m.file_path).subarray(0, 8).toString()).toBe('FSMODEL1');
    expect(models[0].val_mae).toBeGreaterThan(0);
    expect(run).toMatchObject({ status: 'completed', backend: 'wasm' });
    expect(epochs).toBe(2);
    expect(preds).toBe(seeded.labeledTrain + seeded.test + 1); // train + test + the unlabeled clip
    const png = join(home, 'models', 'training_history.png');
    expect(existsSync(png)).toBe(true);
    expect(checkPng(readFileSync(png))).toEqual({ width: 1200, height: 480 });
  });

  it('single exercise type → score head only', () => {
    const home = newHome();
    seedTrainingHome(home, 6, { singleExercise: true });
    const r = cli([
      '--epochs',
      '1',
      '--batch-size',
      '4',
      '--standard-model',
      '--home',
      home,
      '--plot',
      join(home, 'h.png'),
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/one exercise type \(squat\): score head only/);
    checkPng(readFileSync(join(home, 'h.png')));
  });

  it('no data: clear error, exit code 1; bad option: exit code 2', () => {
    const home = newHome();
    const r = cli(['--epochs', '1', '--home', home]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/No training data found\. Import videos/);
    const b = cli(['--batch-size', '0', '--home', home]);
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/--batch-size must be/);
  });
});
