/**
 * Constants from TensorFlow's TFLite schema
 * (tensorflow/compiler/mlir/lite/schema/schema.fbs). Only what this project
 * emits or needs to read back. Field slots are the 0-based field index in the
 * table declaration (a union occupies two slots: `<name>_type` then `<name>`).
 */

export const TFLITE_FILE_IDENTIFIER = 'TFL3';
export const TFLITE_SCHEMA_VERSION = 3;

export const TensorType = {
  FLOAT32: 0,
  FLOAT16: 1,
  INT32: 2,
  UINT8: 3,
  INT64: 4,
  STRING: 5,
  BOOL: 6,
  INT16: 7,
  COMPLEX64: 8,
  INT8: 9,
  FLOAT64: 10,
} as const;
export type TensorTypeValue = (typeof TensorType)[keyof typeof TensorType];

export const TENSOR_TYPE_NAMES: Record<number, string> = {
  0: 'float32',
  1: 'float16',
  2: 'int32',
  3: 'uint8',
  4: 'int64',
  5: 'string',
  6: 'bool',
  7: 'int16',
  8: 'complex64',
  9: 'int8',
  10: 'float64',
  11: 'complex128',
  12: 'uint64',
  13: 'resource',
  14: 'variant',
  15: 'uint32',
  16: 'uint16',
  17: 'int4',
  18: 'bfloat16',
};

/** BuiltinOperator enum values (subset). */
export const BuiltinOperator = {
  ADD: 0,
  CONCATENATION: 2,
  CONV_2D: 3,
  DEPTHWISE_CONV_2D: 4,
  DEQUANTIZE: 6,
  FULLY_CONNECTED: 9,
  LOGISTIC: 14,
  LSTM: 16,
  MUL: 18,
  RELU: 19,
  RESHAPE: 22,
  RESIZE_BILINEAR: 23,
  SOFTMAX: 25,
  TANH: 28,
  CUSTOM: 32,
  GATHER: 36,
  TRANSPOSE: 39,
  MEAN: 40,
  SUB: 41,
  DIV: 42,
  SQUEEZE: 43,
  UNIDIRECTIONAL_SEQUENCE_LSTM: 44,
  STRIDED_SLICE: 45,
  EXP: 47,
  RSQRT: 76,
  ELU: 111,
  SPLIT: 49,
  BIDIRECTIONAL_SEQUENCE_LSTM: 52,
  SLICE: 65,
  SPLIT_V: 102,
  BATCH_MATMUL: 126,
  PLACEHOLDER_FOR_GREATER_OP_CODES: 127,
} as const;
export type BuiltinOperatorValue = (typeof BuiltinOperator)[keyof typeof BuiltinOperator];

export const BUILTIN_OPERATOR_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(BuiltinOperator).map(([k, v]) => [v, k]),
);

/** BuiltinOptions union type tags (NONE = 0, then declaration order from 1). */
export const BuiltinOptions = {
  NONE: 0,
  FullyConnectedOptions: 8,
  SoftmaxOptions: 9,
  ConcatenationOptions: 10,
  AddOptions: 11,
  ReshapeOptions: 17,
  MulOptions: 21,
  GatherOptions: 23,
  TransposeOptions: 26,
  ReducerOptions: 27,
  SubOptions: 28,
  DivOptions: 29,
  SqueezeOptions: 30,
  StridedSliceOptions: 32,
  SplitOptions: 35,
  SplitVOptions: 79,
  DequantizeOptions: 38,
  SliceOptions: 48,
  BatchMatMulOptions: 101,
} as const;
export type BuiltinOptionsValue = (typeof BuiltinOptions)[keyof typeof BuiltinOptions];

export const ActivationFunctionType = {
  NONE: 0,
  RELU: 1,
  RELU_N1_TO_1: 2,
  RELU6: 3,
  TANH: 4,
} as const;
export type ActivationValue = (typeof ActivationFunctionType)[keyof typeof ActivationFunctionType];

/** Field slots per table. */
export const F = {
  Model: {
    version: 0,
    operator_codes: 1,
    subgraphs: 2,
    description: 3,
    buffers: 4,
    metadata_buffer: 5,
    metadata: 6,
    signature_defs: 7,
    count: 8,
  },
  OperatorCode: { deprecated_builtin_code: 0, custom_code: 1, version: 2, builtin_code: 3, count: 4 },
  SubGraph: { tensors: 0, inputs: 1, outputs: 2, operators: 3, name: 4, count: 5 },
  Tensor: {
    shape: 0,
    type: 1,
    buffer: 2,
    name: 3,
    quantization: 4,
    is_variable: 5,
    sparsity: 6,
    shape_signature: 7,
    has_rank: 8,
    variant_tensors: 9,
    count: 10,
  },
  QuantizationParameters: {
    min: 0,
    max: 1,
    scale: 2,
    zero_point: 3,
    details_type: 4,
    details: 5,
    quantized_dimension: 6,
    count: 7,
  },
  Operator: {
    opcode_index: 0,
    inputs: 1,
    outputs: 2,
    builtin_options_type: 3,
    builtin_options: 4,
    custom_options: 5,
    custom_options_format: 6,
    mutating_variable_inputs: 7,
    intermediates: 8,
    large_custom_options_offset: 9,
    large_custom_options_size: 10,
    builtin_options_2_type: 11,
    builtin_options_2: 12,
    count: 13,
  },
  Buffer: { data: 0, offset: 1, size: 2, count: 3 },
  Metadata: { name: 0, buffer: 1, count: 2 },
  TensorMap: { name: 0, tensor_index: 1, count: 2 },
  SignatureDef: { inputs: 0, outputs: 1, signature_key: 2, deprecated_tag: 3, subgraph_index: 4, count: 5 },
  FullyConnectedOptions: {
    fused_activation_function: 0,
    weights_format: 1,
    keep_num_dims: 2,
    asymmetric_quantize_inputs: 3,
    quantized_bias_type: 4,
    count: 5,
  },
  SoftmaxOptions: { beta: 0, count: 1 },
  ConcatenationOptions: { axis: 0, fused_activation_function: 1, count: 2 },
  AddOptions: { fused_activation_function: 0, pot_scale_int16: 1, count: 2 },
  SubOptions: { fused_activation_function: 0, pot_scale_int16: 1, count: 2 },
  MulOptions: { fused_activation_function: 0, count: 1 },
  DivOptions: { fused_activation_function: 0, count: 1 },
  ReshapeOptions: { new_shape: 0, count: 1 },
  GatherOptions: { axis: 0, batch_dims: 1, count: 2 },
  ReducerOptions: { keep_dims: 0, count: 1 },
  SqueezeOptions: { squeeze_dims: 0, count: 1 },
  StridedSliceOptions: {
    begin_mask: 0,
    end_mask: 1,
    ellipsis_mask: 2,
    new_axis_mask: 3,
    shrink_axis_mask: 4,
    offset: 5,
    count: 6,
  },
  SplitOptions: { num_splits: 0, count: 1 },
  SplitVOptions: { num_splits: 0, count: 1 },
  BatchMatMulOptions: { adj_x: 0, adj_y: 1, asymmetric_quantize_inputs: 2, count: 3 },
} as const;
