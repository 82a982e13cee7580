/**
 * The two-people rule (src-shared/keypoints/people.ts): which checked frames count, and what the warning says.
 */
import { describe, expect, it } from 'vitest';
import { checkFrameIndices, peopleNote, type PeopleCheck } from '../../src-shared/keypoints/people';
import type { Landmark } from '../../src-shared/keypoints/format';

/** A standing person: 33 landmarks spread over a box (x0..x0+w, y0..y0+h), all visible. */
function person(x0: number, y0: number, w: number, h: number): Landmark[] {
  return Array.from({ length: 33 }, (_, i) => ({
    x: x0 + w * ((i % 5) / 4),
    y: y0 + h * (Math.floor(i / 5) / 6),
    z: 0,
    visibility: 0.9,
  }));
}
const left = person(0.1, 0.2, 0.25, 0.7);
const right = person(0.6, 0.3, 0.15, 0.5);

describe('peopleNote', () => {
  it('says nothing for one person, or a second one on a single checked frame', () => {
    expect(
      peopleNote([
        { poses: [left], kept: left },
        { poses: [left], kept: left },
      ]),
    ).toBeNull();
    expect(
      peopleNote([
        { poses: [left, right], kept: left },
        { poses: [left], kept: left },
      ]),
    ).toBeNull();
  });
  it('names who was scored when the kept pose stayed on one person', () => {
    const checks: PeopleCheck[] = [
      { poses: [right, left], kept: left },
      { poses: [left, right], kept: left },
    ];
    expect(peopleNote(checks)).toMatch(/^Two people in frame: scored the larger person \(on the left\)/);
    expect(peopleNote(checks.map((c) => ({ ...c, kept: right })))).toMatch(
      /scored the smaller person \(on the right\)/,
    );
  });
  it('says the pose switched when it followed one person, then the other', () => {
    expect(
      peopleNote([
        { poses: [left, right], kept: left },
        { poses: [left, right], kept: right },
      ]),
    ).toMatch(/the pose switched between them/);
  });
  it('ignores a tiny second box and two boxes on one body', () => {
    const tiny = person(0.8, 0.1, 0.03, 0.05);
    expect(
      peopleNote([
        { poses: [left, tiny], kept: left },
        { poses: [left, tiny], kept: left },
      ]),
    ).toBeNull();
    const same = person(0.11, 0.21, 0.24, 0.68);
    expect(
      peopleNote([
        { poses: [left, same], kept: left },
        { poses: [left, same], kept: left },
      ]),
    ).toBeNull();
  });
  it('checks frames spread over the ones with a person', () => {
    expect(checkFrameIndices([null, [1], [1], [1], [1], null])).toEqual([2, 3]);
    expect(checkFrameIndices([null, null])).toEqual([]);
    expect(checkFrameIndices([[1]])).toEqual([0]);
  });
});
