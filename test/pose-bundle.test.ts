import {
  mkdtempSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  readdirSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAssets, DETECTOR_ENTRY, LANDMARKER_ENTRY, type BuildResult } from '../scripts/pose-bundle/build.js';
import {
  DETECTOR_EXPECTED,
  InputMismatchError,
  extractDetector,
  parsePackedAssetsLoader,
  sha256,
} from '../scripts/pose-bundle/inputs.js';
import { parseModelMetadata } from '../scripts/pose-bundle/metadata.js';
import { pruneSegmentationHead } from '../scripts/pose-bundle/prune-segmentation.js';
import { metadataBytes, readTflite, subgraphTensors } from '../src-shared/tflite/reader.js';
import { TFLITE_METADATA_NAME, addMetadataBuffer } from '../scripts/pose-bundle/add-metadata.js';
import { POSE_MODEL_VARIANTS } from '../src-shared/keypoints/format.js';

const ROOT = join(import.meta.dirname, '..');

/** What the runtime sees of a model: version, buffer count, first subgraph's inputs/outputs, metadata entries. */
function modelInfo(bytes: Uint8Array) {
  const m = readTflite(bytes);
  return {
    version: m.version,
    numBuffers: m.bufferSizes.length,
    inputs: subgraphTensors(m, 'inputs'),
    outputs: subgraphTensors(m, 'outputs'),
    metadata: m.metadata.map(({ name, buffer }) => ({ name, buffer })),
  };
}
const POSE_PKG = join(ROOT, 'node_modules', '@mediapipe', 'pose');

interface ZipEntryData {
  name: string;
  method: number;
  data: Buffer;
}

