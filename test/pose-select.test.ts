import { describe, expect, it } from 'vitest';
import { poseBox, poseDistance, selectPerson } from '../src-renderer/pose/select-person.js';
import { visibilityAlpha } from '../src-renderer/pose/draw.js';
import { NUM_LANDMARKS, type Landmark } from '../src-shared/keypoints/format.js';

/** A synthetic pose: landmarks spread over a box centred at (cx, cy) of size (w, h). */
function pose(cx: number, cy: number, w: number, h: number, visibility = 0.9): Landmark[] {
  return Array.from({ length: NUM_LANDMARKS }, (_, i) => ({
    x: cx - w / 2 + (w * (i % 5)) / 4,
    y: cy - h / 2 + (h * Math.floor(i / 5)) / 6,
    z: 0,
    visibility,
  }));
}

describe('selectPerson', () => {
  it('returns -1 for no pose and 0 for one', () => {
    expect(selectPerson([], null)).toBe(-1);
    expect(selectPerson([pose(0.1, 0.1, 0.1, 0.1)], null)).toBe(0);
  });

  it('picks the largest person when there is no previous choice', () => {
    const small = pose(0.5, 0.5, 0.1, 0.2);
    const big = pose(0.2, 0.5, 0.3, 0.6);
    expect(selectPerson([small, big], null)).toBe(1);
  });

  it('picks the more central of two similar-size people', () => {
    const left = pose(0.2, 0.5, 0.3, 0.6);
    const centre = pose(0.55, 0.5, 0.29, 0.6);
    expect(selectPerson([left, centre], null)).toBe(1);
  });

  it('follows the previous person even when another is larger', () => {
    const prev = pose(0.2, 0.5, 0.2, 0.4);
    const same = pose(0.22, 0.5, 0.2, 0.4);
    const big = pose(0.6, 0.5, 0.4, 0.8);
    expect(selectPerson([big, same], prev)).toBe(1);
  });

  it('ignores invisible landmarks for the box and the distance', () => {
    const p = pose(0.5, 0.5, 0.2, 0.2);
    p[0] = { x: 0, y: 0, z: 0, visibility: 0.01 };
    const b = poseBox(p);
    expect(b.minX).toBeGreaterThan(0.3);
    expect(poseDistance(p, p)).toBe(0);
  });
});

describe('visibilityAlpha', () => {
  it('is 0 below the threshold and grows with visibility', () => {
    expect(visibilityAlpha(0.1, 0.2)).toBe(0);
    expect(visibilityAlpha(Number.NaN, 0.2)).toBe(0);
    const a = visibilityAlpha(0.5, 0.2),
      b = visibilityAlpha(0.9, 0.2);
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(a);
    expect(visibilityAlpha(1, 0.2, 0.8)).toBeCloseTo(0.8);
  });
});
