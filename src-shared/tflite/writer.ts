/**
 * Minimal TFLite FlatBuffer writer (schema version 3, identifier "TFL3").
 * Pure TypeScript on top of the `flatbuffers` Builder; no Node or DOM APIs.
 */
import { Builder } from 'flatbuffers';
import { BuiltinOperator, BuiltinOptions, F, TFLITE_FILE_IDENTIFIER, TFLITE_SCHEMA_VERSION } from './schema';
import type {
  OpOptions,
  OperatorSpec,
  QuantParams,
  SubGraphSpec,
  SignatureDefSpec,
  TensorSpec,
  TfliteModelSpec,
} from './spec';

const BUFFER_ALIGNMENT = 16;

function int32Vector(b: Builder, values: readonly number[]): number {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addInt32(values[i]);
  return b.endVector();
}

function int64Vector(b: Builder, values: readonly number[]): number {
  b.startVector(8, values.length, 8);
  for (let i = values.length - 1; i >= 0; i--) b.addInt64(BigInt(values[i]));
  return b.endVector();
}

function float32Vector(b: Builder, values: readonly number[]): number {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addFloat32(values[i]);
  return b.endVector();
}

function offsetVector(b: Builder, offsets: readonly number[]): number {
  b.startVector(4, offsets.length, 4);
  for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i]);
  return b.endVector();
}

/** A ubyte vector whose first byte is aligned to `alignment` from the start of the finished file. */
function alignedByteVector(b: Builder, data: Uint8Array, alignment: number): number {
  b.startVector(1, data.length, alignment);
  // The Builder keeps its write cursor in a (TS-)private field; createByteVector uses it the same way.
  const inner = b as unknown as { space: number; bb: { setPosition(p: number): void; bytes(): Uint8Array } };
  inner.space -= data.length;
  inner.bb.setPosition(inner.space);
  inner.bb.bytes().set(data, inner.space);
  return b.endVector();
}

/**
 * Per-serialization cache: identical int32 vectors (shapes, op inputs) and identical options tables are
 * written once and shared by offset, which FlatBuffers allows. Keeps unrolled graphs small.
 */
class Shared {
  private readonly vectors = new Map<string, number>();
  private readonly options = new Map<string, { type: number; offset: number }>();
  constructor(readonly b: Builder) {}
  int32s(values: readonly number[]): number {
    const key = values.join(',');
    let off = this.vectors.get(key);
    if (off === undefined) {
      off = int32Vector(this.b, values);
      this.vectors.set(key, off);
    }
    return off;
  }
  /** int64 vectors (quantization zero points: usually all zeros, so shared). */
  int64s(values: readonly number[]): number {
    const key = `i64:${values.join(',')}`;
    let off = this.vectors.get(key);
    if (off === undefined) {
      off = int64Vector(this.b, values);
      this.vectors.set(key, off);
    }
    return off;
  }
  opts(o: OpOptions): { type: number; offset: number } {
    const key = JSON.stringify(o);
    let r = this.options.get(key);
    if (!r) {
      r = writeOptions(this.b, o);
      this.options.set(key, r);
    }
    return r;
  }
}

