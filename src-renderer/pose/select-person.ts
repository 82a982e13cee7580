/**
 * Choosing one person across frames when the landmarker returns several poses.
 * Pure functions (no DOM), unit-tested in Node.
 *
 * Rule: with no previous choice, the largest person wins, the more central one when two are of
 * similar size (areas within `similarArea`); with a previous choice, the pose nearest to it wins
 * (mean distance of the torso + limb joints visible in both).
 */
import type { Landmark } from '../../src-shared/keypoints/format.js';
import { poseBox, type PoseBox } from '../../src-shared/keypoints/pose-box.js';

export { poseBox, type PoseBox };

/** Shoulders, elbows, wrists, hips, knees, ankles: stable joints for matching across frames. */
const MATCH_JOINTS = [11, 12, 13, 14, 15, 16, 23, 24, 25, 26, 27, 28];

/** Mean image-plane distance between two poses over joints visible in both (box-centre distance if none). */
export function poseDistance(a: readonly Landmark[], b: readonly Landmark[], minVisibility = 0.5): number {
  let sum = 0,
    n = 0;
  for (const j of MATCH_JOINTS) {
    const p = a[j],
      q = b[j];
    if (!p || !q || p.visibility < minVisibility || q.visibility < minVisibility) continue;
    sum += Math.hypot(p.x - q.x, p.y - q.y);
    n++;
  }
  if (n > 0) return sum / n;
  const ba = poseBox(a, minVisibility),
    bb = poseBox(b, minVisibility);
  return Math.hypot(ba.cx - bb.cx, ba.cy - bb.cy);
}

export interface SelectOptions {
  /** Areas within this ratio count as "similar size" and the more central one wins. Default 0.8. */
  similarArea?: number;
}

/** Index of the pose to keep, or -1 when there is none. */
export function selectPerson(
  poses: readonly (readonly Landmark[])[],
  previous: readonly Landmark[] | null,
  opts: SelectOptions = {},
): number {
  if (poses.length === 0) return -1;
  if (poses.length === 1) return 0;
  if (previous) {
    let best = 0,
      bestD = Infinity;
    poses.forEach((p, i) => {
      const d = poseDistance(p, previous);
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    });
    return best;
  }
  const similar = opts.similarArea ?? 0.8;
  const boxes = poses.map((p) => poseBox(p));
  const maxArea = Math.max(...boxes.map((b) => b.area));
  let best = -1,
    bestC = Infinity;
  boxes.forEach((b, i) => {
    if (b.area < similar * maxArea) return;
    const c = Math.hypot(b.cx - 0.5, b.cy - 0.5);
    if (c < bestC) {
      bestC = c;
      best = i;
    }
  });
  return best;
}
