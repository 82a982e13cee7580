/**
 * Reading HDF5 bytes with h5wasm (the HDF5 C library compiled to wasm; works in Node and in the browser).
 * The bytes are written to h5wasm's in-memory file system under a unique name and removed on close, so
 * nothing touches the user's file. h5wasm is imported on first use: loading it (and its wasm) cost every
 * CLI command ~0.4 s, and only a Keras import needs it.
 */
import type H5wasm from 'h5wasm';

export interface H5Array {
  shape: number[];
  data: Float32Array;
}

export interface H5Source {
  /** A float dataset (converted to float32), or null when the path is not a dataset. */
  dataset(path: string): H5Array | null;
  /** The value of an attribute of a group or dataset, or undefined. */
  attr(path: string, name: string): unknown;
  /** Names of the members of a group ([] when the path is not a group). */
  keys(path: string): string[];
  close(): void;
}

export class KerasFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KerasFormatError';
  }
}

let counter = 0;

/** Open HDF5 bytes; `label` names the file in errors (e.g. "standard.h5" or "standard.keras: model.weights.h5"). */
export async function openH5(bytes: Uint8Array, label: string): Promise<H5Source> {
  // The HDF5 signature is at byte 0 (or at 512, 1024, … with a user block).
  const sig = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 8 || !sig.every((b, i) => bytes[i] === b))
    throw new KerasFormatError(`${label} is not an HDF5 file (no HDF5 signature)`);
  const h5wasm = ((await import('h5wasm')) as { default: typeof H5wasm }).default;
  const M = await h5wasm.ready;
  const name = `/fs-import-${Date.now()}-${counter++}.h5`;
  M.FS.writeFile(name, bytes);
  let file: InstanceType<typeof H5wasm.File>;
  try {
    file = new h5wasm.File(name, 'r');
    // h5wasm opens lazily: reading the root's keys makes a truncated file fail here rather than later.
    file.keys();
  } catch (err) {
    M.FS.unlink(name);
    throw new KerasFormatError(
      `${label} cannot be read as HDF5 (truncated or corrupt?): ${(err as Error).message ?? String(err)}`,
    );
  }
  const get = (path: string) => {
    try {
      return file.get(path);
    } catch {
      return null;
    }
  };
  return {
    dataset(path) {
      const d = get(path);
      if (!(d instanceof h5wasm.Dataset)) return null;
      let v: unknown;
      try {
        v = d.value;
      } catch (err) {
        throw new KerasFormatError(
          `${label}: dataset ${path} cannot be read (truncated or corrupt?): ${(err as Error).message}`,
        );
      }
      if (!(v instanceof Float32Array || v instanceof Float64Array))
        throw new KerasFormatError(`${label}: dataset ${path} is not float data (${d.dtype})`);
      return { shape: (d.shape ?? []).map(Number), data: v instanceof Float32Array ? v : Float32Array.from(v) };
    },
    attr(path, attrName) {
      const o = get(path);
      if (!o || !('attrs' in o)) return undefined;
      const a = (o.attrs as Record<string, { value: unknown }>)[attrName];
      return a?.value;
    },
    keys(path) {
      const o = get(path);
      return o instanceof h5wasm.Group ? o.keys() : [];
    },
    close() {
      try {
        file.close();
      } finally {
        M.FS.unlink(name);
      }
    },
  };
}
