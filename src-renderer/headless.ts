/**
 * Headless entry points for the CLI (`form-studio keypoints`, `form-studio score`): the CLI opens the app in
 * headless Chromium and calls these, so extraction runs the very same renderer code as the app.
 */
import { extractKeypoints, type ExtractProgress } from './pose/extract';
import { clipDetectorFor } from './pose/pose-pool';
import type { PoseModelVariant } from '../src-shared/keypoints/format';

declare global {
  interface Window {
    formStudioHeadless?: {
      /** `progressKey`: where this call's progress shows in `progress` (calls may run side by side). */
      extract(
        ids: number[],
        opts: { variant?: PoseModelVariant; numFrames?: number; workers?: number; progressKey?: string },
      ): Promise<ExtractProgress>;
      /**
       * Starts loading the pose model (workers, WASM, model file) and returns at once: extract() with the
       * same variant and workers then finds it ready. The CLI calls this while main still checks the videos.
       */
      warm(variant: PoseModelVariant, workers?: number): void;
      /** Stops the running extract() (it resolves with what was done). */
      cancel(): void;
      progress: Record<string, ExtractProgress>;
    };
  }
}

export function installHeadless(): void {
  const running = new Set<AbortController>(); // extract() calls may run side by side
  const h: NonNullable<Window['formStudioHeadless']> = {
    progress: {},
    extract: (ids, { progressKey = '', ...opts }) => {
      const ac = new AbortController();
      running.add(ac);
      return extractKeypoints(ids, {
        ...opts,
        signal: ac.signal,
        onProgress: (p) => (h.progress[progressKey] = p),
      }).finally(() => {
        running.delete(ac);
        // The call's result carries its final counts; a long shard session makes many calls.
        delete h.progress[progressKey];
      });
    },
    warm: (variant, workers) => {
      // A failure shows again (and is reported) when extract() asks for the same detector.
      clipDetectorFor(variant, workers).catch(() => undefined);
    },
    cancel: () => running.forEach((ac) => ac.abort()),
  };
  window.formStudioHeadless = h;
}
