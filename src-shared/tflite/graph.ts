/**
 * A small TFLite graph builder: tensors, constants and builtin-op helpers with
 * shape inference for the ops this project emits. Produces a TfliteModelSpec for
 * writeTflite(). Pure TypeScript.
 */
import { ActivationFunctionType, BuiltinOperator, TensorType } from './schema';
import type {
  TfliteModelSpec,
  OpOptions,
  OperatorCodeSpec,
  OperatorSpec,
  QuantParams,
  SignatureDefSpec,
  TensorSpec,
} from './spec';
import { broadcastShapes, bytesOf, numel } from './shapes';

export type Activation = 'none' | 'relu' | 'relu6' | 'tanh';
const ACT: Record<Activation, number> = {
  none: ActivationFunctionType.NONE,
  relu: ActivationFunctionType.RELU,
  relu6: ActivationFunctionType.RELU6,
  tanh: ActivationFunctionType.TANH,
};

export class GraphBuilder {
  readonly tensors: TensorSpec[] = [];
  readonly buffers: { data?: Uint8Array }[] = [{}];
  readonly operators: OperatorSpec[] = [];
  readonly operatorCodes: OperatorCodeSpec[] = [];
  private readonly opcodeIndex = new Map<string, number>();
  private readonly names = new Map<string, number>();

  /**
   * Names under these prefixes are used as given, even when repeated (e.g. the per-step intermediates
   * of an unrolled LSTM): the writer stores a repeated name once, which keeps large unrolled graphs small.
   */
  readonly sharedNamePrefixes: string[] = [];

  /** Unique tensor name: appends #k when the name was used before. */
  private uniqueName(name: string): string {
    if (this.sharedNamePrefixes.some((p) => name.startsWith(p))) return name;
    const k = this.names.get(name);
    if (k === undefined) {
      this.names.set(name, 1);
      return name;
    }
    this.names.set(name, k + 1);
    return `${name}#${k}`;
  }

  shape(t: number): number[] {
    return this.tensors[t].shape.slice();
  }

  type(t: number): number {
    return this.tensors[t].type;
  }

  addTensor(
    name: string,
    shape: readonly number[],
    type: number = TensorType.FLOAT32,
    quantization?: QuantParams,
  ): number {
    this.tensors.push({
      name: this.uniqueName(name),
      shape: shape.slice(),
      type,
      buffer: 0,
      ...(quantization ? { quantization } : {}),
    });
    return this.tensors.length - 1;
  }

  /** Constant tensor backed by its own buffer. `data` is little-endian raw storage of the given type. */
  addConst(
    name: string,
    shape: readonly number[],
    type: number,
    data: ArrayBufferView,
    quantization?: QuantParams,
  ): number {
    const t = this.addTensor(name, shape, type, quantization);
    this.buffers.push({ data: bytesOf(data).slice() });
    this.tensors[t].buffer = this.buffers.length - 1;
    return t;
  }

  constF32(name: string, shape: readonly number[], data: Float32Array | readonly number[]): number {
    const arr = data instanceof Float32Array ? data : Float32Array.from(data);
    if (arr.length !== numel(shape)) throw new Error(`${name}: ${arr.length} values for shape [${shape}]`);
    return this.addConst(name, shape, TensorType.FLOAT32, arr);
  }

  /** int32 constant; identical ones (split axes, shapes, perms) are shared. */
  constI32(name: string, values: readonly number[], shape: readonly number[] = [values.length]): number {
    const key = `${values.join(',')}|${shape.join(',')}`;
    const hit = this.i32Consts.get(key);
    if (hit !== undefined) return hit;
    const t = this.addConst(name, shape, TensorType.INT32, Int32Array.from(values));
    this.i32Consts.set(key, t);
    return t;
  }
  private readonly i32Consts = new Map<string, number>();

  /** Raw metadata buffer (not referenced by any tensor). Returns the buffer index. */
  addBuffer(data: Uint8Array): number {
    this.buffers.push({ data: data.slice() });
    return this.buffers.length - 1;
  }