function readZip(file: string): Promise<ZipEntryData[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const out: ZipEntryData[] = [];
      zip.on('entry', (e: yauzl.Entry) => {
        zip.openReadStream(e, (err2, s) => {
          if (err2 || !s) return reject(err2);
          const chunks: Buffer[] = [];
          s.on('data', (c: Buffer) => chunks.push(c));
          s.on('end', () => {
            out.push({ name: e.fileName, method: e.compressionMethod, data: Buffer.concat(chunks) });
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

const tmp = mkdtempSync(join(tmpdir(), 'pose-bundle-test-'));
const outA = join(tmp, 'a');
const outB = join(tmp, 'b');
let first: BuildResult;

beforeAll(async () => {
  first = await buildAssets({ projectRoot: ROOT, outDir: outA });
}, 60_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('build-assets', () => {
  it('builds every output and records its sha256 in the manifest', () => {
    expect(first.skipped).toBe(false);
    const outputs = first.manifest.outputs;
    for (const v of POSE_MODEL_VARIANTS) expect(outputs[`models/pose/pose_landmarker_${v}.task`]).toBeDefined();
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining([
        'wasm/mediapipe/vision_wasm_internal.js',
        'wasm/mediapipe/vision_wasm_internal.wasm',
        'wasm/mediapipe/vision_wasm_nosimd_internal.wasm',
        'wasm/tfjs/tfjs-backend-wasm.wasm',
        'wasm/tfjs/tfjs-backend-wasm-simd.wasm',
        'wasm/tfjs/tfjs-backend-wasm-threaded-simd.wasm',
      ]),
    );
    for (const [rel, e] of Object.entries(outputs)) {
      const data = readFileSync(join(outA, rel));
      expect(data.length, rel).toBe(e.bytes);
      expect(sha256(data), rel).toBe(e.sha256);
    }
    const onDisk = JSON.parse(readFileSync(join(outA, 'manifest.json'), 'utf8'));
    expect(onDisk).toEqual(first.manifest);
    // copies are byte-identical to their sources
    const wasm = readFileSync(join(ROOT, 'node_modules/@mediapipe/tasks-vision/wasm/vision_wasm_internal.wasm'));
    expect(outputs['wasm/mediapipe/vision_wasm_internal.wasm']!.sha256).toBe(sha256(wasm));
  });

  it('skips work when outputs are up to date, and rebuilds a damaged output', async () => {
    const victim = join(outA, 'models/pose/pose_landmarker_lite.task');
    const before = statSync(victim).mtimeMs;
    const again = await buildAssets({ projectRoot: ROOT, outDir: outA });
    expect(again.skipped).toBe(true);
    expect(statSync(victim).mtimeMs, 'an up-to-date output is not written again').toBe(before);
    const good = readFileSync(victim);
    writeFileSync(victim, 'garbage');
    const repaired = await buildAssets({ projectRoot: ROOT, outDir: outA });
    expect(repaired.skipped).toBe(false);
    expect(readFileSync(victim).equals(good)).toBe(true);
  }, 60_000);

  it('is deterministic: a fresh forced build gives the same bytes', async () => {
    const second = await buildAssets({ projectRoot: ROOT, outDir: outB, force: true });
    expect(second.manifest.outputs).toEqual(first.manifest.outputs);
    for (const v of POSE_MODEL_VARIANTS) {
      const rel = `models/pose/pose_landmarker_${v}.task`;
      expect(readFileSync(join(outB, rel)).equals(readFileSync(join(outA, rel))), rel).toBe(true);
    }
  }, 60_000);

  it.each(POSE_MODEL_VARIANTS)('%s.task is a stored zip of the detector and landmarker, with metadata', async (v) => {
    const entries = await readZip(join(outA, `models/pose/pose_landmarker_${v}.task`));
    expect(entries.map((e) => e.name)).toEqual([DETECTOR_ENTRY, LANDMARKER_ENTRY]);
    for (const e of entries) expect(e.method, e.name).toBe(0); // stored, as MediaPipe maps entries in place

    const [det, lmk] = entries.map((e) => new Uint8Array(e.data)) as [Uint8Array, Uint8Array];
    const expectations = [
      {
        bytes: det,
        original: readFileSync(join(POSE_PKG, 'pose_solution_packed_assets.data')),
        mean: 127.5,
        std: 127.5,
        size: 224,
        name: 'Pose Detection',
      },
      // The landmarker is the package's model with its unused segmentation head pruned (tested below).
      {
        bytes: lmk,
        original: Buffer.from(pruneSegmentationHead(readFileSync(join(POSE_PKG, `pose_landmark_${v}.tflite`))).model),
        mean: 0,
        std: 255,
        size: 256,
        name: 'Pose Landmark',
      },
    ];
    for (const x of expectations) {
      const info = modelInfo(x.bytes);
      const orig = modelInfo(new Uint8Array(x.original));
      // everything the runtime sees is unchanged, plus one buffer and one metadata entry
      expect(info.inputs).toEqual(orig.inputs);
      expect(info.outputs).toEqual(orig.outputs);
      expect(info.version).toBe(orig.version);
      expect(info.numBuffers).toBe(orig.numBuffers + 1);
      expect(info.metadata).toEqual([...orig.metadata, { name: TFLITE_METADATA_NAME, buffer: orig.numBuffers }]);
      expect(info.inputs[0]!.shape).toEqual([1, x.size, x.size, 3]);
      expect(info.inputs[0]!.typeName).toBe('float32');
      // the original file is embedded verbatim and 16-byte aligned
      const at = x.bytes.length - x.original.length;
      expect(at % 16).toBe(0);
      expect(Buffer.from(x.bytes.subarray(at)).equals(x.original)).toBe(true);

      const raw = metadataBytes(readTflite(x.bytes), TFLITE_METADATA_NAME);
      expect(raw).toBeDefined();
      const md = parseModelMetadata(raw!);
      expect(md.name).toBe(x.name);
      expect(md.minParserVersion).toBe('1.0.0');
      expect(md.subgraphs).toHaveLength(1);
      const input = md.subgraphs[0]!.inputs[0]!;
      expect(md.subgraphs[0]!.inputs).toHaveLength(1);
      expect(md.subgraphs[0]!.outputs).toHaveLength(info.outputs.length);
      expect(input.contentType).toBe(2); // ImageProperties
      expect(input.colorSpace).toBe('RGB');
      expect(input.normalization).toEqual({ mean: [x.mean], std: [x.std] });
    }
  });
});

describe('inputs', () => {
  const loader = readFileSync(join(POSE_PKG, 'pose_solution_packed_assets_loader.js'), 'utf8');
  const packed = new Uint8Array(readFileSync(join(POSE_PKG, 'pose_solution_packed_assets.data')));

  it('reads the detector offsets from the packed-assets loader script', () => {
    const { files, remotePackageSize } = parsePackedAssetsLoader(loader);
    expect(remotePackageSize).toBe(packed.length);
    expect(files).toEqual([
      { filename: '/third_party/mediapipe/modules/pose_detection/pose_detection.tflite', start: 0, end: 2962288 },
    ]);
    const det = extractDetector(loader, packed);
    expect(det.length).toBe(DETECTOR_EXPECTED.end - DETECTOR_EXPECTED.start);
    expect(modelInfo(det).inputs[0]!.shape).toEqual([1, 224, 224, 3]);
  });

  it('refuses a loader whose offsets disagree with the verified ones', () => {
    const moved = loader.replace('"end": 2962288}', '"end": 2962000}');
    expect(() => extractDetector(moved, packed)).toThrow(/range|bytes/);
    expect(() => parsePackedAssetsLoader('nothing here')).toThrow(/loadPackage/);
  });

  it('fails with a clear message when an input file differs from the pinned sha256', async () => {
    const fake = join(tmp, 'fake-root');
    const fakePose = join(fake, 'node_modules', '@mediapipe', 'pose');
    mkdirSync(fakePose, { recursive: true });
    for (const f of readdirSync(POSE_PKG)) symlinkSync(join(POSE_PKG, f), join(fakePose, f));
    rmSync(join(fakePose, 'pose_landmark_heavy.tflite'));
    const tampered = readFileSync(join(POSE_PKG, 'pose_landmark_heavy.tflite'));
    tampered[1000] = tampered[1000]! ^ 0xff;
    writeFileSync(join(fakePose, 'pose_landmark_heavy.tflite'), tampered);
    const err = await buildAssets({ projectRoot: fake, outDir: join(fake, 'out') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputMismatchError);
    expect(String((err as Error).message)).toMatch(
      /pose_landmark_heavy\.tflite: sha256 [0-9a-f]{64} differs from the pinned 59e42d71/,
    );
  }, 30_000);
});

describe('addMetadataBuffer', () => {
  it('refuses to add a second entry with the same name', () => {
    const det = extractDetector(
      readFileSync(join(POSE_PKG, 'pose_solution_packed_assets_loader.js'), 'utf8'),
      new Uint8Array(readFileSync(join(POSE_PKG, 'pose_solution_packed_assets.data'))),
    );
    const once = addMetadataBuffer(det, 'X', new Uint8Array([1, 2, 3]));
    expect(Array.from(metadataBytes(readTflite(once), 'X')!)).toEqual([1, 2, 3]);
    expect(() => addMetadataBuffer(once, 'X', new Uint8Array([4]))).toThrow(/already has/);
    expect(() => readTflite(new Uint8Array(16))).toThrow(/not a TFLite model/);
    expect(() => addMetadataBuffer(new Uint8Array(16), 'X', new Uint8Array([1]))).toThrow(/not a TFLite model/);
  });
});

describe('pruneSegmentationHead', () => {
  it.each(POSE_MODEL_VARIANTS)('%s: the segmentation head is pruned and nothing else changes', (v) => {
    const original = new Uint8Array(readFileSync(join(POSE_PKG, `pose_landmark_${v}.tflite`)));
    const copy = original.slice();
    const { model, report } = pruneSegmentationHead(original);
    expect(Buffer.from(original).equals(Buffer.from(copy))).toBe(true); // the input is not modified
    expect(model.length).toBe(original.length);
    const [a, b] = [readTflite(original).subgraphs[0]!, readTflite(model).subgraphs[0]!];
    // Every op that feeds landmarks, presence, heat map and world landmarks is still there, in order.
    const feeding = (g: typeof a, out: number) => {
      const producer = new Map<number, number>();
      g.operators.forEach((op, i) => op.outputs.forEach((t) => producer.set(t, i)));
      const seen = new Set<number>();
      const stack = [out];
      while (stack.length) {
        const p = producer.get(stack.pop()!);
        if (p === undefined || seen.has(p)) continue;
        seen.add(p);
        stack.push(...g.operators[p]!.inputs.filter((x) => x >= 0));
      }
      return [...seen].sort((x, y) => x - y).map((i) => JSON.stringify(g.operators[i]));
    };
    const mask = a.outputs.find((t) => a.tensors[t]!.shape.join() === '1,256,256,1')!;
    expect(b.outputs).toEqual(a.outputs);
    for (const out of a.outputs.filter((t) => t !== mask)) {
      expect(feeding(b, out)).toEqual(feeding(a, out));
      expect(b.tensors[out]).toEqual(a.tensors[out]);
    }
    expect(b.tensors[mask]!.shape).toEqual([1, 64, 64, 1]);
    expect(report.maskShapeAfter).toEqual([1, 64, 64, 1]);
    expect(report.opsAfter).toBe(b.operators.length);
    expect(report.opsAfter).toBeLessThan(report.opsBefore - 30);
    expect(report.macsAfter).toBeLessThan(report.macsBefore);
    // no 256×256 work is left (the stock head's last stages ran at 256×256)
    expect(a.operators.some((op) => a.tensors[op.outputs[0]!]!.shape[1] === 256)).toBe(true);
    expect(b.operators.some((op) => b.tensors[op.outputs[0]!]!.shape[1] === 256)).toBe(false);
  });

  it('refuses a model that is not a pose landmark model', () => {
    const detector = extractDetector(
      readFileSync(join(POSE_PKG, 'pose_solution_packed_assets_loader.js'), 'utf8'),
      readFileSync(join(POSE_PKG, 'pose_solution_packed_assets.data')),
    );
    expect(() => pruneSegmentationHead(detector)).toThrow(/expected 5 outputs/);
  });
});
