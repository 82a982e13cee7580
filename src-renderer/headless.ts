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
      extract(
        ids: number[],
        opts: { variant?: PoseModelVariant; numFrames?: number; workers?: number },
      ): Promise<ExtractProgress>;
      /**
       * Starts loading the pose model (workers, WASM, model file) and returns at once: extract() with the
       * same variant and workers then finds it ready. The CLI calls this while main still checks the videos.
       */
      warm(variant: PoseModelVariant, workers?: number): void;
      /** Stops the running extract() (it resolves with what was done). */
      cancel(): void;
      progress: ExtractProgress | null;
    };
  }
}

export function installHeadless(): void {
  let running: AbortController | null = null;
  const h: NonNullable<Window['formStudioHeadless']> = {
    progress: null,
    extract: (ids, opts) => {
      running = new AbortController();
      return extractKeypoints(ids, { ...opts, signal: running.signal, onProgress: (p) => (h.progress = p) });
    },
    warm: (variant, workers) => {
      // A failure shows again (and is reported) when extract() asks for the same detector.
      clipDetectorFor(variant, workers).catch(() => undefined);
    },
    cancel: () => running?.abort(),
  };
  window.formStudioHeadless = h;
}