  private opcode(code: number, version: number): number {
    const key = `${code}/${version}`;
    let i = this.opcodeIndex.get(key);
    if (i === undefined) {
      this.operatorCodes.push({ builtinCode: code, version });
      i = this.operatorCodes.length - 1;
      this.opcodeIndex.set(key, i);
    }
    return i;
  }

  op(code: number, inputs: number[], outputs: number[], options?: OpOptions, version = 1): void {
    this.operators.push({ opcodeIndex: this.opcode(code, version), inputs, outputs, ...(options ? { options } : {}) });
  }

  private out(name: string, shape: readonly number[], type: number = TensorType.FLOAT32): number {
    return this.addTensor(name, shape, type);
  }

  // ---- op helpers (each returns its output tensor index) ----

  /** y = x · wᵀ + b with w [out, in]; x [..., in] is flattened to [rows, in] (keep_num_dims=false). */
  fullyConnected(name: string, x: number, w: number, bias: number | -1, act: Activation = 'none', version = 1): number {
    const xs = this.shape(x);
    const ws = this.shape(w);
    if (xs[xs.length - 1] !== ws[1]) throw new Error(`${name}: input [${xs}] does not match weights [${ws}]`);
    const rows = numel(xs) / ws[1];
    const y = this.out(name, [rows, ws[0]]);
    const hybrid = this.type(w) === TensorType.INT8 && this.type(x) === TensorType.FLOAT32;
    this.op(
      BuiltinOperator.FULLY_CONNECTED,
      [x, w, bias],
      [y],
      {
        type: 'FullyConnectedOptions',
        fusedActivation: ACT[act],
        ...(hybrid ? { asymmetricQuantizeInputs: true } : {}),
      },
      version,
    );
    return y;
  }

  private binary(
    code: number,
    type: 'AddOptions' | 'SubOptions' | 'MulOptions' | 'DivOptions',
    name: string,
    a: number,
    b: number,
    act: Activation,
  ): number {
    const y = this.out(name, broadcastShapes(this.shape(a), this.shape(b)));
    this.op(code, [a, b], [y], { type, fusedActivation: ACT[act] });
    return y;
  }
  add(name: string, a: number, b: number, act: Activation = 'none'): number {
    return this.binary(BuiltinOperator.ADD, 'AddOptions', name, a, b, act);
  }
  sub(name: string, a: number, b: number, act: Activation = 'none'): number {
    return this.binary(BuiltinOperator.SUB, 'SubOptions', name, a, b, act);
  }
  mul(name: string, a: number, b: number, act: Activation = 'none'): number {
    return this.binary(BuiltinOperator.MUL, 'MulOptions', name, a, b, act);
  }
  div(name: string, a: number, b: number, act: Activation = 'none'): number {
    return this.binary(BuiltinOperator.DIV, 'DivOptions', name, a, b, act);
  }

  private unary(code: number, name: string, x: number): number {
    const y = this.out(name, this.shape(x));
    this.op(code, [x], [y]);
    return y;
  }
  logistic(name: string, x: number): number {
    return this.unary(BuiltinOperator.LOGISTIC, name, x);
  }
  tanh(name: string, x: number): number {
    return this.unary(BuiltinOperator.TANH, name, x);
  }
  rsqrt(name: string, x: number): number {
    return this.unary(BuiltinOperator.RSQRT, name, x);
  }
  elu(name: string, x: number): number {
    return this.unary(BuiltinOperator.ELU, name, x);
  }
  exp(name: string, x: number): number {
    return this.unary(BuiltinOperator.EXP, name, x);
  }
  relu(name: string, x: number): number {
    return this.unary(BuiltinOperator.RELU, name, x);
  }

  /** SPLIT into `n` equal parts along `axis` (inputs: axis, input). */
  split(name: string, x: number, axis: number, n: number): number[] {
    const s = this.shape(x);
    const ax = axis < 0 ? axis + s.length : axis;
    if (s[ax] % n !== 0) throw new Error(`${name}: dim ${s[ax]} not divisible by ${n}`);
    const part = s.slice();
    part[ax] = s[ax] / n;
    const axisT = this.constI32(`${name}/axis`, [ax], []);
    const outs = Array.from({ length: n }, (_, i) => this.out(`${name}:${i}`, part));
    this.op(BuiltinOperator.SPLIT, [axisT, x], outs, { type: 'SplitOptions', numSplits: n });
    return outs;
  }

