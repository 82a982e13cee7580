import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  decodeKeypointRecord,
  encodeKeypointRecord,
  isBinaryKeypointRecord,
  toBinaryKeypointRecord,
} from '../../src-shared/keypoints/cache-record';
import { fixture } from '../support/fixtures';

// Real MediaPipe landmarks (pixel x, y, z of 33 landmarks per frame), scaled and rounded as the old cache did.
function realFrames(): number[][] {
  const raw = JSON.parse(readFileSync(fixture('pose-reference', 'pose_squats.full.json'), 'utf8')) as number[][][];
  return raw.map((f) =>
    f.flatMap(([x, y, z], i) => [x / 640, y / 480, z / 640, 0.5 + i / 100].map((v) => Math.round(v * 1e5) / 1e5)),
  );
}
const key = { numFrames: 24, variant: 'full' as const };
const f32 = (v: number) => new Uint32Array(new Float32Array([v]).buffer)[0];

describe('keypoint cache record', () => {
  it('reads back exactly the float32 of every landmark, timestamps exactly, missing frames as null', () => {
    const frames: Array<number[] | null> = realFrames().slice(0, 24);
    frames[3] = null;
    const world = frames.map((f) => (f ? f.map((v) => v / 7 - 0.3) : null));
    world[5] = null;
    const timestamps = frames.map((_, i) => (i + 0.5) * 0.41666666666666663);
    const bytes = encodeKeypointRecord({ timestamps, frames, world });
    expect(isBinaryKeypointRecord(bytes)).toBe(true);
    // Header + timestamps + 2 bitmaps (padded) + floats: half the JSON.
    expect(bytes.length).toBe(24 + 24 * 8 + 8 + 4 * 132 * (23 + 22));
    expect(bytes.length).toBeLessThan(Buffer.from(JSON.stringify({ timestamps, frames, world })).length / 1.5);
    // Decode from a copy at an odd offset inside a larger buffer (as a SQLite blob may come back).
    const host = new Uint8Array(bytes.length + 3);
    host.set(bytes, 3);
    const kp = decodeKeypointRecord(host.subarray(3), key);
    expect(kp.timestamps).toEqual(timestamps);
    expect(kp.frames[3]).toBeNull();
    expect(kp.world![5]).toBeNull();
    let compared = 0;
    for (const [src, got] of [
      [frames, kp.frames],
      [world, kp.world!],
    ] as const) {
      src.forEach((f, i) =>
        f?.forEach((v, j) => {
          expect(f32(got[i]![j])).toBe(f32(v)); // bitwise float32
          expect(got[i]![j]).toBe(Math.fround(v)); // and the double given back is that float32 exactly
          compared++;
        }),
      );
    }
    expect(compared).toBe(132 * 45);
  });

  it('keeps "no world landmarks" apart from "world landmarks, all frames empty"', () => {
    const none = decodeKeypointRecord(encodeKeypointRecord({ timestamps: [0.5], frames: [null], world: null }), key);
    expect(none).toEqual({ ...key, timestamps: [0.5], frames: [null], world: null });
    const empty = decodeKeypointRecord(encodeKeypointRecord({ timestamps: [0.5], frames: [null], world: [null] }), key);
    expect(empty.world).toEqual([null]);
  });

  it('reads legacy JSON records and converts them; refuses what is not a record', () => {
    const frames = realFrames().slice(0, 2);
    const json = Buffer.from(JSON.stringify({ ...key, timestamps: [0.1, 0.2], frames, world: null }));
    expect(decodeKeypointRecord(json, key).frames).toEqual(frames);
    const bin = toBinaryKeypointRecord(json);
    expect(decodeKeypointRecord(bin, key).frames).toEqual(frames.map((f) => f.map(Math.fround)));
    expect(toBinaryKeypointRecord(bin)).toBe(bin);
    expect(() => decodeKeypointRecord(Buffer.from('garbage'), key)).toThrow(/not a keypoint cache record/);
    expect(() => decodeKeypointRecord(bin.subarray(0, bin.length - 4), key)).toThrow(/cut short/);
    const future = Uint8Array.from(bin);
    future[4] = 9;
    expect(() => decodeKeypointRecord(future, key)).toThrow(/version 9.*update Form Studio/);
    expect(() => encodeKeypointRecord({ timestamps: [0], frames: [[1, 2, 3]], world: null })).toThrow(/3 values/);
  });
});
