import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Services } from '../../src-main/services';

const tmp = mkdtempSync(join(tmpdir(), 'fs-sets-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('saved sets (sessions.* calls)', () => {
  it('saves a set with its reps and snapshot, lists it, serves the snapshot; bad input refused', async () => {
    const s = new Services({ home: join(tmp, 'home'), mode: 'browser' });
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
    const saved = await s.invoke('sessions.save', {
      source: 'camera 0',
      exerciseType: 'squat',
      modelId: null,
      reps: [
        { index: 0, score: 80, startSec: 1, endSec: 3 },
        { index: 1, score: 60, startSec: 3.5, endSec: 5.2 },
      ],
      holdSec: null,
      snapshotJpegBase64: jpeg.toString('base64'),
    });
    expect(saved.meanScore).toBe(70);
    expect(saved.bestRep?.index).toBe(0);
    expect(saved.worstRep?.index).toBe(1);
    expect((await s.invoke('sessions.list', {})).map((x) => x.id)).toEqual([saved.id]);
    const res = s.media(saved.snapshotUrl!.slice('/media/'.length), null);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(jpeg)).toBe(true);
    expect(saved.cueSummary).toEqual([]);
    // a set with per-rep form cues keeps them, and its summary counts them
    const deeper = {
      id: 'squat.depth',
      text: 'Go deeper: hips down to knee level',
      severity: 0.4,
      source: 'rule' as const,
    };
    const withCues = await s.invoke('sessions.save', {
      source: 'camera 0',
      exerciseType: 'squat',
      modelId: null,
      holdSec: null,
      snapshotJpegBase64: null,
      reps: [0, 1, 2].map((i) => ({
        index: i,
        score: null,
        startSec: 2 * i,
        endSec: 2 * i + 2,
        cue: i === 1 ? null : deeper,
      })),
    });
    expect(withCues.reps.map((r) => r.cue?.id ?? null)).toEqual(['squat.depth', null, 'squat.depth']);
    expect(withCues.cueSummary).toEqual([
      { id: 'squat.depth', text: deeper.text, source: 'rule', count: 2, reps: [0, 2] },
    ]);
    expect((await s.invoke('sessions.list', {}))[0]!.cueSummary).toEqual(withCues.cueSummary);
    const plank = await s.invoke('sessions.save', {
      source: 'camera 0',
      exerciseType: 'plank',
      modelId: null,
      reps: [],
      holdSec: 12,
      holdCues: [null, { ...deeper, id: 'plank.hips_low', text: 'Hips too low' }],
      snapshotJpegBase64: null,
    });
    expect(plank.cueSummary.map((c) => [c.id, c.count])).toEqual([['plank.hips_low', 1]]);
    // a learned cue of a named model with the longest name and label the cue calls allow is kept too
    const longId = `learned.mountain_climber@${'m'.repeat(40)}.${'L'.repeat(100)}`;
    const learned = await s.invoke('sessions.save', {
      source: 'camera 0',
      exerciseType: 'mountain_climber',
      modelId: null,
      holdSec: null,
      snapshotJpegBase64: null,
      reps: [{ index: 0, score: null, startSec: 0, endSec: 1, cue: { ...deeper, id: longId, source: 'learned' } }],
    });
    expect(learned.cueSummary.map((c) => c.id)).toEqual([longId]);
    const badCue = await s.call('sessions.save', {
      source: 'x',
      exerciseType: 'squat',
      modelId: null,
      reps: [
        {
          index: 0,
          score: null,
          startSec: 0,
          endSec: 1,
          cue: { id: 'squat.depth', text: 'x', severity: 3, source: 'rule' },
        },
      ],
      holdSec: null,
      snapshotJpegBase64: null,
    });
    expect(badCue.ok).toBe(false);
    const bad = await s.call('sessions.save', {
      source: 'x',
      exerciseType: 'squat',
      modelId: null,
      reps: [{ index: 0, score: 120, startSec: 0, endSec: 1 }],
      holdSec: null,
      snapshotJpegBase64: null,
    });
    expect(bad.ok).toBe(false);
    s.close();
  });
});
