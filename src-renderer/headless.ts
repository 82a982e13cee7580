/**
 * Headless entry points for the CLI (`form-studio keypoints`, `form-studio score`): the CLI opens the app in
 * headless Chromium and calls these, so extraction runs the very same renderer code as the app.
 */
import { extractKeypoints, type ExtractProgress } from './pose/extract';
import type { PoseModelVariant } from '../src-shared/keypoints/format';

declare global {
  interface Window {
    formStudioHeadless?: {
      extract(ids: number[], opts: { variant?: PoseModelVariant; numFrames?: number; workers?: number }): Promise<ExtractProgress>;
      progress: ExtractProgress | null;
    };
  }
}

export function installHeadless(): void {
  const h: NonNullable<Window['formStudioHeadless']> = {
    progress: null,
    extract: (ids, opts) => extractKeypoints(ids, { ...opts, onProgress: (p) => (h.progress = p) }),
  };
  window.formStudioHeadless = h;
}
