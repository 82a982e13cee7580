/**
 * Minimal TFLite FlatBuffer reader: enough to list operator codes, tensors,
 * signatures and metadata of a .tflite file (tests, validation of imported
 * files). Pure TypeScript; no Node or DOM APIs.
 */
import { ByteBuffer } from 'flatbuffers';
import { BUILTIN_OPERATOR_NAMES, BuiltinOperator, F, TENSOR_TYPE_NAMES, TFLITE_FILE_IDENTIFIER } from './schema';

export interface ReadTensor {
  index: number;
  name: string;
  shape: number[];
  type: number;
  typeName: string;
  buffer: number;
  quantization?: { scale: number[]; zeroPoint: number[]; quantizedDimension: number };
}

export interface ReadOperator {
  opcodeIndex: number;
  builtinCode: number;
  opName: string;
  inputs: number[];
  outputs: number[];
  builtinOptionsType: number;
}

export interface ReadSubGraph {
  name: string;
  tensors: ReadTensor[];
  inputs: number[];
  outputs: number[];
  operators: ReadOperator[];
}

export interface ReadSignature {
  key: string;
  subgraphIndex: number;
  inputs: { name: string; tensorIndex: number }[];
  outputs: { name: string; tensorIndex: number }[];
}

export interface ReadModel {
  version: number;
  description: string;
  operatorCodes: { builtinCode: number; opName: string; customCode?: string; version: number }[];
  subgraphs: ReadSubGraph[];
  /** Byte length of each buffer's data (0 for empty buffers). */
  bufferSizes: number[];
  /** Absolute byte offset of each buffer's data in the file (-1 for empty buffers). */
  bufferOffsets: number[];
  metadata: { name: string; buffer: number; data: Uint8Array }[];
  signatures: ReadSignature[];
}

export class TfliteFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TfliteFormatError';
  }
}

class Table {
  constructor(
    readonly bb: ByteBuffer,
    readonly pos: number,
  ) {}
  private off(slot: number): number {
    return this.bb.__offset(this.pos, 4 + 2 * slot);
  }
  has(slot: number): boolean {
    return this.off(slot) !== 0;
  }
  u8(slot: number, dflt = 0): number {
    const o = this.off(slot);
    return o ? this.bb.readUint8(this.pos + o) : dflt;
  }
  i8(slot: number, dflt = 0): number {
    const o = this.off(slot);
    return o ? this.bb.readInt8(this.pos + o) : dflt;
  }
  i32(slot: number, dflt = 0): number {
    const o = this.off(slot);
    return o ? this.bb.readInt32(this.pos + o) : dflt;
  }
  u32(slot: number, dflt = 0): number {
    const o = this.off(slot);
    return o ? this.bb.readUint32(this.pos + o) : dflt;
  }
  str(slot: number): string | undefined {
    const o = this.off(slot);
    return o ? (this.bb.__string(this.pos + o) as string) : undefined;
  }
  table(slot: number): Table | undefined {
    const o = this.off(slot);
    return o ? new Table(this.bb, this.bb.__indirect(this.pos + o)) : undefined;
  }
  private vec(slot: number): { start: number; len: number } | undefined {
    const o = this.off(slot);
    if (!o) return undefined;
    return { start: this.bb.__vector(this.pos + o), len: this.bb.__vector_len(this.pos + o) };
  }
  tables(slot: number): Table[] {
    const v = this.vec(slot);
    if (!v) return [];
    const out: Table[] = [];
    for (let i = 0; i < v.len; i++) out.push(new Table(this.bb, this.bb.__indirect(v.start + 4 * i)));
    return out;
  }
  i32s(slot: number): number[] {
    const v = this.vec(slot);
    if (!v) return [];
    const out: number[] = [];
    for (let i = 0; i < v.len; i++) out.push(this.bb.readInt32(v.start + 4 * i));
    return out;
  }
  f32s(slot: number): number[] {
    const v = this.vec(slot);
    if (!v) return [];
    const out: number[] = [];
    for (let i = 0; i < v.len; i++) out.push(this.bb.readFloat32(v.start + 4 * i));
    return out;
  }
  i64s(slot: number): number[] {
    const v = this.vec(slot);
    if (!v) return [];
    const out: number[] = [];
    for (let i = 0; i < v.len; i++) out.push(Number(this.bb.readInt64(v.start + 8 * i)));
    return out;
  }
  bytesRange(slot: number): { start: number; len: number } {
    return this.vec(slot) ?? { start: -1, len: 0 };
  }
}

export function hasTfliteIdentifier(bytes: Uint8Array): boolean {
  if (bytes.length < 8) return false;
  const id = String.fromCharCode(bytes[4], bytes[5], bytes[6], bytes[7]);
  return id === TFLITE_FILE_IDENTIFIER;
}

