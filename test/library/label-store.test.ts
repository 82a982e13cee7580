import { describe, it, expect } from 'vitest';
import { createLabelStore } from '../../src-renderer/library/label-store';
import type { VideoRow } from '../../src-shared/domain/video';
import type { LabelEdit } from '../../src-shared/api/contract';

function row(id: number, score: number | null = null): VideoRow {
  return {
    id,
    relPath: `v${id}.mp4`,
    split: 'train',
    contentHash: null,
    sizeBytes: null,
    durationSec: 4,
    fps: 30,
    frameCount: 120,
    width: null,
    height: null,
    rotation: null,
    codec: null,
    status: 'ok',
    errorCode: null,
    errorMessage: null,
    source: 't',
    groupKey: null,
    addedAt: '',
    label: { exerciseType: null, score, labeledBy: null, updatedAt: null },
    pose: { status: 'none', personRate: null, message: null },
    prediction: null,
  };
}

/** A fake server: applies edits to its own copy, returns saved rows (with labeledBy set), can fail. */
function setup(n = 5) {
  const shown = new Map<number, VideoRow>();
  const server = new Map<number, VideoRow>();
  for (let i = 1; i <= n; i++) {
    shown.set(i, row(i));
    server.set(i, row(i));
  }
  const sent: LabelEdit[][] = [];
  let fail: string | null = null;
  let gate: Promise<void> | null = null;
  const store = createLabelStore({
    getRow: (id) => shown.get(id),
    putRows: (rows) => rows.forEach((r) => shown.set(r.id, r)),
    async send(edits) {
      sent.push(edits);
      if (gate) await gate;
      if (fail) throw new Error(fail);
      return edits.map((e) => {
        const r = server.get(e.videoId)!;
        const next: VideoRow = {
          ...r,
          split: e.split ?? r.split,
          label: {
            exerciseType: e.exerciseType !== undefined ? e.exerciseType : r.label.exerciseType,
            score: e.score !== undefined ? e.score : r.label.score,
            labeledBy: 'coach',
            updatedAt: 'now',
          },
        };
        server.set(r.id, next);
        return next;
      });
    },
  });
  return {
    store,
    shown,
    server,
    sent,
    failWith: (m: string | null) => (fail = m),
    hold: () => {
      let release!: () => void;
      gate = new Promise<void>((r) => (release = r));
      return () => {
        gate = null;
        release();
      };
    },
  };
}

describe('label store', () => {
  it('shows an edit at once, saves it, then shows the saved row', async () => {
    const t = setup();
    const p = t.store.getState().edit([{ videoId: 1, score: 80 }]);
    expect(t.shown.get(1)!.label.score).toBe(80);
    expect(t.store.getState().save.kind).toBe('saving');
    expect(await p).toBe(true);
    expect(t.shown.get(1)!.label.labeledBy).toBe('coach');
    expect(t.store.getState().save.kind).toBe('saved');
    expect(t.sent).toEqual([[{ videoId: 1, score: 80 }]]);
  });

  it('sends only what changes; a no-op edit sends nothing and records no history', async () => {
    const t = setup();
    await t.store.getState().edit([{ videoId: 1, score: 80 }]);
    expect(await t.store.getState().edit([{ videoId: 1, score: 80 }])).toBe(false);
    expect(t.sent.length).toBe(1);
    expect(t.store.getState().undoStack.length).toBe(1);
  });

  it('undo and redo are saved edits', async () => {
    const t = setup();
    await t.store.getState().edit([
      { videoId: 1, score: 80, exerciseType: 'squat' },
      { videoId: 2, split: 'test' },
    ]);
    await t.store.getState().undo();
    expect(t.server.get(1)!.label).toMatchObject({ score: null, exerciseType: null });
    expect(t.server.get(2)!.split).toBe('train');
    expect(t.shown.get(1)!.label.score).toBeNull();
    await t.store.getState().redo();
    expect(t.server.get(1)!.label).toMatchObject({ score: 80, exerciseType: 'squat' });
    expect(t.server.get(2)!.split).toBe('test');
    expect(t.store.getState().redoStack.length).toBe(0);
    expect(t.store.getState().undoStack.length).toBe(1);
  });

  it('a new edit clears redo; a fast undo (before the save answers) undoes that edit, in order', async () => {
    const t = setup();
    await t.store.getState().edit([{ videoId: 1, score: 10 }]);
    const release = t.hold();
    const e = t.store.getState().edit([{ videoId: 1, score: 20 }]);
    const u = t.store.getState().undo();
    expect(t.shown.get(1)!.label.score).toBe(10);
    release();
    await Promise.all([e, u]);
    expect(t.server.get(1)!.label.score).toBe(10);
    expect(t.sent.map((s) => s[0].score)).toEqual([10, 20, 10]);
  });

  it('on error reverts the rows, drops the history entry and reports the error', async () => {
    const t = setup();
    await t.store.getState().edit([{ videoId: 1, score: 10 }]);
    t.failWith('disk full');
    expect(
      await t.store.getState().edit([
        { videoId: 1, score: 99 },
        { videoId: 2, score: 5 },
      ]),
    ).toBe(false);
    expect(t.shown.get(1)!.label.score).toBe(10);
    expect(t.shown.get(2)!.label.score).toBeNull();
    expect(t.store.getState().save).toEqual({ kind: 'error', message: 'disk full' });
    expect(t.store.getState().undoStack.length).toBe(1);
  });

  it('bulk edit of 1,000 of 10,000 rows applies in well under 200 ms', async () => {
    const t = setup(10_000);
    const edits = Array.from({ length: 1000 }, (_, i) => ({ videoId: i * 10 + 1, score: 70 }));
    const t0 = performance.now();
    await t.store.getState().edit(edits);
    expect(performance.now() - t0).toBeLessThan(200);
    expect(t.sent[0].length).toBe(1000);
  });
});
