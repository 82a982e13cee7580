/**
 * Label edits with undo/redo, optimistic display and ordered saving.
 *
 * Every accepted edit is sent at once (one `labels.edit` batch = one transaction in main). The grid shows
 * the edit immediately, then the row as saved by the server; on error the rows go back to what they were
 * and the error is shown. Undo and redo are edits too: they are saved through the same path.
 *
 * The store knows nothing about the transport or the app store: `LabelStoreDeps` is injected, so the
 * bench and unit tests drive it without a window.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { LabelEdit } from '../../src-shared/api/contract';
import type { VideoRow } from '../../src-shared/domain/video';

export interface LabelStoreDeps {
  /** Current row by id (the grid's state). */
  getRow(id: number): VideoRow | undefined;
  /** Replace rows (by id) in the shown state. */
  putRows(rows: VideoRow[]): void;
  /** Save edits; resolves with the rows as saved. */
  send(edits: LabelEdit[]): Promise<VideoRow[]>;
}

export interface HistoryEntry {
  label: string;
  /** Edits that restore the state before the change. */
  before: LabelEdit[];
  /** Edits that make the change. */
  after: LabelEdit[];
}

export type SaveState =
  | { kind: 'idle' }
  | { kind: 'saving'; pending: number }
  | { kind: 'saved'; at: number }
  | { kind: 'error'; message: string };

export interface LabelState {
  undoStack: HistoryEntry[];
  redoStack: HistoryEntry[];
  save: SaveState;
  /** Apply and save edits as one undoable step. Resolves false when nothing changed or the save failed. */
  edit(edits: LabelEdit[], label?: string): Promise<boolean>;
  undo(): Promise<boolean>;
  redo(): Promise<boolean>;
  clearHistory(): void;
}

const HISTORY_LIMIT = 500;

/** The row after an edit, as shown until the server answers. */
export function patchRow(row: VideoRow, e: LabelEdit): VideoRow {
  const label = { ...row.label };
  if (e.exerciseType !== undefined) label.exerciseType = e.exerciseType;
  if (e.score !== undefined) label.score = e.score;
  return { ...row, split: e.split ?? row.split, label };
}

/** The edit that restores the fields `e` touches, or null when `e` changes nothing. */
export function inverseEdit(row: VideoRow, e: LabelEdit): LabelEdit | null {
  const inv: LabelEdit = { videoId: e.videoId };
  const fwd: LabelEdit = { videoId: e.videoId };
  let changed = false;
  if (e.exerciseType !== undefined && e.exerciseType !== row.label.exerciseType) {
    inv.exerciseType = row.label.exerciseType;
    fwd.exerciseType = e.exerciseType;
    changed = true;
  }
  if (e.score !== undefined && e.score !== row.label.score) {
    inv.score = row.label.score;
    fwd.score = e.score;
    changed = true;
  }
  if (e.split !== undefined && e.split !== row.split) {
    inv.split = row.split;
    fwd.split = e.split;
    changed = true;
  }
  return changed ? inv : null;
}

