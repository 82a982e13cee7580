/** Weight compression helpers: IEEE float16 conversion and symmetric int8 quantization. Pure TS. */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float32 → IEEE 754 binary16 bits, round-to-nearest-even, with overflow to ±Inf and subnormals. */
export function float32ToFloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // Inf / NaN
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow
  if (e <= 0) {
    if (e < -10) return sign; // underflow to ±0
    const m = mant | 0x800000; // implicit leading 1
    const shift = 14 - e;
    let h = m >>> shift;
    const rem = m & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && h & 1)) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && h & 1)) h++; // may carry into the exponent: still correct
  return sign | h;
}

export function float16BitsToFloat32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

export function toFloat16(data: Float32Array): Uint16Array {
  const out = new Uint16Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = float32ToFloat16Bits(data[i]);
  return out;
}

export interface Int8Quantized {
  data: Int8Array;
  scale: number[];
  zeroPoint: number[];
  /** Axis the scales run along (0 = output channel for FC weights [out, in]). */
  quantizedDimension: number;
}

/**
 * Symmetric int8 quantization of a row-major [rows, cols] matrix, range [-127, 127], zero point 0.
 * perChannel: one scale per row (dimension 0), else one scale for the tensor.
 */
export function quantizeInt8Symmetric(w: Float32Array, rows: number, cols: number, perChannel: boolean): Int8Quantized {
  const data = new Int8Array(w.length);
  const scales: number[] = [];
  const quantRow = (r0: number, r1: number, scale: number) => {
    const inv = scale > 0 ? 1 / scale : 0;
    for (let i = r0 * cols; i < r1 * cols; i++) {
      const q = Math.round(w[i] * inv);
      data[i] = q > 127 ? 127 : q < -127 ? -127 : q;
    }
  };
  const absMax = (r0: number, r1: number) => {
    let m = 0;
    for (let i = r0 * cols; i < r1 * cols; i++) m = Math.max(m, Math.abs(w[i]));
    return m;
  };
  if (perChannel) {
    for (let r = 0; r < rows; r++) {
      const s = Math.fround(absMax(r, r + 1) / 127) || 1e-8;
      scales.push(s);
      quantRow(r, r + 1, s);
    }
  } else {
    const s = Math.fround(absMax(0, rows) / 127) || 1e-8;
    scales.push(s);
    quantRow(0, rows, s);
  }
  return { data, scale: scales, zeroPoint: scales.map(() => 0), quantizedDimension: 0 };
}