function writeOptions(b: Builder, o: OpOptions): { type: number; offset: number } {
  switch (o.type) {
    case 'FullyConnectedOptions': {
      const s = F.FullyConnectedOptions;
      b.startObject(s.count);
      b.addFieldInt8(s.fused_activation_function, o.fusedActivation ?? 0, 0);
      b.addFieldInt8(s.keep_num_dims, o.keepNumDims ? 1 : 0, 0);
      b.addFieldInt8(s.asymmetric_quantize_inputs, o.asymmetricQuantizeInputs ? 1 : 0, 0);
      return { type: BuiltinOptions.FullyConnectedOptions, offset: b.endObject() };
    }
    case 'SoftmaxOptions':
      b.startObject(F.SoftmaxOptions.count);
      b.addFieldFloat32(F.SoftmaxOptions.beta, o.beta, 0);
      return { type: BuiltinOptions.SoftmaxOptions, offset: b.endObject() };
    case 'ConcatenationOptions':
      b.startObject(F.ConcatenationOptions.count);
      b.addFieldInt32(F.ConcatenationOptions.axis, o.axis, 0);
      b.addFieldInt8(F.ConcatenationOptions.fused_activation_function, o.fusedActivation ?? 0, 0);
      return { type: BuiltinOptions.ConcatenationOptions, offset: b.endObject() };
    case 'AddOptions':
    case 'SubOptions':
    case 'MulOptions':
    case 'DivOptions': {
      b.startObject(2);
      b.addFieldInt8(0, o.fusedActivation ?? 0, 0);
      return { type: BuiltinOptions[o.type], offset: b.endObject() };
    }
    case 'ReshapeOptions': {
      const v = int32Vector(b, o.newShape);
      b.startObject(F.ReshapeOptions.count);
      b.addFieldOffset(F.ReshapeOptions.new_shape, v, 0);
      return { type: BuiltinOptions.ReshapeOptions, offset: b.endObject() };
    }
    case 'GatherOptions':
      b.startObject(F.GatherOptions.count);
      b.addFieldInt32(F.GatherOptions.axis, o.axis, 0);
      b.addFieldInt32(F.GatherOptions.batch_dims, o.batchDims ?? 0, 0);
      return { type: BuiltinOptions.GatherOptions, offset: b.endObject() };
    case 'ReducerOptions':
      b.startObject(F.ReducerOptions.count);
      b.addFieldInt8(F.ReducerOptions.keep_dims, o.keepDims ? 1 : 0, 0);
      return { type: BuiltinOptions.ReducerOptions, offset: b.endObject() };
    case 'SqueezeOptions': {
      const v = int32Vector(b, o.squeezeDims);
      b.startObject(F.SqueezeOptions.count);
      b.addFieldOffset(F.SqueezeOptions.squeeze_dims, v, 0);
      return { type: BuiltinOptions.SqueezeOptions, offset: b.endObject() };
    }
    case 'StridedSliceOptions': {
      const s = F.StridedSliceOptions;
      b.startObject(s.count);
      b.addFieldInt32(s.begin_mask, o.beginMask ?? 0, 0);
      b.addFieldInt32(s.end_mask, o.endMask ?? 0, 0);
      b.addFieldInt32(s.ellipsis_mask, o.ellipsisMask ?? 0, 0);
      b.addFieldInt32(s.new_axis_mask, o.newAxisMask ?? 0, 0);
      b.addFieldInt32(s.shrink_axis_mask, o.shrinkAxisMask ?? 0, 0);
      b.addFieldInt8(s.offset, o.offset ? 1 : 0, 0);
      return { type: BuiltinOptions.StridedSliceOptions, offset: b.endObject() };
    }
    case 'SplitOptions':
      b.startObject(F.SplitOptions.count);
      b.addFieldInt32(F.SplitOptions.num_splits, o.numSplits, 0);
      return { type: BuiltinOptions.SplitOptions, offset: b.endObject() };
    case 'SplitVOptions':
      b.startObject(F.SplitVOptions.count);
      b.addFieldInt32(F.SplitVOptions.num_splits, o.numSplits, 0);
      return { type: BuiltinOptions.SplitVOptions, offset: b.endObject() };
    case 'BatchMatMulOptions': {
      const s = F.BatchMatMulOptions;
      b.startObject(s.count);
      b.addFieldInt8(s.adj_x, o.adjX ? 1 : 0, 0);
      b.addFieldInt8(s.adj_y, o.adjY ? 1 : 0, 0);
      b.addFieldInt8(s.asymmetric_quantize_inputs, o.asymmetricQuantizeInputs ? 1 : 0, 0);
      return { type: BuiltinOptions.BatchMatMulOptions, offset: b.endObject() };
    }
    case 'TransposeOptions':
    case 'DequantizeOptions':
    case 'SliceOptions':
      b.startObject(0);
      return { type: BuiltinOptions[o.type], offset: b.endObject() };
  }
}