export function createLabelStore(deps: LabelStoreDeps): StoreApi<LabelState> {
  // Sends run one after another so the server sees edits in the order the user made them.
  let queue: Promise<unknown> = Promise.resolve();
  let pending = 0;
  /** Per row: edits not yet answered. Saved rows are shown only when none is left (no flicker). */
  const inFlight = new Map<number, number>();

  const store = createStore<LabelState>()((set, get) => {
    /** Apply locally, then save. Returns the reduced (effective) forward and inverse edits, or null. */
    const run = (edits: LabelEdit[]): { saved: Promise<boolean>; before: LabelEdit[]; after: LabelEdit[] } | null => {
      const before: LabelEdit[] = [];
      const after: LabelEdit[] = [];
      const previous: VideoRow[] = [];
      const shown: VideoRow[] = [];
      // Later edits of the same row in one batch win; merge them first.
      const merged = new Map<number, LabelEdit>();
      for (const e of edits) merged.set(e.videoId, { ...merged.get(e.videoId), ...stripUndefined(e) });
      for (const e of merged.values()) {
        const row = deps.getRow(e.videoId);
        if (!row) continue;
        const inv = inverseEdit(row, e);
        if (!inv) continue;
        const fwd: LabelEdit = { videoId: e.videoId };
        if (inv.exerciseType !== undefined) fwd.exerciseType = e.exerciseType;
        if (inv.score !== undefined) fwd.score = e.score;
        if (inv.split !== undefined) fwd.split = e.split;
        before.push(inv);
        after.push(fwd);
        previous.push(row);
        shown.push(patchRow(row, fwd));
      }
      if (after.length === 0) return null;
      deps.putRows(shown);
      for (const e of after) inFlight.set(e.videoId, (inFlight.get(e.videoId) ?? 0) + 1);
      pending++;
      set({ save: { kind: 'saving', pending } });
      const job = queue.then(() => deps.send(after));
      queue = job.catch(() => undefined);
      const saved = job.then(
        (rows) => {
          const done = settle(after);
          deps.putRows(rows.filter((r) => done.has(r.id)));
          pending--;
          set({ save: pending > 0 ? { kind: 'saving', pending } : { kind: 'saved', at: Date.now() } });
          return true;
        },
        (err: unknown) => {
          settle(after);
          // Revert the fields this edit touched, keeping anything else that changed since.
          const reverted: VideoRow[] = [];
          for (const inv of before) {
            const cur = deps.getRow(inv.videoId);
            if (cur) reverted.push(patchRow(cur, inv));
          }
          deps.putRows(reverted);
          pending--;
          set({ save: { kind: 'error', message: (err as Error)?.message || String(err) } });
          return false;
        },
      );
      return { saved, before, after };
    };

    const settle = (after: LabelEdit[]): Set<number> => {
      const done = new Set<number>();
      for (const e of after) {
        const n = (inFlight.get(e.videoId) ?? 1) - 1;
        if (n <= 0) {
          inFlight.delete(e.videoId);
          done.add(e.videoId);
        } else inFlight.set(e.videoId, n);
      }
      return done;
    };

    return {
      undoStack: [],
      redoStack: [],
      save: { kind: 'idle' },
      edit(edits, label = 'Edit') {
        const r = run(edits);
        if (!r) return Promise.resolve(false);
        // Recorded at once (not after the save) so a fast Ctrl+Z undoes this edit; dropped if the save fails.
        const entry: HistoryEntry = { label, before: r.before, after: r.after };
        set({ undoStack: [...get().undoStack, entry].slice(-HISTORY_LIMIT), redoStack: [] });
        return r.saved.then((ok) => {
          if (!ok)
            set({
              undoStack: get().undoStack.filter((e) => e !== entry),
              redoStack: get().redoStack.filter((e) => e !== entry),
            });
          return ok;
        });
      },
      undo() {
        const stack = get().undoStack;
        const entry = stack[stack.length - 1];
        if (!entry) return Promise.resolve(false);
        set({ undoStack: stack.slice(0, -1), redoStack: [...get().redoStack, entry] });
        const r = run(entry.before);
        if (!r) return Promise.resolve(true);
        return r.saved.then((ok) => {
          if (!ok)
            set({ redoStack: get().redoStack.filter((e) => e !== entry), undoStack: [...get().undoStack, entry] });
          return ok;
        });
      },
      redo() {
        const stack = get().redoStack;
        const entry = stack[stack.length - 1];
        if (!entry) return Promise.resolve(false);
        set({ redoStack: stack.slice(0, -1), undoStack: [...get().undoStack, entry] });
        const r = run(entry.after);
        if (!r) return Promise.resolve(true);
        return r.saved.then((ok) => {
          if (!ok)
            set({ undoStack: get().undoStack.filter((e) => e !== entry), redoStack: [...get().redoStack, entry] });
          return ok;
        });
      },
      clearHistory() {
        set({ undoStack: [], redoStack: [] });
      },
    };
  });
  return store;
}

function stripUndefined(e: LabelEdit): LabelEdit {
  const out: LabelEdit = { videoId: e.videoId };
  if (e.exerciseType !== undefined) out.exerciseType = e.exerciseType;
  if (e.score !== undefined) out.score = e.score;
  if (e.split !== undefined) out.split = e.split;
  return out;
}
