/**
 * The one FlatBuffers table reader of the codebase: schema-agnostic, on top of the `flatbuffers` ByteBuffer.
 * Field slots are 0-based in .fbs declaration order (slot n lives at vtable byte offset 4 + 2n; a union takes two
 * slots, `<name>_type` then `<name>`). Used for TFLite models (reader.ts) and, in the build scripts, for TFLite
 * model metadata and the in-place pruning of the pose model. Positions are absolute byte offsets in the buffer.
 */
import { ByteBuffer } from 'flatbuffers';

export class FbTable {
  constructor(
    readonly bb: ByteBuffer,
    /** Absolute byte position of the table in the buffer. */
    readonly pos: number,
  ) {}

  /** The root table of a finished FlatBuffer. */
  static root(bytes: Uint8Array): FbTable {
    const bb = new ByteBuffer(bytes);
    return new FbTable(bb, bb.readUint32(0));
  }

  /** Absolute position of the field's inline value, or 0 when the field is absent. */
  fieldPos(slot: number): number {
    const o = this.bb.__offset(this.pos, 4 + 2 * slot);
    return o === 0 ? 0 : this.pos + o;
  }

  has(slot: number): boolean {
    return this.fieldPos(slot) !== 0;
  }

  /** Absolute position of the object an offset field points to, or 0. */
  target(slot: number): number {
    const p = this.fieldPos(slot);
    return p === 0 ? 0 : this.bb.__indirect(p);
  }

  u8(slot: number, dflt = 0): number {
    const p = this.fieldPos(slot);
    return p === 0 ? dflt : this.bb.readUint8(p);
  }

  i8(slot: number, dflt = 0): number {
    const p = this.fieldPos(slot);
    return p === 0 ? dflt : this.bb.readInt8(p);
  }

  i32(slot: number, dflt = 0): number {
    const p = this.fieldPos(slot);
    return p === 0 ? dflt : this.bb.readInt32(p);
  }

  u32(slot: number, dflt = 0): number {
    const p = this.fieldPos(slot);
    return p === 0 ? dflt : this.bb.readUint32(p);
  }

  u64(slot: number, dflt = 0n): bigint {
    const p = this.fieldPos(slot);
    return p === 0 ? dflt : this.bb.readUint64(p);
  }

  str(slot: number): string | undefined {
    const p = this.fieldPos(slot);
    return p === 0 ? undefined : (this.bb.__string(p) as string);
  }

  table(slot: number): FbTable | undefined {
    const t = this.target(slot);
    return t === 0 ? undefined : new FbTable(this.bb, t);
  }

  /** Start (absolute position of the first element) and length of a vector field; undefined when absent. */
  vector(slot: number): { start: number; len: number } | undefined {
    const p = this.fieldPos(slot);
    return p === 0 ? undefined : { start: this.bb.__vector(p), len: this.bb.__vector_len(p) };
  }

  vectorLength(slot: number): number {
    return this.vector(slot)?.len ?? 0;
  }

  /** Absolute position of the first element of a vector field (0 when absent). */
  vectorStart(slot: number): number {
    return this.vector(slot)?.start ?? 0;
  }

  /** Absolute positions of the tables in a vector-of-tables field. */
  tablePositions(slot: number): number[] {
    const v = this.vector(slot);
    const out: number[] = [];
    if (v) for (let i = 0; i < v.len; i++) out.push(this.bb.__indirect(v.start + 4 * i));
    return out;
  }

  tables(slot: number): FbTable[] {
    return this.tablePositions(slot).map((p) => new FbTable(this.bb, p));
  }

  i32s(slot: number): number[] {
    return this.scalars(slot, 4, (p) => this.bb.readInt32(p));
  }

  f32s(slot: number): number[] {
    return this.scalars(slot, 4, (p) => this.bb.readFloat32(p));
  }

  /** int64 vector as numbers (exact up to 2^53, ample for quantization zero points). */
  i64s(slot: number): number[] {
    return this.scalars(slot, 8, (p) => Number(this.bb.readInt64(p)));
  }

  /** A [ubyte] vector field as a view into the buffer (no copy), or undefined when absent. */
  bytes(slot: number): Uint8Array | undefined {
    const v = this.vector(slot);
    return v ? this.bb.bytes().subarray(v.start, v.start + v.len) : undefined;
  }

  private scalars(slot: number, size: number, read: (pos: number) => number): number[] {
    const v = this.vector(slot);
    const out: number[] = [];
    if (v) for (let i = 0; i < v.len; i++) out.push(read(v.start + size * i));
    return out;
  }
}

/** The 4-byte file identifier at bytes 4..8 of a FlatBuffer ('' when too short). */
export function fileIdentifier(bytes: Uint8Array): string {
  return bytes.length < 8 ? '' : String.fromCharCode(bytes[4], bytes[5], bytes[6], bytes[7]);
}
