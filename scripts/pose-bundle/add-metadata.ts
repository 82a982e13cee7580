/**
 * Adding a named metadata buffer to a TFLite model (schema: tensorflow/compiler/mlir/lite/schema/schema.fbs,
 * identifier "TFL3"). Reading goes through the app's one TFLite reader (src-shared/tflite/reader.ts) and
 * FlatBuffer table reader (src-shared/tflite/flatbuffer.ts); the slots are in src-shared/tflite/schema.ts.
 */
import { Builder } from 'flatbuffers';
import { FbTable } from '../../src-shared/tflite/flatbuffer.js';
import { TfliteFormatError, hasTfliteIdentifier } from '../../src-shared/tflite/reader.js';
import { F, TFLITE_FILE_IDENTIFIER } from '../../src-shared/tflite/schema.js';

export const TFLITE_METADATA_NAME = 'TFLITE_METADATA';

const MODEL = F.Model;

function modelRoot(bytes: Uint8Array): FbTable {
  if (!hasTfliteIdentifier(bytes))
    throw new TfliteFormatError(
      `not a TFLite model: the file identifier at bytes 4..8 is not "${TFLITE_FILE_IDENTIFIER}"`,
    );
  return FbTable.root(bytes);
}

/**
 * Returns a new TFLite file = the original with one more buffer (holding `data`) and one more
 * Model.metadata entry `{name, buffer}`.
 *
 * How: a new root Model table is written in front of the original file, which is embedded
 * verbatim (16-byte aligned, so every relative offset and buffer alignment inside it stays valid).
 * The new root copies `version` and points `operator_codes`, `subgraphs`, `description`,
 * `metadata_buffer` and `signature_defs` at the original objects; `buffers` and `metadata` are new
 * vectors = the original entries + the new one. The original root table and its two old vectors
 * stay in the file unreferenced. Models whose buffers live outside the flatbuffer (Buffer.offset > 1,
 * >2 GB models) are refused, since their file-relative offsets would shift.
 */
export function addMetadataBuffer(original: Uint8Array, name: string, data: Uint8Array): Uint8Array {
  const m = modelRoot(original);
  if (original.length % 16 !== 0) {
    // The embedded copy must keep 16-byte alignment relative to the new file's start (see below).
    throw new Error(`TFLite file length ${original.length} is not a multiple of 16`);
  }
  const oldBuffers = m.tablePositions(MODEL.buffers);
  for (const p of oldBuffers) {
    const b = new FbTable(m.bb, p);
    if (b.u64(F.Buffer.offset) > 1n)
      throw new Error('model stores buffers outside the flatbuffer (Buffer.offset); not supported');
  }
  const oldMeta = m.tables(MODEL.metadata);
  if (oldMeta.some((t) => t.str(F.Metadata.name) === name))
    throw new Error(`model already has a metadata entry named ${name}`);

  const L = original.length;
  const b = new Builder(L + data.length + 1024);
  // 1. The original file, at the very end of the new buffer. Builder offsets count from the end,
  //    so an object at position x of the original has builder offset L - x.
  // createByteVector writes it as a [ubyte] vector (a 4-byte length in front, unreferenced).
  // Nothing is written before it and L % 16 == 0, so it starts 16-byte aligned from the end.
  b.createByteVector(original);
  const at = (x: number) => L - x;

  // 2. The new buffer's data (Buffer.data has force_align 16).
  b.startVector(1, data.length, 16);
  for (let i = data.length - 1; i >= 0; i--) b.addInt8(data[i]!);
  const dataVec = b.endVector();
  b.startObject(F.Buffer.count);
  b.addFieldOffset(F.Buffer.data, dataVec, 0);
  const newBuffer = b.endObject();
  const newBufferIndex = oldBuffers.length;

  // 3. The new metadata entry.
  const nameStr = b.createString(name);
  b.startObject(F.Metadata.count);
  b.addFieldOffset(F.Metadata.name, nameStr, 0);
  b.addFieldInt32(F.Metadata.buffer, newBufferIndex, 0);
  const newMeta = b.endObject();

  // 4. New vectors (elements in order; the builder writes back to front).
  const offsetVector = (offs: number[]) => {
    b.startVector(4, offs.length, 4);
    for (let i = offs.length - 1; i >= 0; i--) b.addOffset(offs[i]!);
    return b.endVector();
  };
  const buffersVec = offsetVector([...oldBuffers.map(at), newBuffer]);
  const metaVec = offsetVector([...oldMeta.map((t) => at(t.pos)), newMeta]);

  // 5. The new root table.
  b.startObject(MODEL.count);
  b.addFieldInt32(MODEL.version, m.u32(MODEL.version), 0);
  for (const slot of [
    MODEL.operator_codes,
    MODEL.subgraphs,
    MODEL.description,
    MODEL.metadata_buffer,
    MODEL.signature_defs,
  ]) {
    const t = m.target(slot);
    if (t !== 0) b.addFieldOffset(slot, at(t), 0);
  }
  b.addFieldOffset(MODEL.buffers, buffersVec, 0);
  b.addFieldOffset(MODEL.metadata, metaVec, 0);
  const root = b.endObject();
  b.prep(16, 0); // minalign ≥ 16: the file start, hence the embedded original, is 16-byte aligned
  b.finish(root, TFLITE_FILE_IDENTIFIER);
  const out = b.asUint8Array().slice();
  const embeddedAt = out.length - L;
  if (embeddedAt % 16 !== 0) throw new Error('internal: embedded model is not 16-byte aligned');
  return out;
}