/** Parse the structure of a .tflite file. Throws TfliteFormatError on non-TFLite input. */
export function readTflite(bytes: Uint8Array): ReadModel {
  if (!hasTfliteIdentifier(bytes)) {
    throw new TfliteFormatError('not a TFLite model: the file identifier at bytes 4..8 is not "TFL3"');
  }
  try {
    return parse(bytes);
  } catch (e) {
    if (e instanceof TfliteFormatError) throw e;
    throw new TfliteFormatError(`corrupt TFLite FlatBuffer: ${(e as Error).message}`);
  }
}

function parse(bytes: Uint8Array): ReadModel {
  const bb = new ByteBuffer(bytes);
  const root = new Table(bb, bb.readInt32(0));
  const M = F.Model;
  const operatorCodes = root.tables(M.operator_codes).map((t) => {
    const dep = t.i8(F.OperatorCode.deprecated_builtin_code);
    const ext = t.i32(F.OperatorCode.builtin_code);
    const code = Math.max(dep, ext);
    const customCode = t.str(F.OperatorCode.custom_code);
    return {
      builtinCode: code,
      opName: BUILTIN_OPERATOR_NAMES[code] ?? `BUILTIN_${code}`,
      ...(customCode !== undefined ? { customCode } : {}),
      version: t.i32(F.OperatorCode.version, 1),
    };
  });
  const buffers = root.tables(M.buffers).map((t) => t.bytesRange(F.Buffer.data));
  const subgraphs = root.tables(M.subgraphs).map((sg): ReadSubGraph => {
    const S = F.SubGraph;
    const tensors = sg.tables(S.tensors).map((t, index): ReadTensor => {
      const T = F.Tensor;
      const type = t.i8(T.type);
      const q = t.table(T.quantization);
      const Q = F.QuantizationParameters;
      const scale = q ? q.f32s(Q.scale) : [];
      return {
        index,
        name: t.str(T.name) ?? '',
        shape: t.i32s(T.shape),
        type,
        typeName: TENSOR_TYPE_NAMES[type] ?? `type${type}`,
        buffer: t.u32(T.buffer),
        ...(q && scale.length > 0
          ? { quantization: { scale, zeroPoint: q.i64s(Q.zero_point), quantizedDimension: q.i32(Q.quantized_dimension) } }
          : {}),
      };
    });
    const operators = sg.tables(S.operators).map((op): ReadOperator => {
      const O = F.Operator;
      const opcodeIndex = op.u32(O.opcode_index);
      const oc = operatorCodes[opcodeIndex];
      return {
        opcodeIndex,
        builtinCode: oc ? oc.builtinCode : -1,
        opName: oc ? (oc.builtinCode === BuiltinOperator.CUSTOM ? `CUSTOM(${oc.customCode ?? ''})` : oc.opName) : '?',
        inputs: op.i32s(O.inputs),
        outputs: op.i32s(O.outputs),
        builtinOptionsType: op.u8(O.builtin_options_type),
      };
    });
    return { name: sg.str(S.name) ?? '', tensors, inputs: sg.i32s(S.inputs), outputs: sg.i32s(S.outputs), operators };
  });
  const metadata = root.tables(M.metadata).map((t) => {
    const buffer = t.u32(F.Metadata.buffer);
    const r = buffers[buffer];
    const data = r && r.len > 0 ? bytes.subarray(r.start, r.start + r.len) : new Uint8Array(0);
    return { name: t.str(F.Metadata.name) ?? '', buffer, data };
  });
  const signatures = root.tables(M.signature_defs).map((t): ReadSignature => {
    const S = F.SignatureDef;
    const maps = (slot: number) =>
      t.tables(slot).map((m) => ({ name: m.str(F.TensorMap.name) ?? '', tensorIndex: m.u32(F.TensorMap.tensor_index) }));
    return { key: t.str(S.signature_key) ?? '', subgraphIndex: t.u32(S.subgraph_index), inputs: maps(S.inputs), outputs: maps(S.outputs) };
  });
  return {
    version: root.u32(M.version),
    description: root.str(M.description) ?? '',
    operatorCodes,
    subgraphs,
    bufferSizes: buffers.map((r) => r.len),
    bufferOffsets: buffers.map((r) => (r.len > 0 ? r.start : -1)),
    metadata,
    signatures,
  };
}

/** Decode a metadata entry as UTF-8 text (e.g. our "form_studio" JSON). */
export function metadataText(model: ReadModel, name: string): string | undefined {
  const m = model.metadata.find((x) => x.name === name);
  return m ? new TextDecoder().decode(m.data) : undefined;
}
