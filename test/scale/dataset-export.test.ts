import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pw from 'parquet-wasm';
import { tableFromIPC } from 'apache-arrow';
import { Services } from '../../src-main/services';
import { exportDataset } from '../../src-main/scale/dataset-export';
import { keypointsToInput } from '../../src-shared/training/samples';
import { seedTrainingHome } from '../training/seed';

// export-dataset without Python: every labeled video with keypoints is a row, the train split's as 'train' /
// 'val' (the app's split) and the held-out test split's as 'test', with the same model input the app uses.
const root = mkdtempSync(join(tmpdir(), 'fs-dsexport-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('export-dataset', () => {
  it("writes the test split's labeled videos as 'test' rows beside train and val", async () => {
    const home = join(root, 'home');
    const seeded = seedTrainingHome(home, 12);
    const s = new Services({ home, mode: 'browser' });
    try {
      const r = await exportDataset(s, { out: join(root, 'ds'), kind: 'standard' });
      expect(r.test).toBe(seeded.test);
      expect(r.test).toBeGreaterThan(0);
      expect(r.rows).toBe(r.train + r.val + r.test);
      const t = tableFromIPC(pw.readParquet(readFileSync(join(r.dir, 'dataset.parquet'))).intoIPCStream());
      const split = t.getChild('split')!.toArray() as string[];
      const ids = Array.from(t.getChild('video_id')!.toArray() as Int32Array);
      const count = (v: string) => split.filter((x) => x === v).length;
      expect([count('train'), count('val'), count('test')]).toEqual([r.train, r.val, r.test]);
      // The 'test' rows are exactly the project's labeled test-split videos; no train video among them.
      const testIds = (
        s.db
          .prepare(
            `SELECT v.id FROM videos v JOIN labels l ON l.video_id = v.id WHERE v.split = 'test' AND l.score IS NOT NULL ORDER BY v.id`,
          )
          .all() as Array<{ id: number }>
      ).map((x) => x.id);
      expect(ids.filter((_, i) => split[i] === 'test').sort((a, b) => a - b)).toEqual(testIds);
      // A test row's input and label are the app's.
      const i = split.indexOf('test');
      const data = await s.invoke('training.data', { numFrames: 24, withOthers: true });
      const item = data.others.find((o) => o.videoId === ids[i])!;
      const x = t.getChild('x')!.get(i)!.toArray() as Float32Array;
      expect(Array.from(x)).toEqual(Array.from(keypointsToInput(item.keypoints, 24, item.aspectRatio)));
      expect(t.getChild('score')!.get(i)).toBeCloseTo(item.score!, 4);
      expect(t.getChild('group')!.get(i)).toBe(item.group);
    } finally {
      s.close();
    }
  });
});
