/**
 * Node runtime wrapper for .tflite models on LiteRT.js (@litertjs/core, CPU/WASM).
 *
 * LiteRT.js targets browsers: its loader injects a <script> (or calls importScripts in a
 * worker) and reads `self.ModuleFactory`. In Node we provide `self` and an `importScripts`
 * that evaluates the Emscripten glue with vm.runInThisContext, and point `locateFile` at the
 * package's wasm directory. The glue itself detects Node and reads the .wasm with fs.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import v8 from 'node:v8';
import type { CompiledModel, Tensor as LiteRtTensor } from '@litertjs/core';
import { readTflite } from '../../src-shared/tflite/reader';
import { checkScoringSignature, type SignatureCheck } from '../../src-shared/tflite/signature';

export { checkScoringSignature, type SignatureCheck };

type LiteRtModule = typeof import('@litertjs/core');

let liteRtPromise: Promise<LiteRtModule> | undefined;

function wasmDir(): string {
  const require = createRequire(import.meta.url);
  // The package's "main" is dist/index.js; the wasm files sit in ../wasm.
  const main = require.resolve('@litertjs/core');
  return path.join(path.dirname(main), '..', 'wasm');
}

/** Install the browser-ish globals the loader needs; returns a function that removes the ones it added. */
function installNodeShims(dir: string): () => void {
  const g = globalThis as Record<string, unknown>;
  const added: string[] = [];
  if (g.self === undefined) {
    g.self = globalThis;
    added.push('self');
  }
  if (typeof g.importScripts !== 'function') {
    added.push('importScripts');
    const req = createRequire(import.meta.url);
    g.importScripts = (...urls: string[]) => {
      for (const u of urls) {
        const file = u.startsWith('file:') ? new URL(u).pathname : u;
        // Evaluate the Emscripten glue as a CommonJS-style script (it needs require/__dirname in Node)
        // and publish its ModuleFactory the way a <script> tag would.
        const src = readFileSync(file, 'utf8');
        const wrapped = `(function (require, __dirname, __filename) {\n${src}\n;globalThis.ModuleFactory = ModuleFactory;\n})`;
        const fn = vm.runInThisContext(wrapped, { filename: file }) as (r: NodeRequire, d: string, f: string) => void;
        fn(req, path.dirname(file), file);
      }
    };
  }
  // Emscripten's Module object: createWasmLib passes self.Module to ModuleFactory.
  // Drop the runtime's INFO chatter (accelerator registration etc.); keep warnings and errors.
  const quiet = (s: string) => /^INFO: |NPU accelerator could not be loaded/.test(s);
  g.Module = {
    locateFile: (p: string) => path.join(dir, p),
    print: (s: string) => {
      if (!quiet(s)) console.log(s);
    },
    printErr: (s: string) => {
      if (!quiet(s)) console.warn(s);
    },
  };
  return () => {
    // Other libraries sniff `self` / `importScripts` to detect a browser or worker: do not leave them behind.
    for (const k of [...added, 'Module', 'ModuleFactory']) delete g[k];
  };
}

// A minimal module using one relaxed-SIMD instruction (the probe LiteRT.js uses to pick its build).
const RELAXED_SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 15, 1, 13, 0, 65, 1, 253, 15, 65, 2, 253, 15,
  253, 128, 2, 11,
]);

export interface LiteRtInitOptions {
  /**
   * Node 20's V8 has relaxed SIMD behind a flag; without it LiteRT.js falls back to its "compat" build.
   * When true (default; env FORM_STUDIO_LITERT_RELAXED_SIMD=0 turns it off) the flag is enabled for this
   * process before the runtime loads. Newer Node versions have it on already.
   */
  relaxedSimd?: boolean;
}

/** Which LiteRT.js WASM build was loaded ('relaxed-simd' or 'compat'); undefined before initLiteRt(). */
export let liteRtBuild: 'relaxed-simd' | 'compat' | undefined;

