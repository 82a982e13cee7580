import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../src-shared/tflite/graph';
import { writeTflite } from '../../src-shared/tflite/writer';
import { readTflite, metadataText, hasTfliteIdentifier } from '../../src-shared/tflite/reader';
import { BuiltinOperator, TensorType } from '../../src-shared/tflite/schema';
import { float16BitsToFloat32, float32ToFloat16Bits, quantizeInt8Symmetric } from '../../src-shared/tflite/quantize';

function tinyModel(): Uint8Array {
  const g = new GraphBuilder();
  const x = g.addTensor('x', [1, 3]);
  const w = g.constF32('w', [2, 3], [1, 2, 3, 4, 5, 6]);
  const b = g.constF32('b', [2], [0.5, -1]);
  const y = g.fullyConnected('y', x, w, b, 'relu');
  const p = g.softmax('p', y);
  const meta = g.addBuffer(new TextEncoder().encode('{"hello":"world"}'));
  return writeTflite(
    g.toModel({
      inputs: [{ name: 'in', tensor: x }],
      outputs: [{ name: 'out', tensor: p }],
      description: 'tiny',
      metadata: [{ name: 'form_studio', buffer: meta }],
    }),
  );
}

describe('TFLite FlatBuffer writer/reader', () => {
  it('writes TFL3, schema version 3, and reads the structure back', () => {
    const bytes = tinyModel();
    expect(hasTfliteIdentifier(bytes)).toBe(true);
    expect(String.fromCharCode(...bytes.subarray(4, 8))).toBe('TFL3');
    const m = readTflite(bytes);
    expect(m.version).toBe(3);
    expect(m.description).toBe('tiny');
    expect(m.operatorCodes.map((c) => c.opName)).toEqual(['FULLY_CONNECTED', 'SOFTMAX']);
    const sg = m.subgraphs[0];
    expect(sg.tensors.map((t) => t.name)).toEqual(['x', 'w', 'b', 'y', 'p']);
    expect(sg.tensors[1].shape).toEqual([2, 3]);
    expect(sg.inputs).toEqual([0]);
    expect(sg.outputs).toEqual([4]);
    expect(sg.operators[0].inputs).toEqual([0, 1, 2]);
    expect(sg.operators[0].builtinOptionsType).toBe(8); // FullyConnectedOptions
    expect(sg.operators[1].builtinOptionsType).toBe(9); // SoftmaxOptions
    expect(m.signatures).toEqual([
      {
        key: 'serving_default',
        subgraphIndex: 0,
        inputs: [{ name: 'in', tensorIndex: 0 }],
        outputs: [{ name: 'out', tensorIndex: 4 }],
      },
    ]);
    expect(metadataText(m, 'form_studio')).toBe('{"hello":"world"}');
    expect(m.bufferSizes[0]).toBe(0);
  });

  it('stores constant data 16-byte aligned and byte-exact', () => {
    const bytes = tinyModel();
    const m = readTflite(bytes);
    const w = m.subgraphs[0].tensors[1];
    const off = m.bufferOffsets[w.buffer];
    expect(off % 16).toBe(0);
    const copy = bytes.slice(off, off + m.bufferSizes[w.buffer]);
    expect(Array.from(new Float32Array(copy.buffer))).toEqual([1, 2, 3, 4, 5, 6]);
    for (let i = 0; i < m.bufferOffsets.length; i++) if (m.bufferSizes[i] > 0) expect(m.bufferOffsets[i] % 16).toBe(0);
  });

  it('writes the extended builtin_code and quantization parameters', () => {
    const g = new GraphBuilder();
    const a = g.addTensor('a', [1, 2, 3]);
    const w = g.addConst('w', [4, 3], TensorType.INT8, new Int8Array(12), {
      scale: [0.1, 0.2, 0.3, 0.4],
      zeroPoint: [0, 0, 0, 0],
      quantizedDimension: 0,
    });
    const y = g.batchMatMul('bm', a, g.constF32('c', [3, 2], [1, 2, 3, 4, 5, 6]));
    const z = g.fullyConnected('fc', g.reshape('r', y, [2, 2]), g.constF32('w2', [3, 2], new Float32Array(6)), -1);
    void w;
    const m = readTflite(
      writeTflite(g.toModel({ inputs: [{ name: 'a', tensor: a }], outputs: [{ name: 'z', tensor: z }] })),
    );
    expect(m.operatorCodes.find((c) => c.opName === 'BATCH_MATMUL')?.builtinCode).toBe(BuiltinOperator.BATCH_MATMUL);
    const wt = m.subgraphs[0].tensors.find((t) => t.name === 'w');
    expect(wt?.typeName).toBe('int8');
    expect(wt?.quantization?.scale.map((s) => Math.round(s * 10) / 10)).toEqual([0.1, 0.2, 0.3, 0.4]);
    expect(wt?.quantization?.zeroPoint).toEqual([0, 0, 0, 0]);
    expect(m.subgraphs[0].operators.find((o) => o.opName === 'FULLY_CONNECTED')?.inputs[2]).toBe(-1);
  });

  it('rejects files that are not TFLite', () => {
    expect(() => readTflite(new Uint8Array(16))).toThrow(/TFL3/);
  });
});

describe('weight compression', () => {
  it('converts float16 with round-to-nearest-even', () => {
    for (const v of [0, 1, -2, 0.5, 65504, 1e-5, -3.14159, 6.1e-5, 1 / 3]) {
      const back = float16BitsToFloat32(float32ToFloat16Bits(v));
      expect(Math.abs(back - v)).toBeLessThanOrEqual(Math.max(Math.abs(v) * 2 ** -11, 2 ** -25));
    }
    expect(float32ToFloat16Bits(1)).toBe(0x3c00);
    expect(float32ToFloat16Bits(-2)).toBe(0xc000);
    expect(float32ToFloat16Bits(1e6)).toBe(0x7c00);
    expect(float32ToFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie → even
  });

  it('quantizes int8 symmetrically per channel', () => {
    const w = Float32Array.from([1, -0.5, 0.25, 10, 5, -10]);
    const q = quantizeInt8Symmetric(w, 2, 3, true);
    expect(q.scale.length).toBe(2);
    expect(Array.from(q.data)).toEqual([127, -64, 32, 127, 64, -127]);
    const t = quantizeInt8Symmetric(w, 2, 3, false);
    expect(t.scale.length).toBe(1);
    expect(t.data[3]).toBe(127);
  });
});
