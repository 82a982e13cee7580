/**
 * Model / checkpoint file format (pure TypeScript, no I/O: callers write the bytes).
 *
 *   Two-part form:  manifest (JSON, `ModelManifest`) + weights (one little-endian float32 blob).
 *     Each manifest tensor entry gives name, shape, byteOffset and byteLength inside the blob (16-byte aligned).
 *   Single-file form (`packModel` / `unpackModel`):
 *     bytes 0..7   ASCII magic "FSMODEL1"
 *     bytes 8..11  uint32 LE  manifest JSON byte length (UTF-8)
 *     then the manifest JSON, zero padding to a multiple of 16, then the weights blob.
 *
 * Model files hold the `ModelSpec` and the parameters named as in architecture.ts. Checkpoints use the same
 * container with extra tensors (`opt/m/<param>`, `opt/v/<param>`, `best/<param>`) and `extra` training state.
 */
import type { ModelSpec } from './architecture';

export type ParamMap = Record<string, Float32Array>;
export type ShapeMap = Record<string, number[]>;

export interface TensorEntry {
  name: string;
  shape: number[];
  dtype: 'float32';
  byteOffset: number;
  byteLength: number;
}

export interface ModelManifest {
  format: 'form-studio-model';
  formatVersion: 1;
  /** 'model' for a trained model, 'checkpoint' for a training checkpoint. */
  type: 'model' | 'checkpoint';
  spec: ModelSpec;
  tensors: TensorEntry[];
  /** Free-form metadata (training metrics, date, dataset summary …). */
  metadata?: Record<string, unknown>;
  /** Checkpoint state (JSON-serializable). */
  extra?: Record<string, unknown>;
}

/** Weights + spec held in plain JS memory (no tf tensors). */
export interface SavedModel {
  spec: ModelSpec;
  params: ParamMap;
  shapes: ShapeMap;
  metadata?: Record<string, unknown>;
}

const MAGIC = 'FSMODEL1';
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const ALIGN = 16;
const align = (n: number) => Math.ceil(n / ALIGN) * ALIGN;

export function serializeTensors(
  spec: ModelSpec,
  params: ParamMap,
  shapes: ShapeMap,
  opts: { type?: 'model' | 'checkpoint'; metadata?: Record<string, unknown>; extra?: Record<string, unknown> } = {},
): { manifest: ModelManifest; weights: Uint8Array } {
  const tensors: TensorEntry[] = [];
  let offset = 0;
  for (const name of Object.keys(params)) {
    const shape = shapes[name];
    if (!shape) throw new Error(`no shape for tensor ${name}`);
    const n = shape.reduce((a, b) => a * b, 1);
    if (n !== params[name].length)
      throw new Error(`tensor ${name}: shape ${shape} does not match ${params[name].length} values`);
    tensors.push({ name, shape, dtype: 'float32', byteOffset: offset, byteLength: n * 4 });
    offset = align(offset + n * 4);
  }
  const weights = new Uint8Array(offset);
  const view = new DataView(weights.buffer);
  for (const t of tensors) {
    const src = params[t.name];
    if (LITTLE_ENDIAN) new Float32Array(weights.buffer, t.byteOffset, src.length).set(src);
    else for (let i = 0; i < src.length; i++) view.setFloat32(t.byteOffset + 4 * i, src[i], true);
  }
  const manifest: ModelManifest = {
    format: 'form-studio-model',
    formatVersion: 1,
    type: opts.type ?? 'model',
    spec,
    tensors,
    ...(opts.metadata ? { metadata: opts.metadata } : {}),
    ...(opts.extra ? { extra: opts.extra } : {}),
  };
  return { manifest, weights };
}

export function deserializeTensors(
  manifest: ModelManifest,
  weights: Uint8Array,
): { params: ParamMap; shapes: ShapeMap } {
  if (manifest.format !== 'form-studio-model') throw new Error('not a Form Studio model manifest');
  if (manifest.formatVersion !== 1) throw new Error(`unsupported model format version ${manifest.formatVersion}`);
  const view = new DataView(weights.buffer, weights.byteOffset, weights.byteLength);
  const params: ParamMap = {};
  const shapes: ShapeMap = {};
  for (const t of manifest.tensors) {
    if (t.dtype !== 'float32') throw new Error(`tensor ${t.name}: unsupported dtype ${t.dtype}`);
    if (t.byteOffset + t.byteLength > weights.byteLength) throw new Error(`tensor ${t.name}: outside the weights blob`);
    const n = t.byteLength / 4;
    let out: Float32Array;
    const abs = weights.byteOffset + t.byteOffset;
    if (LITTLE_ENDIAN && abs % 4 === 0) out = new Float32Array(weights.buffer, abs, n).slice();
    else {
      out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(t.byteOffset + 4 * i, true);
    }
    params[t.name] = out;
    shapes[t.name] = t.shape.slice();
  }
  return { params, shapes };
}

/** Manifest + weights in one Uint8Array. */
export function packFile(manifest: ModelManifest, weights: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(manifest));
  const head = align(12 + json.length);
  const out = new Uint8Array(head + weights.length);
  for (let i = 0; i < MAGIC.length; i++) out[i] = MAGIC.charCodeAt(i);
  new DataView(out.buffer).setUint32(8, json.length, true);
  out.set(json, 12);
  out.set(weights, head);
  return out;
}

export function unpackFile(bytes: Uint8Array): { manifest: ModelManifest; weights: Uint8Array } {
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC.charCodeAt(i)) throw new Error('not a Form Studio model file (bad magic)');
  }
  const len = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  const manifest = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + len))) as ModelManifest;
  const weights = bytes.subarray(align(12 + len));
  return { manifest, weights };
}

/** Save a model to one Uint8Array. */
export function packModel(model: SavedModel): Uint8Array {
  const { manifest, weights } = serializeTensors(model.spec, model.params, model.shapes, {
    type: 'model',
    metadata: model.metadata,
  });
  return packFile(manifest, weights);
}

/** Load a model saved by `packModel` (or a checkpoint: its current weights are returned). */
export function unpackModel(bytes: Uint8Array): SavedModel {
  const { manifest, weights } = unpackFile(bytes);
  return savedModelFromParts(manifest, weights);
}

/** Load from the two-part form. Only the model's own parameters are kept (checkpoint extras are dropped). */
export function savedModelFromParts(manifest: ModelManifest, weights: Uint8Array): SavedModel {
  const { params, shapes } = deserializeTensors(manifest, weights);
  const p: ParamMap = {};
  const s: ShapeMap = {};
  for (const k of Object.keys(params)) {
    if (k.startsWith('opt/') || k.startsWith('best/')) continue;
    p[k] = params[k];
    s[k] = shapes[k];
  }
  return { spec: manifest.spec, params: p, shapes: s, metadata: manifest.metadata };
}
