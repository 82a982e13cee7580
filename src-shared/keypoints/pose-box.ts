/** The image-plane box of one pose: used to choose a person across frames and to tell two people apart. */
import type { Landmark } from './format';

export interface PoseBox {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  area: number;
  cx: number;
  cy: number;
}

/** Bounding box of the landmarks with visibility ≥ minVisibility (all of them when none is visible). */
export function poseBox(lms: readonly Landmark[], minVisibility = 0.5): PoseBox {
  let pts = lms.filter((l) => l.visibility >= minVisibility);
  if (pts.length === 0) pts = [...lms];
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  for (const p of pts) {
    minX = Math.min(minX, p.x);
    maxX = Math.max(maxX, p.x);
    minY = Math.min(minY, p.y);
    maxY = Math.max(maxY, p.y);
  }
  if (pts.length === 0) return { minX: 0, minY: 0, maxX: 0, maxY: 0, area: 0, cx: 0.5, cy: 0.5 };
  return { minX, minY, maxX, maxY, area: (maxX - minX) * (maxY - minY), cx: (minX + maxX) / 2, cy: (minY + maxY) / 2 };
}