  /** SPLIT_V into parts of the given sizes along `axis` (inputs: input, size_splits, axis). */
  splitV(name: string, x: number, sizes: readonly number[], axis: number): number[] {
    const s = this.shape(x);
    const ax = axis < 0 ? axis + s.length : axis;
    if (sizes.reduce((a, b) => a + b, 0) !== s[ax]) throw new Error(`${name}: sizes [${sizes}] do not sum to ${s[ax]}`);
    const sizesT = this.constI32(`${name}/sizes`, sizes);
    const axisT = this.constI32(`${name}/axis`, [ax], []);
    const outs = sizes.map((n, i) => {
      const part = s.slice();
      part[ax] = n;
      return this.out(`${name}:${i}`, part);
    });
    this.op(BuiltinOperator.SPLIT_V, [x, sizesT, axisT], outs, { type: 'SplitVOptions', numSplits: sizes.length });
    return outs;
  }

  concat(name: string, xs: number[], axis: number, act: Activation = 'none'): number {
    const s0 = this.shape(xs[0]);
    const ax = axis < 0 ? axis + s0.length : axis;
    const s = s0.slice();
    s[ax] = xs.reduce((n, t) => n + this.shape(t)[ax], 0);
    const y = this.out(name, s);
    this.op(BuiltinOperator.CONCATENATION, xs, [y], {
      type: 'ConcatenationOptions',
      axis: ax,
      fusedActivation: ACT[act],
    });
    return y;
  }

  reshape(name: string, x: number, shape: readonly number[]): number {
    if (numel(shape) !== numel(this.shape(x)))
      throw new Error(`${name}: cannot reshape [${this.shape(x)}] to [${shape}]`);
    const shapeT = this.constI32(`${name}/shape`, shape);
    const y = this.out(name, shape);
    this.op(BuiltinOperator.RESHAPE, [x, shapeT], [y], { type: 'ReshapeOptions', newShape: shape.slice() });
    return y;
  }

  softmax(name: string, x: number, beta = 1): number {
    const y = this.out(name, this.shape(x));
    this.op(BuiltinOperator.SOFTMAX, [x], [y], { type: 'SoftmaxOptions', beta });
    return y;
  }

  batchMatMul(name: string, a: number, b: number, adjX = false, adjY = false): number {
    const as = this.shape(a);
    const bs = this.shape(b);
    const m = adjX ? as[as.length - 1] : as[as.length - 2];
    const ka = adjX ? as[as.length - 2] : as[as.length - 1];
    const kb = adjY ? bs[bs.length - 1] : bs[bs.length - 2];
    const n = adjY ? bs[bs.length - 2] : bs[bs.length - 1];
    if (ka !== kb) throw new Error(`${name}: inner dims ${ka} vs ${kb}`);
    const batch = broadcastShapes(as.slice(0, -2), bs.slice(0, -2));
    const y = this.out(name, [...batch, m, n]);
    this.op(BuiltinOperator.BATCH_MATMUL, [a, b], [y], { type: 'BatchMatMulOptions', adjX, adjY });
    return y;
  }

  transpose(name: string, x: number, perm: readonly number[]): number {
    const s = this.shape(x);
    const permT = this.constI32(`${name}/perm`, perm);
    const y = this.out(
      name,
      perm.map((p) => s[p]),
    );
    this.op(BuiltinOperator.TRANSPOSE, [x, permT], [y], { type: 'TransposeOptions' });
    return y;
  }

