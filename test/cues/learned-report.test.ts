/**
 * The wiring of the stored learned cue model into `models.repReport` (what Score a video shows and what
 * `form-studio score` builds the same way): a real project with a seeded scoring model, a plank clip's cached
 * keypoints (frames of the Exercise-Correction plank set labelled L, "hips too low"), the plank model trained
 * through `cues.trainLearned`. The report's hold windows carry the learned cue; switched off, they do not.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Services } from '../../src-main/services';
import { parseLandmarkCsv } from '../../src-shared/cues/landmark-csv';
import { flattenFrame } from '../../src-shared/keypoints/stored';
import { fixture } from '../support/fixtures';
import { seedModel } from '../support/seed-model';
import { videoRecord } from '../support/video-record';

const PLANK = fixture('quality', 'exercise_correction', 'plank', 'test.csv');
const home = mkdtempSync(join(tmpdir(), 'fs-learned-report-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('models.repReport runs the project learned cue model', () => {
  it('plank hold windows get the learned cue; off per exercise, none', async () => {
    const modelId = await seedModel(home);
    const s = new Services({ home, mode: 'browser' });
    try {
      const low = parseLandmarkCsv(readFileSync(PLANK, 'utf8')).rows.filter((r) => r.label === 'L');
      const videoId = s.store.upsertVideo(
        videoRecord('plank.mp4', {
          contentHash: `sha256:${'ab'.repeat(32)}`,
          width: 1000,
          height: 1000,
          durationSec: 12,
        }),
      );
      const variant = s.store.poseVariant() as 'full';
      for (const n of [24, 121]) {
        // landmarks the CSV lacks (NaN) are stored as unseen (visibility 0), as the pose code stores them
        const seen = (i: number) =>
          low[i % 40]!.frame.map((l) => (Number.isFinite(l.x) ? l : { x: 0, y: 0, z: 0, visibility: 0 }));
        const frames = Array.from({ length: n }, (_, i) => flattenFrame(seen(i))!);
        const timestamps = frames.map((_, i) => Math.round(((i * 12) / (n - 1)) * 1000) / 1000);
        await s.invoke('keypoints.save', { videoId, numFrames: n, variant, timestamps, frames });
      }
      await s.invoke('cues.trainLearned', {
        path: PLANK,
        exercise: 'plank',
        labels: { C: null, H: 'Hips too high', L: 'Hips too low' },
        epochs: 20,
      });
      const rulesOff = ['plank.hips_low', 'plank.hips_high']; // so a cue can only come from the learned model
      await s.invoke('cues.setSettings', { settings: { disabled: rulesOff } });
      const { report } = await s.invoke('models.repReport', { modelId, videoId, numFrames: 121, exercise: 'plank' });
      expect(report.holdWindows.length).toBe(2);
      expect(report.holdWindows.map((w) => w.formCue?.id)).toEqual(['learned.plank.L', 'learned.plank.L']);
      expect(report.cueSummary[0]).toMatchObject({ id: 'learned.plank.L', source: 'learned', count: 2 });

      await s.invoke('cues.setSettings', { settings: { disabled: [...rulesOff, 'learned.plank'] } });
      const off = await s.invoke('models.repReport', { modelId, videoId, numFrames: 121, exercise: 'plank' });
      expect(off.report.holdWindows.map((w) => w.formCue)).toEqual([null, null]);
    } finally {
      s.close();
    }
  }, 120_000);
});
