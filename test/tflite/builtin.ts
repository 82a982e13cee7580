import { expect } from 'vitest';
import { readTflite } from '../../src-shared/tflite/reader';
import { BuiltinOperator } from '../../src-shared/tflite/schema';

/** Every operator is a builtin this project expects: no CUSTOM, no Flex, no fused sequence LSTMs. */
export function expectBuiltinOnly(bytes: Uint8Array): void {
  const m = readTflite(bytes);
  const allowed = new Set<number>([
    BuiltinOperator.ADD,
    BuiltinOperator.SUB,
    BuiltinOperator.MUL,
    BuiltinOperator.FULLY_CONNECTED,
    BuiltinOperator.LOGISTIC,
    BuiltinOperator.TANH,
    BuiltinOperator.RELU,
    BuiltinOperator.SPLIT,
    BuiltinOperator.SPLIT_V,
    BuiltinOperator.CONCATENATION,
    BuiltinOperator.RESHAPE,
    BuiltinOperator.SOFTMAX,
    BuiltinOperator.BATCH_MATMUL,
    BuiltinOperator.TRANSPOSE,
    BuiltinOperator.MEAN,
    BuiltinOperator.DEQUANTIZE,
    BuiltinOperator.SLICE,
    BuiltinOperator.STRIDED_SLICE,
    BuiltinOperator.GATHER,
    BuiltinOperator.RSQRT,
    BuiltinOperator.ELU,
    BuiltinOperator.EXP,
  ]);
  for (const oc of m.operatorCodes) {
    expect(oc.builtinCode, `op ${oc.opName}`).not.toBe(BuiltinOperator.CUSTOM);
    expect(oc.customCode, `op ${oc.opName}`).toBeUndefined();
    expect(allowed.has(oc.builtinCode), `unexpected op ${oc.opName}`).toBe(true);
  }
}