function writeQuantization(sh: Shared, q: QuantParams): number {
  const b = sh.b;
  const s = F.QuantizationParameters;
  const min = q.min ? float32Vector(b, q.min) : 0;
  const max = q.max ? float32Vector(b, q.max) : 0;
  const scale = float32Vector(b, q.scale);
  const zp = sh.int64s(q.zeroPoint);
  b.startObject(s.count);
  if (min) b.addFieldOffset(s.min, min, 0);
  if (max) b.addFieldOffset(s.max, max, 0);
  b.addFieldOffset(s.scale, scale, 0);
  b.addFieldOffset(s.zero_point, zp, 0);
  b.addFieldInt32(s.quantized_dimension, q.quantizedDimension ?? 0, 0);
  return b.endObject();
}

function writeTensor(sh: Shared, t: TensorSpec): number {
  const b = sh.b;
  const s = F.Tensor;
  const shape = sh.int32s(t.shape);
  const name = b.createSharedString(t.name);
  const quant = t.quantization ? writeQuantization(sh, t.quantization) : 0;
  // 4-byte fields first, then bytes: less padding per table (the vtable order is independent).
  b.startObject(s.count);
  b.addFieldOffset(s.shape, shape, 0);
  b.addFieldInt32(s.buffer, t.buffer, 0);
  b.addFieldOffset(s.name, name, 0);
  if (quant) b.addFieldOffset(s.quantization, quant, 0);
  b.addFieldInt8(s.type, t.type, 0);
  b.addFieldInt8(s.is_variable, t.isVariable ? 1 : 0, 0);
  b.addFieldInt8(s.has_rank, 1, 0);
  return b.endObject();
}

function writeOperator(sh: Shared, op: OperatorSpec): number {
  const b = sh.b;
  const s = F.Operator;
  const inputs = sh.int32s(op.inputs);
  const outputs = sh.int32s(op.outputs);
  const opts = op.options ? sh.opts(op.options) : undefined;
  b.startObject(s.count);
  b.addFieldInt32(s.opcode_index, op.opcodeIndex, 0);
  b.addFieldOffset(s.inputs, inputs, 0);
  b.addFieldOffset(s.outputs, outputs, 0);
  if (opts) b.addFieldOffset(s.builtin_options, opts.offset, 0);
  if (opts) b.addFieldInt8(s.builtin_options_type, opts.type, 0);
  return b.endObject();
}

function writeSubGraph(b: Builder, sg: SubGraphSpec): number {
  const s = F.SubGraph;
  const sh = new Shared(b);
  const tensors = offsetVector(
    b,
    sg.tensors.map((t) => writeTensor(sh, t)),
  );
  const inputs = sh.int32s(sg.inputs);
  const outputs = sh.int32s(sg.outputs);
  const operators = offsetVector(
    b,
    sg.operators.map((op) => writeOperator(sh, op)),
  );
  const name = sg.name !== undefined ? b.createString(sg.name) : 0;
  b.startObject(s.count);
  b.addFieldOffset(s.tensors, tensors, 0);
  b.addFieldOffset(s.inputs, inputs, 0);
  b.addFieldOffset(s.outputs, outputs, 0);
  b.addFieldOffset(s.operators, operators, 0);
  if (name) b.addFieldOffset(s.name, name, 0);
  return b.endObject();
}

function writeTensorMap(b: Builder, m: { name: string; tensorIndex: number }): number {
  const name = b.createString(m.name);
  b.startObject(F.TensorMap.count);
  b.addFieldOffset(F.TensorMap.name, name, 0);
  b.addFieldInt32(F.TensorMap.tensor_index, m.tensorIndex, 0);
  return b.endObject();
}

