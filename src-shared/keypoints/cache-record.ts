/**
 * The keypoint cache record: the bytes one video's keypoints are stored as (SQLite `keypoint_cache.data`, and
 * the `data` column of a keypoint shard). Binary, because JSON cost ~50 KB and a parse per video, which made a
 * 100,000-video shard merge take minutes; this is ~25 KB and decodes without parsing.
 *
 * Layout (little-endian), version 1:
 *   0  'FSKP'                       magic
 *   4  u8  version (1)
 *   5  u8  flags                    bit 0: world landmarks present (the array, not each frame)
 *   6  u16 reserved (0)
 *   8  u32 timestamps count
 *  12  u32 frames count
 *  16  u32 world frames count       0 when there are no world landmarks
 *  20  u32 reserved (0)
 *  24  f64 × timestamps             seconds, exact
 *      presence bits of frames, then of world frames (bit i set: frame i has a person), zero-padded to 4 bytes
 *      f32 × 132 per present frame, then per present world frame
 *
 * Landmarks are float32: a decoded value is exactly the float32 nearest the value saved (flattenFrame already
 * rounds to that, so a fresh extraction and a cached one are the same numbers). Records written before this
 * format are UTF-8 JSON of StoredKeypoints; `decodeKeypointRecord` reads both, so nothing depends on when a
 * row was converted.
 */
import { FEATURES_PER_FRAME, type PoseModelVariant } from './format';
import type { StoredKeypoints } from './stored';

export const RECORD_MAGIC = 'FSKP';
export const RECORD_VERSION = 1;
const HEADER = 24;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export class KeypointRecordError extends Error {}

type Frames = Array<ArrayLike<number> | null>;

/** The keypoints of one video (what StoredKeypoints holds besides the key) as a cache record. */
export function encodeKeypointRecord(kp: {
  timestamps: ArrayLike<number>;
  frames: Frames;
  world: Frames | null;
}): Uint8Array {
  const world = kp.world ?? [];
  const present = (fs: Frames) => {
    let n = 0;
    for (const f of fs) {
      if (!f) continue;
      if (f.length !== FEATURES_PER_FRAME)
        throw new KeypointRecordError(`a keypoint frame has ${f.length} values, expected ${FEATURES_PER_FRAME}`);
      n++;
    }
    return n;
  };
  const nf = present(kp.frames);
  const nw = present(world);
  const bitsAt = HEADER + 8 * kp.timestamps.length;
  const floatsAt = align4(bitsAt + bitmapBytes(kp.frames.length) + bitmapBytes(world.length));
  const out = new Uint8Array(floatsAt + 4 * FEATURES_PER_FRAME * (nf + nw));
  const view = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = RECORD_MAGIC.charCodeAt(i);
  out[4] = RECORD_VERSION;
  out[5] = kp.world ? 1 : 0;
  view.setUint32(8, kp.timestamps.length, true);
  view.setUint32(12, kp.frames.length, true);
  view.setUint32(16, world.length, true);
  for (let i = 0; i < kp.timestamps.length; i++) view.setFloat64(HEADER + 8 * i, kp.timestamps[i], true);
  let bit = bitsAt;
  let at = floatsAt;
  for (const fs of [kp.frames, world]) {
    fs.forEach((f, i) => {
      if (f) out[bit + (i >> 3)] |= 1 << (i & 7);
    });
    bit += bitmapBytes(fs.length);
    for (const f of fs) {
      if (!f) continue;
      if (LITTLE_ENDIAN) new Float32Array(out.buffer, at, FEATURES_PER_FRAME).set(f);
      else for (let j = 0; j < FEATURES_PER_FRAME; j++) view.setFloat32(at + 4 * j, f[j], true);
      at += 4 * FEATURES_PER_FRAME;
    }
  }
  return out;
}

/** True for a binary record, false for a legacy JSON one (anything else is not a keypoint record). */
export function isBinaryKeypointRecord(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x46 && bytes[1] === 0x53 && bytes[2] === 0x4b && bytes[3] === 0x50;
}

/** Decode a cache record, binary or legacy JSON, into the in-memory type every reader uses. */
export function decodeKeypointRecord(
  bytes: Uint8Array,
  key: { numFrames: number; variant: PoseModelVariant },
): StoredKeypoints {
  if (!isBinaryKeypointRecord(bytes)) {
    if (bytes[0] !== 0x7b) throw new KeypointRecordError('not a keypoint cache record (neither binary nor JSON)');
    const kp = JSON.parse(new TextDecoder().decode(bytes)) as Partial<StoredKeypoints> | null;
    // Valid JSON is not yet a record: say so rather than fail later on a missing array.
    if (
      !kp ||
      !Array.isArray(kp.timestamps) ||
      !Array.isArray(kp.frames) ||
      !(kp.world == null || Array.isArray(kp.world))
    )
      throw new KeypointRecordError('a JSON keypoint record without timestamps and frames');
    return {
      numFrames: key.numFrames,
      variant: key.variant,
      timestamps: kp.timestamps,
      frames: kp.frames,
      world: kp.world ?? null,
    };
  }
  if (bytes.length < HEADER) throw new KeypointRecordError('keypoint cache record cut short (header)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[4] !== RECORD_VERSION)
    throw new KeypointRecordError(
      `keypoint cache record version ${bytes[4]}; this Form Studio reads version ${RECORD_VERSION} (update Form Studio)`,
    );
  const hasWorld = (bytes[5] & 1) === 1;
  const nt = view.getUint32(8, true);
  const nFrames = view.getUint32(12, true);
  const nWorld = view.getUint32(16, true);
  const bitsAt = HEADER + 8 * nt;
  const floatsAt = align4(bitsAt + bitmapBytes(nFrames) + bitmapBytes(nWorld));
  if (bytes.length < floatsAt) throw new KeypointRecordError('keypoint cache record cut short');
  const timestamps = new Array<number>(nt);
  for (let i = 0; i < nt; i++) timestamps[i] = view.getFloat64(HEADER + 8 * i, true);
  let bit = bitsAt;
  let at = floatsAt;
  const read = (n: number): Array<number[] | null> => {
    const out = new Array<number[] | null>(n);
    for (let i = 0; i < n; i++) {
      if (!(bytes[bit + (i >> 3)] & (1 << (i & 7)))) {
        out[i] = null;
        continue;
      }
      if (at + 4 * FEATURES_PER_FRAME > bytes.length)
        throw new KeypointRecordError('keypoint cache record cut short (landmarks)');
      const f = new Array<number>(FEATURES_PER_FRAME);
      for (let j = 0; j < FEATURES_PER_FRAME; j++) f[j] = view.getFloat32(at + 4 * j, true);
      out[i] = f;
      at += 4 * FEATURES_PER_FRAME;
    }
    bit += bitmapBytes(n);
    return out;
  };
  const frames = read(nFrames);
  const world = read(nWorld);
  if (at !== bytes.length) throw new KeypointRecordError('keypoint cache record has trailing bytes');
  return { numFrames: key.numFrames, variant: key.variant, timestamps, frames, world: hasWorld ? world : null };
}

/** A record in the current format: binary records as they are, legacy JSON ones converted. */
export function toBinaryKeypointRecord(bytes: Uint8Array): Uint8Array {
  if (isBinaryKeypointRecord(bytes)) return bytes;
  return encodeKeypointRecord(decodeKeypointRecord(bytes, { numFrames: 0, variant: 'full' }));
}

const bitmapBytes = (n: number) => Math.ceil(n / 8);
const align4 = (n: number) => (n + 3) & ~3;
