/**
 * Minimal TFLite FlatBuffer reader: enough to list operator codes, tensors,
 * signatures and metadata of a .tflite file (tests, validation of imported
 * files). Pure TypeScript; no Node or DOM APIs.
 */
import { FbTable, fileIdentifier } from './flatbuffer';
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

export function hasTfliteIdentifier(bytes: Uint8Array): boolean {
  return fileIdentifier(bytes) === TFLITE_FILE_IDENTIFIER;
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
  const root = FbTable.root(bytes);
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
  const buffers = root.tables(M.buffers).map((t) => t.vector(F.Buffer.data) ?? { start: -1, len: 0 });
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
          ? {
              quantization: {
                scale,
                zeroPoint: q.i64s(Q.zero_point),
                quantizedDimension: q.i32(Q.quantized_dimension),
              },
            }
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
      t
        .tables(slot)
        .map((m) => ({ name: m.str(F.TensorMap.name) ?? '', tensorIndex: m.u32(F.TensorMap.tensor_index) }));
    return {
      key: t.str(S.signature_key) ?? '',
      subgraphIndex: t.u32(S.subgraph_index),
      inputs: maps(S.inputs),
      outputs: maps(S.outputs),
    };
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

/** The input or output tensors of a subgraph (the first by default). */
export function subgraphTensors(model: ReadModel, which: 'inputs' | 'outputs', subgraph = 0): ReadTensor[] {
  const g = model.subgraphs[subgraph];
  if (!g) throw new TfliteFormatError(`TFLite model has no subgraph ${subgraph}`);
  return g[which].map((i) => {
    const t = g.tensors[i];
    if (!t) throw new TfliteFormatError(`subgraph ${subgraph}: ${which} refers to missing tensor ${i}`);
    return t;
  });
}

/** The bytes of the metadata entry `name` (a view into the file), or undefined when there is none. */
export function metadataBytes(model: ReadModel, name: string): Uint8Array | undefined {
  return model.metadata.find((x) => x.name === name)?.data;
}

/** Decode a metadata entry as UTF-8 text (e.g. our "form_studio" JSON). */
export function metadataText(model: ReadModel, name: string): string | undefined {
  const m = model.metadata.find((x) => x.name === name);
  return m ? new TextDecoder().decode(m.data) : undefined;
}
