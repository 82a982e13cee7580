/**
 * Reading a TFLite model (schema: tensorflow/compiler/mlir/lite/schema/schema.fbs, identifier "TFL3")
 * and adding a named metadata buffer to it.
 *
 * Model fields (slot): version 0, operator_codes 1, subgraphs 2, description 3, buffers 4,
 * metadata_buffer 5, metadata 6, signature_defs 7.
 * Buffer: data 0 (force_align 16), offset 1, size 2.  Metadata: name 0, buffer 1.
 * SubGraph: tensors 0, inputs 1, outputs 2, operators 3, name 4.
 * Tensor: shape 0, type 1, buffer 2, name 3, ...
 */
import { Builder } from 'flatbuffers';
import { FbTable, fileIdentifier } from './flatbuf.js';

export const TFLITE_IDENTIFIER = 'TFL3';
export const TFLITE_METADATA_NAME = 'TFLITE_METADATA';

const MODEL = { version: 0, operatorCodes: 1, subgraphs: 2, description: 3, buffers: 4, metadataBuffer: 5, metadata: 6, signatureDefs: 7 } as const;
const TENSOR_TYPES = ['FLOAT32', 'FLOAT16', 'INT32', 'UINT8', 'INT64', 'STRING', 'BOOL', 'INT16', 'COMPLEX64', 'INT8', 'FLOAT64'];

export interface TensorInfo {
  name: string;
  shape: number[];
  type: string;
}

export interface ModelInfo {
  version: number;
  numBuffers: number;
  numSubgraphs: number;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  /** Metadata entries: name → buffer index. */
  metadata: { name: string; buffer: number }[];
}

function modelRoot(bytes: Uint8Array): FbTable {
  if (bytes.length < 8 || fileIdentifier(bytes) !== TFLITE_IDENTIFIER) {
    throw new Error(`not a TFLite model (identifier ${JSON.stringify(fileIdentifier(bytes))}, expected "${TFLITE_IDENTIFIER}")`);
  }
  return FbTable.root(bytes);
}

function tensorInfo(t: FbTable): TensorInfo {
  return { name: t.string(3) ?? '', shape: t.int32s(0), type: TENSOR_TYPES[t.int8(1)] ?? `type${t.int8(1)}` };
}

export function readModelInfo(bytes: Uint8Array): ModelInfo {
  const m = modelRoot(bytes);
  const sgs = m.tables(MODEL.subgraphs);
  const sg0 = sgs[0];
  if (!sg0) throw new Error('TFLite model has no subgraph');
  const tensors = sg0.tables(0);
  const pick = (slot: number) => sg0.int32s(slot).map((i) => tensorInfo(tensors[i]!));
  return {
    version: m.uint32(MODEL.version),
    numBuffers: m.vectorLength(MODEL.buffers),
    numSubgraphs: sgs.length,
    inputs: pick(1),
    outputs: pick(2),
    metadata: m.tables(MODEL.metadata).map((t) => ({ name: t.string(0) ?? '', buffer: t.uint32(1) })),
  };
}

/** The bytes of the buffer referenced by the metadata entry `name`, or null when there is none. */
export function readMetadataBuffer(bytes: Uint8Array, name: string): Uint8Array | null {
  const m = modelRoot(bytes);
  const entry = m.tables(MODEL.metadata).find((t) => t.string(0) === name);
  if (!entry) return null;
  const buffers = m.tables(MODEL.buffers);
  const buf = buffers[entry.uint32(1)];
  if (!buf) throw new Error(`metadata ${name} points to missing buffer ${entry.uint32(1)}`);
  return buf.bytes(0) ?? new Uint8Array(0);
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
    if (b.uint64(1) > 1n) throw new Error('model stores buffers outside the flatbuffer (Buffer.offset); not supported');
  }
  const oldMeta = m.tables(MODEL.metadata);
  if (oldMeta.some((t) => t.string(0) === name)) throw new Error(`model already has a metadata entry named ${name}`);

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
  b.startObject(3);
  b.addFieldOffset(0, dataVec, 0);
  const newBuffer = b.endObject();
  const newBufferIndex = oldBuffers.length;

  // 3. The new metadata entry.
  const nameStr = b.createString(name);
  b.startObject(2);
  b.addFieldOffset(0, nameStr, 0);
  b.addFieldInt32(1, newBufferIndex, 0);
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
  b.startObject(8);
  b.addFieldInt32(MODEL.version, m.uint32(MODEL.version), 0);
  for (const slot of [MODEL.operatorCodes, MODEL.subgraphs, MODEL.description, MODEL.metadataBuffer, MODEL.signatureDefs]) {
    const t = m.target(slot);
    if (t !== 0) b.addFieldOffset(slot, at(t), 0);
  }
  b.addFieldOffset(MODEL.buffers, buffersVec, 0);
  b.addFieldOffset(MODEL.metadata, metaVec, 0);
  const root = b.endObject();
  b.prep(16, 0); // minalign ≥ 16: the file start, hence the embedded original, is 16-byte aligned
  b.finish(root, TFLITE_IDENTIFIER);
  const out = b.asUint8Array().slice();
  const embeddedAt = out.length - L;
  if (embeddedAt % 16 !== 0) throw new Error('internal: embedded model is not 16-byte aligned');
  return out;
}
