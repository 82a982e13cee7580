/** The keypoint-extraction job of the renderer: one at a time, progress for the status bar, cancellable. */
import { create } from 'zustand';
import { api } from '../api/client';
import { useApp } from '../app/store';
import type { ExtractProgress } from './extract';
import type { PoseModelVariant } from '../../src-shared/keypoints/format';

interface ExtractionState {
  running: boolean;
  progress: ExtractProgress | null;
  /** Video ids being extracted right now (for the grid's "extracting" status). */
  queue: Set<number>;
  lastSummary: string | null;
  error: string | null;
  /** When the running extraction started (for its ETA). */
  startedAt: number | null;
  start(opts?: { videoIds?: number[]; force?: boolean; variant?: PoseModelVariant; numFrames?: number }): Promise<void>;
  cancel(): void;
}

let controller: AbortController | null = null;

export const useExtraction = create<ExtractionState>((set, get) => ({
  running: false,
  progress: null,
  queue: new Set(),
  lastSummary: null,
  error: null,
  startedAt: null,
  async start(opts = {}) {
    if (get().running) return;
    controller = new AbortController();
    set({ running: true, error: null, lastSummary: null, progress: null, startedAt: Date.now() });
    try {
      const variantSetting = (await api.call('project.getSetting', { key: 'pose.variant' })) as PoseModelVariant | null;
      const variant = opts.variant ?? variantSetting ?? 'full';
      const ids = await api.call('keypoints.pending', {
        videoIds: opts.videoIds,
        force: opts.force,
        variant,
        numFrames: opts.numFrames,
      });
      set({ queue: new Set(ids) });
      // MediaPipe loads only when extraction first runs (keeps the app's first load small).
      const { extractKeypoints } = await import('./extract');
      const result = await extractKeypoints(ids, {
        variant,
        numFrames: opts.numFrames,
        signal: controller.signal,
        onProgress: (p) => set({ progress: p }),
        onVideo: (id) => {
          const q = new Set(get().queue);
          q.delete(id);
          set({ queue: q });
        },
      });
      const cancelled = controller.signal.aborted;
      set({
        lastSummary:
          ids.length === 0
            ? // Nothing is "up to date" when there is nothing.
              (useApp.getState().project?.counts.videos ?? 0) === 0
              ? 'No videos to extract: import videos first'
              : 'Keypoints are up to date'
            : `${cancelled ? 'Cancelled: ' : ''}${result.ok} ok, ${result.noPose} with no pose, ${result.failed} failed (${result.delegate ?? '?'}, ${result.msPerFrame?.toFixed(0) ?? '?'} ms/frame)`,
      });
    } catch (err) {
      set({ error: (err as Error).message });
    } finally {
      set({ running: false, queue: new Set(), startedAt: null });
      controller = null;
    }
  },
  cancel() {
    controller?.abort();
  },
}));