function writeSignatureDef(b: Builder, sd: SignatureDefSpec): number {
  const s = F.SignatureDef;
  const inputs = offsetVector(
    b,
    sd.inputs.map((m) => writeTensorMap(b, m)),
  );
  const outputs = offsetVector(
    b,
    sd.outputs.map((m) => writeTensorMap(b, m)),
  );
  const key = b.createString(sd.signatureKey);
  b.startObject(s.count);
  b.addFieldOffset(s.inputs, inputs, 0);
  b.addFieldOffset(s.outputs, outputs, 0);
  b.addFieldOffset(s.signature_key, key, 0);
  b.addFieldInt32(s.subgraph_index, sd.subgraphIndex, 0);
  return b.endObject();
}

/** Serialize a model to .tflite bytes. */
export function writeTflite(model: TfliteModelSpec): Uint8Array {
  if (model.buffers.length === 0 || (model.buffers[0].data && model.buffers[0].data.length > 0)) {
    throw new Error('buffers[0] must be the empty sentinel buffer');
  }
  const dataBytes = model.buffers.reduce((n, buf) => n + (buf.data ? buf.data.length + BUFFER_ALIGNMENT : 0), 0);
  const b = new Builder(Math.max(1024, dataBytes + 65536));

  // Buffers first: the Builder writes back to front, so the weight data ends up at the end of the file.
  const bufferOffsets = model.buffers.map((buf) => {
    const data = buf.data && buf.data.length > 0 ? alignedByteVector(b, buf.data, BUFFER_ALIGNMENT) : 0;
    b.startObject(F.Buffer.count);
    if (data) b.addFieldOffset(F.Buffer.data, data, 0);
    return b.endObject();
  });
  const buffers = offsetVector(b, bufferOffsets);

  const opcodes = offsetVector(
    b,
    model.operatorCodes.map((oc) => {
      const s = F.OperatorCode;
      const custom = oc.customCode !== undefined ? b.createString(oc.customCode) : 0;
      b.startObject(s.count);
      b.addFieldInt8(
        s.deprecated_builtin_code,
        Math.min(oc.builtinCode, BuiltinOperator.PLACEHOLDER_FOR_GREATER_OP_CODES),
        0,
      );
      if (custom) b.addFieldOffset(s.custom_code, custom, 0);
      b.addFieldInt32(s.version, oc.version, 1);
      b.addFieldInt32(s.builtin_code, oc.builtinCode, 0);
      return b.endObject();
    }),
  );
  const subgraphs = offsetVector(
    b,
    model.subgraphs.map((sg) => writeSubGraph(b, sg)),
  );
  const description = model.description !== undefined ? b.createString(model.description) : 0;
  const metadata = model.metadata
    ? offsetVector(
        b,
        model.metadata.map((m) => {
          const name = b.createString(m.name);
          b.startObject(F.Metadata.count);
          b.addFieldOffset(F.Metadata.name, name, 0);
          b.addFieldInt32(F.Metadata.buffer, m.buffer, 0);
          return b.endObject();
        }),
      )
    : 0;
  const sigs = model.signatureDefs
    ? offsetVector(
        b,
        model.signatureDefs.map((sd) => writeSignatureDef(b, sd)),
      )
    : 0;
  const mb = F.Model;
  b.startObject(mb.count);
  b.addFieldInt32(mb.version, TFLITE_SCHEMA_VERSION, 0);
  b.addFieldOffset(mb.operator_codes, opcodes, 0);
  b.addFieldOffset(mb.subgraphs, subgraphs, 0);
  if (description) b.addFieldOffset(mb.description, description, 0);
  b.addFieldOffset(mb.buffers, buffers, 0);
  if (metadata) b.addFieldOffset(mb.metadata, metadata, 0);
  if (sigs) b.addFieldOffset(mb.signature_defs, sigs, 0);
  const root = b.endObject();
  b.finish(root, TFLITE_FILE_IDENTIFIER);
  // Copy out so the result starts at offset 0 of its own ArrayBuffer (keeps the 16-byte alignment meaningful).
  return b.asUint8Array().slice();
}
