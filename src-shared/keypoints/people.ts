/**
 * "Two people in frame": extraction keeps one pose per frame (numPoses 1: asking for two on every frame
 * costs 1.66× per frame), then re-checks a couple of frames per clip with up to two poses (IMAGE mode,
 * src-renderer/pose/people-check.ts). This decides, from those checks, whether a second person was there
 * and whom the kept pose followed. Pure: unit-tested in Node.
 */
import type { Landmark } from './format';
import { poseBox, type PoseBox } from './pose-box';

/** A second person counts when their box is at least this share of the first's area… */
export const MIN_AREA_SHARE = 0.1;
/** …and overlaps it at most this much (IoU): two boxes on one body are one person seen twice. */
export const MAX_IOU = 0.5;
/** …on at least this share of the checked frames, and on at least MIN_FRAMES of them. */
export const MIN_FRAME_SHARE = 0.25;
export const MIN_FRAMES = 2;
/** Frames per clip the check runs on (each costs one IMAGE-mode detection: detector + landmarks). */
export const CHECK_FRAMES = 2;

function iou(a: PoseBox, b: PoseBox): number {
  const w = Math.max(0, Math.min(a.maxX, b.maxX) - Math.max(a.minX, b.minX));
  const h = Math.max(0, Math.min(a.maxY, b.maxY) - Math.max(a.minY, b.minY));
  const inter = w * h;
  const union = a.area + b.area - inter;
  return union > 0 ? inter / union : 0;
}

/** Mean distance of the joints of `a` and `b` (image plane). */
function distance(a: readonly Landmark[], b: readonly Landmark[]): number {
  let s = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) s += Math.hypot(a[i].x - b[i].x, a[i].y - b[i].y);
  return n ? s / n : Infinity;
}

/** Which checked frames to use: spread over the frames where extraction found a person (indices). */
export function checkFrameIndices(frames: ReadonlyArray<unknown | null>, count = CHECK_FRAMES): number[] {
  const withPerson = frames.flatMap((f, i) => (f ? [i] : []));
  if (withPerson.length === 0) return [];
  const k = Math.min(count, withPerson.length);
  return [
    ...new Set(Array.from({ length: k }, (_, j) => withPerson[Math.floor(((j + 1) * withPerson.length) / (k + 1))])),
  ];
}

export interface PeopleCheck {
  /** Poses found with up to two per frame (IMAGE mode). */
  poses: Landmark[][];
  /** The pose extraction kept for the same frame. */
  kept: Landmark[] | null;
}

/** Where the kept person was, among two. */
type Who = { larger: boolean; left: boolean };

/** The warning for a clip, or null when the checks saw one person. */
export function peopleNote(checks: readonly PeopleCheck[]): string | null {
  if (checks.length === 0) return null;
  const seen: Array<Who | null> = [];
  for (const c of checks) {
    if (c.poses.length < 2) continue;
    const boxes = c.poses.slice(0, 2).map((p) => poseBox(p));
    const [big, small] = boxes[0].area >= boxes[1].area ? [0, 1] : [1, 0];
    if (boxes[small].area < MIN_AREA_SHARE * boxes[big].area || iou(boxes[0], boxes[1]) > MAX_IOU) continue;
    let who: Who | null = null;
    if (c.kept) {
      const mine = distance(c.kept, c.poses[0]) <= distance(c.kept, c.poses[1]) ? 0 : 1;
      const other = 1 - mine;
      who = { larger: mine === big, left: boxes[mine].cx < boxes[other].cx };
    }
    seen.push(who);
  }
  if (seen.length < MIN_FRAMES || seen.length < MIN_FRAME_SHARE * checks.length) return null;
  const known = seen.filter((w): w is Who => w !== null);
  const advice = 'crop or trim the clip to one person for a score of one person.';
  if (known.length === 0) return `Two people in frame: ${advice}`;
  const sameSize = known.every((w) => w.larger === known[0].larger);
  const sameSide = known.every((w) => w.left === known[0].left);
  if (!sameSize && !sameSide) return `Two people in frame, and the pose switched between them: ${advice}`;
  const size = sameSize ? (known[0].larger ? 'the larger person' : 'the smaller person') : null;
  const side = sameSide ? (known[0].left ? 'on the left' : 'on the right') : null;
  const who = size && side ? `${size} (${side})` : (size ?? `the person ${side}`);
  return `Two people in frame: scored ${who}; ${advice}`;
}