/** Load the LiteRT.js WASM runtime once per process (CPU, single-threaded, no JSPI). */
export async function initLiteRt(options: LiteRtInitOptions = {}): Promise<LiteRtModule> {
  if (!liteRtPromise) {
    liteRtPromise = (async () => {
      const wantRelaxed = options.relaxedSimd ?? process.env.FORM_STUDIO_LITERT_RELAXED_SIMD !== '0';
      if (wantRelaxed && !WebAssembly.validate(RELAXED_SIMD_PROBE))
        v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
      liteRtBuild = WebAssembly.validate(RELAXED_SIMD_PROBE) ? 'relaxed-simd' : 'compat';
      const dir = wasmDir();
      const removeShims = installNodeShims(dir);
      const mod = await import('@litertjs/core');
      // Node has no WebGPU: LiteRT.js warns once while probing for it; that is expected here.
      const warn = console.warn;
      console.warn = (...args: unknown[]) => {
        if (typeof args[0] === 'string' && args[0].startsWith('Failed to create default WebGPU device')) return;
        warn(...args);
      };
      try {
        await mod.loadLiteRt(dir + path.sep);
      } finally {
        console.warn = warn;
        removeShims();
      }
      return mod;
    })().catch((e: unknown) => {
      liteRtPromise = undefined;
      throw e;
    });
  }
  return liteRtPromise;
}

export interface TfliteRunResult {
  /** Output name (signature output alias) → values. */
  outputs: Record<string, Float32Array>;
  shapes: Record<string, number[]>;
}

export interface LoadedTflite {
  readonly inputNames: string[];
  readonly outputNames: string[];
  /** Run the default signature. Inputs by signature name (or a single Float32Array for a single-input model). */
  run(inputs: Record<string, Float32Array> | Float32Array): Promise<TfliteRunResult>;
  dispose(): void;
}

/**
 * Load a .tflite model and compile it for the CPU (XNNPACK in WASM).
 * `numThreads` is ignored by the non-threaded build used in Node.
 */
export async function loadTflite(bytes: Uint8Array): Promise<LoadedTflite> {
  const lrt = await initLiteRt();
  readTflite(bytes); // fails early with a clear message on non-TFLite input
  const model: CompiledModel = await lrt.loadAndCompile(bytes, { accelerator: 'wasm' });
  const inDetails = model.getInputDetails();
  const outDetails = model.getOutputDetails();
  const inputNames = inDetails.map((d) => d.name);
  const outputNames = outDetails.map((d) => d.name);
  let disposed = false;
  return {
    inputNames,
    outputNames,
    async run(inputs) {
      if (disposed) throw new Error('model disposed');
      const byName: Record<string, Float32Array> =
        inputs instanceof Float32Array ? { [inputNames[0]]: inputs } : inputs;
      const tensors: LiteRtTensor[] = [];
      try {
        const feeds: Record<string, LiteRtTensor> = {};
        for (const d of inDetails) {
          const data = byName[d.name];
          if (!data) throw new Error(`missing input "${d.name}"`);
          const shape = Array.from(d.shape);
          const n = shape.reduce((p, x) => p * x, 1);
          if (data.length !== n)
            throw new Error(`input "${d.name}" needs ${n} values for shape [${shape}], got ${data.length}`);
          const t = new lrt.Tensor(data, shape);
          tensors.push(t);
          feeds[d.name] = t;
        }
        const res = await model.run(feeds);
        const outputs: Record<string, Float32Array> = {};
        const shapes: Record<string, number[]> = {};
        for (const [name, t] of Object.entries(res)) {
          tensors.push(t);
          const arr = t.toTypedArray();
          outputs[name] = arr instanceof Float32Array ? arr.slice() : Float32Array.from(arr as ArrayLike<number>);
          shapes[name] = Array.from(outDetails.find((d) => d.name === name)?.shape ?? []);
        }
        return { outputs, shapes };
      } finally {
        for (const t of tensors) t.delete();
      }
    },
    dispose() {
      if (!disposed) {
        disposed = true;
        model.delete();
      }
    },
  };
}

export interface TfliteScore {
  /** 0–100. */
  score: number;
  /** Softmax over the exercise labels, when the model has that output. */
  exerciseProbs?: Float32Array;
}

/**
 * Score one clip ([N × 132] float32, row-major) with a model that passed checkScoringSignature.
 * `check` supplies the input/output names (defaults: keypoints / score / exercise_probs).
 */
export async function scoreClip(
  model: LoadedTflite,
  keypoints: Float32Array,
  check?: SignatureCheck,
): Promise<TfliteScore> {
  const inputName = check?.inputName ?? 'keypoints';
  const scoreName = check?.scoreOutput ?? 'score';
  const probsName = check?.probsOutput ?? (model.outputNames.includes('exercise_probs') ? 'exercise_probs' : undefined);
  const { outputs } = await model.run({ [inputName]: keypoints });
  const s = outputs[scoreName];
  if (!s) throw new Error(`model has no output "${scoreName}" (outputs: ${Object.keys(outputs).join(', ')})`);
  return { score: s[0], ...(probsName && outputs[probsName] ? { exerciseProbs: outputs[probsName] } : {}) };
}
