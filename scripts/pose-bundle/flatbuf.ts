/**
 * Minimal, schema-agnostic FlatBuffers table reader on top of the `flatbuffers` ByteBuffer.
 * Field slots are 0-based (slot n lives at vtable byte offset 4 + 2n), as in the .fbs field order.
 */
import { ByteBuffer } from 'flatbuffers';

export class FbTable {
  constructor(
    readonly bb: ByteBuffer,
    /** Absolute byte position of the table in the buffer. */
    readonly pos: number,
  ) {}

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

  uint32(slot: number, dflt = 0): number {
    const p = this.fieldPos(slot);
    return p === 0 ? dflt : this.bb.readUint32(p);
  }

  uint8(slot: number, dflt = 0): number {
    const p = this.fieldPos(slot);
    return p === 0 ? dflt : this.bb.readUint8(p);
  }

  int8(slot: number, dflt = 0): number {
    const p = this.fieldPos(slot);
    return p === 0 ? dflt : this.bb.readInt8(p);
  }

  uint64(slot: number): bigint {
    const p = this.fieldPos(slot);
    return p === 0 ? 0n : this.bb.readUint64(p);
  }

  string(slot: number): string | null {
    const p = this.fieldPos(slot);
    return p === 0 ? null : this.bb.__string(p) as string;
  }

  table(slot: number): FbTable | null {
    const t = this.target(slot);
    return t === 0 ? null : new FbTable(this.bb, t);
  }

  vectorLength(slot: number): number {
    const p = this.fieldPos(slot);
    return p === 0 ? 0 : this.bb.__vector_len(p);
  }

  /** Absolute position of the first element of a vector field (0 when absent). */
  vectorStart(slot: number): number {
    const p = this.fieldPos(slot);
    return p === 0 ? 0 : this.bb.__vector(p);
  }

  /** Absolute positions of the tables in a vector-of-tables field. */
  tablePositions(slot: number): number[] {
    const n = this.vectorLength(slot);
    const start = this.vectorStart(slot);
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(this.bb.__indirect(start + 4 * i));
    return out;
  }

  tables(slot: number): FbTable[] {
    return this.tablePositions(slot).map((p) => new FbTable(this.bb, p));
  }

  float32s(slot: number): number[] {
    const n = this.vectorLength(slot);
    const start = this.vectorStart(slot);
    return Array.from({ length: n }, (_, i) => this.bb.readFloat32(start + 4 * i));
  }

  int32s(slot: number): number[] {
    const n = this.vectorLength(slot);
    const start = this.vectorStart(slot);
    return Array.from({ length: n }, (_, i) => this.bb.readInt32(start + 4 * i));
  }

  bytes(slot: number): Uint8Array | null {
    const p = this.fieldPos(slot);
    if (p === 0) return null;
    const start = this.bb.__vector(p);
    return this.bb.bytes().subarray(start, start + this.bb.__vector_len(p));
  }
}

/** The 4-byte file identifier at bytes 4..8 of a FlatBuffer. */
export function fileIdentifier(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes.subarray(4, 8));
}
