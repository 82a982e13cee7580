/**
 * What `writeTflite` writes: a TFLite model described as plain data (tensors, operators, subgraphs, signatures),
 * mirroring the FlatBuffer schema's tables. `GraphBuilder` produces it; the app's own architecture is `ModelSpec`
 * in src-shared/model, a different thing.
 */
export interface QuantParams {
  scale: number[];
  zeroPoint: number[];
  quantizedDimension?: number;
  min?: number[];
  max?: number[];
}

export interface TensorSpec {
  name: string;
  shape: number[];
  type: number;
  /** Index into TfliteModelSpec.buffers; 0 = no data (the empty sentinel buffer). */
  buffer: number;
  quantization?: QuantParams;
  isVariable?: boolean;
}

export type OpOptions =
  | {
      type: 'FullyConnectedOptions';
      fusedActivation?: number;
      keepNumDims?: boolean;
      asymmetricQuantizeInputs?: boolean;
    }
  | { type: 'SoftmaxOptions'; beta: number }
  | { type: 'ConcatenationOptions'; axis: number; fusedActivation?: number }
  | { type: 'AddOptions' | 'SubOptions' | 'MulOptions' | 'DivOptions'; fusedActivation?: number }
  | { type: 'ReshapeOptions'; newShape: number[] }
  | { type: 'GatherOptions'; axis: number; batchDims?: number }
  | { type: 'ReducerOptions'; keepDims: boolean }
  | { type: 'SqueezeOptions'; squeezeDims: number[] }
  | {
      type: 'StridedSliceOptions';
      beginMask?: number;
      endMask?: number;
      ellipsisMask?: number;
      newAxisMask?: number;
      shrinkAxisMask?: number;
      offset?: boolean;
    }
  | { type: 'SplitOptions'; numSplits: number }
  | { type: 'SplitVOptions'; numSplits: number }
  | { type: 'BatchMatMulOptions'; adjX?: boolean; adjY?: boolean; asymmetricQuantizeInputs?: boolean }
  | { type: 'TransposeOptions' | 'DequantizeOptions' | 'SliceOptions' };

export interface OperatorSpec {
  opcodeIndex: number;
  /** -1 marks an omitted optional input. */
  inputs: number[];
  outputs: number[];
  options?: OpOptions;
}

export interface OperatorCodeSpec {
  builtinCode: number;
  version: number;
  customCode?: string;
}

export interface SubGraphSpec {
  name?: string;
  tensors: TensorSpec[];
  inputs: number[];
  outputs: number[];
  operators: OperatorSpec[];
}

export interface SignatureDefSpec {
  signatureKey: string;
  subgraphIndex: number;
  inputs: { name: string; tensorIndex: number }[];
  outputs: { name: string; tensorIndex: number }[];
}

export interface TfliteModelSpec {
  description?: string;
  operatorCodes: OperatorCodeSpec[];
  subgraphs: SubGraphSpec[];
  /** buffers[0] must be the empty sentinel ({}). */
  buffers: { data?: Uint8Array }[];
  metadata?: { name: string; buffer: number }[];
  signatureDefs?: SignatureDefSpec[];
}