  mean(name: string, x: number, axes: readonly number[], keepDims: boolean): number {
    const s = this.shape(x);
    const ax = axes.map((a) => (a < 0 ? a + s.length : a));
    const axesT = this.constI32(`${name}/axes`, ax);
    const outShape = keepDims ? s.map((d, i) => (ax.includes(i) ? 1 : d)) : s.filter((_, i) => !ax.includes(i));
    const y = this.out(name, outShape);
    this.op(BuiltinOperator.MEAN, [x, axesT], [y], { type: 'ReducerOptions', keepDims });
    return y;
  }

  /** SLICE with static begin/size (size -1 = to the end). */
  slice(name: string, x: number, begin: readonly number[], size: readonly number[]): number {
    const s = this.shape(x);
    const outShape = size.map((d, i) => (d === -1 ? s[i] - begin[i] : d));
    const bT = this.constI32(`${name}/begin`, begin);
    const sT = this.constI32(`${name}/size`, size);
    const y = this.out(name, outShape);
    this.op(BuiltinOperator.SLICE, [x, bT, sT], [y], { type: 'SliceOptions' });
    return y;
  }

  /** STRIDED_SLICE with static begin/end/strides and masks (shape computed for the simple cases we use). */
  stridedSlice(
    name: string,
    x: number,
    begin: readonly number[],
    end: readonly number[],
    strides: readonly number[],
    shrinkAxisMask = 0,
  ): number {
    const s = this.shape(x);
    const outShape: number[] = [];
    s.forEach((d, i) => {
      if (shrinkAxisMask & (1 << i)) return;
      const b = begin[i] < 0 ? begin[i] + d : begin[i];
      const e = end[i] < 0 ? end[i] + d : Math.min(end[i], d);
      outShape.push(Math.max(0, Math.ceil((e - b) / strides[i])));
    });
    const bT = this.constI32(`${name}/begin`, begin);
    const eT = this.constI32(`${name}/end`, end);
    const sT = this.constI32(`${name}/strides`, strides);
    const y = this.out(name, outShape);
    this.op(BuiltinOperator.STRIDED_SLICE, [x, bT, eT, sT], [y], { type: 'StridedSliceOptions', shrinkAxisMask });
    return y;
  }

  gather(name: string, x: number, indices: readonly number[], axis: number): number {
    const s = this.shape(x);
    const ax = axis < 0 ? axis + s.length : axis;
    const iT = this.constI32(`${name}/indices`, indices);
    const outShape = s.slice();
    outShape[ax] = indices.length;
    const y = this.out(name, outShape);
    this.op(BuiltinOperator.GATHER, [x, iT], [y], { type: 'GatherOptions', axis: ax });
    return y;
  }

  /** DEQUANTIZE (fp16 or int8 const → float32). */
  dequantize(name: string, x: number): number {
    const y = this.out(name, this.shape(x));
    this.op(
      BuiltinOperator.DEQUANTIZE,
      [x],
      [y],
      { type: 'DequantizeOptions' },
      this.type(x) === TensorType.FLOAT16 ? 3 : 2,
    );
    return y;
  }

  /** Assemble a single-subgraph TfliteModelSpec. */
  toModel(args: {
    inputs: { name: string; tensor: number }[];
    outputs: { name: string; tensor: number }[];
    signatureKey?: string;
    description?: string;
    metadata?: { name: string; buffer: number }[];
    subgraphName?: string;
  }): TfliteModelSpec {
    const sig: SignatureDefSpec = {
      signatureKey: args.signatureKey ?? 'serving_default',
      subgraphIndex: 0,
      inputs: args.inputs.map((m) => ({ name: m.name, tensorIndex: m.tensor })),
      outputs: args.outputs.map((m) => ({ name: m.name, tensorIndex: m.tensor })),
    };
    return {
      ...(args.description !== undefined ? { description: args.description } : {}),
      operatorCodes: this.operatorCodes,
      subgraphs: [
        {
          name: args.subgraphName ?? 'main',
          tensors: this.tensors,
          inputs: args.inputs.map((m) => m.tensor),
          outputs: args.outputs.map((m) => m.tensor),
          operators: this.operators,
        },
      ],
      buffers: this.buffers,
      metadata: args.metadata ?? [],
      signatureDefs: [sig],
    };
  }
}
