/**
 * Builds the offline renderer assets (Vite publicDir `assets/generated/`):
 *   models/pose/pose_landmarker_{lite,full,heavy}.task  MediaPipe Tasks bundles made from @mediapipe/pose
 *                                                       (segmentation head pruned: see prune-segmentation.ts)
 *   wasm/mediapipe/*                                     @mediapipe/tasks-vision wasm fileset
 *   wasm/tfjs/*.wasm                                     @tensorflow/tfjs-backend-wasm binaries
 *   manifest.json                                        sha256 + size of every output
 * No network. Skips all work when the manifest says the outputs match the current inputs.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { POSE_MODEL_VARIANTS, type PoseModelVariant } from '../../src-shared/keypoints/format.js';
import { LANDMARK_FILE, MEDIAPIPE_POSE_VERSION, extractDetector, readVerified, sha256 } from './inputs.js';
import { buildImageInputMetadata, type ImageInputMetadata } from './metadata.js';
import { pruneSegmentationHead } from './prune-segmentation.js';
import { TFLITE_METADATA_NAME, addMetadataBuffer } from './add-metadata.js';
import { readTflite, subgraphTensors, type ReadTensor } from '../../src-shared/tflite/reader.js';
import { zipStored } from './zip.js';

/** Bump when the output format changes in a way the source hash below would not catch. */
export const BUILDER_VERSION = 2;

export const DETECTOR_ENTRY = 'pose_detector.tflite';
export const LANDMARKER_ENTRY = 'pose_landmarks_detector.tflite';

export interface ManifestEntry {
  sha256: string;
  bytes: number;
}

export interface AssetManifest {
  builderVersion: number;
  /** Hash of every input and of the builder's own source; outputs are rebuilt when it changes. */
  inputKey: string;
  mediapipePose: string;
  tasksVision: string | null;
  tfjsBackendWasm: string | null;
  /** Output paths relative to the generated dir, posix separators, sorted. */
  outputs: Record<string, ManifestEntry>;
}

export interface BuildOptions {
  /** Project root (holds node_modules). Default: this file's ../.. */
  projectRoot?: string;
  /** Output directory. Default: <projectRoot>/assets/generated */
  outDir?: string;
  force?: boolean;
  log?: (msg: string) => void;
}

export interface BuildResult {
  skipped: boolean;
  outDir: string;
  manifest: AssetManifest;
  ms: number;
}

const HERE = dirname(fileURLToPath(import.meta.url));
/** App sources the builder runs (the TFLite reader): part of the input key, like the builder's own files. */
const SHARED_SOURCES = [
  'src-shared/tflite/flatbuffer.ts',
  'src-shared/tflite/reader.ts',
  'src-shared/tflite/schema.ts',
];

const DETECTOR_META: Omit<ImageInputMetadata, 'mean' | 'std'> = {
  modelName: 'Pose Detection',
  description:
    'Detects human poses. Model from @mediapipe/pose ' + MEDIAPIPE_POSE_VERSION + '; metadata added by Form Studio.',
  version: '1',
  author: 'MediaPipe',
  license: 'Apache-2.0',
  inputTensorName: 'image',
  inputDescription: 'Input image to be detected',
  outputs: [
    { name: 'raw boxes/keypoints', description: 'Undecoded pose bboxes location and keypoints' },
    { name: 'scores', description: 'Scores of the detected bboxes.' },
  ],
};

const LANDMARKER_META: Omit<ImageInputMetadata, 'mean' | 'std'> = {
  modelName: 'Pose Landmark',
  description:
    'Detects human pose landmarks. Model from @mediapipe/pose ' +
    MEDIAPIPE_POSE_VERSION +
    '; metadata added by Form Studio.',
  version: '1',
  author: 'MediaPipe',
  license: 'Apache-2.0',
  inputTensorName: 'image',
  inputDescription: 'Input image to be landmarked',
  outputs: [
    { name: 'landmarks', description: 'Pose landmarks' },
    { name: 'presence', description: 'Presence of pose.' },
    {
      name: 'segmentation_mask',
      description: 'Coarse 64x64 segmentation mask (the 256x256 decoder is pruned; Form Studio does not use masks).',
    },
    { name: 'heat_map', description: 'Heat map for pose.' },
    { name: 'world_landmarks', description: 'World landmarks for pose.' },
  ],
};

/** Normalization the MediaPipe graphs expect: (x - mean) / std on 0..255 RGB. */
export const DETECTOR_NORMALIZATION = { mean: [127.5], std: [127.5] };
export const LANDMARKER_NORMALIZATION = { mean: [0], std: [255] };

function expectImageInput(what: string, inputs: ReadTensor[], size: number): void {
  const i = inputs[0];
  const ok = inputs.length === 1 && i && i.typeName === 'float32' && i.shape.join(',') === `1,${size},${size},3`;
  if (!ok)
    throw new Error(
      `${what}: expected one float32 [1,${size},${size},3] input, got ${JSON.stringify(inputs.map(({ name, shape, typeName }) => ({ name, shape, typeName })))}`,
    );
}

function withMetadata(what: string, model: Uint8Array, meta: ImageInputMetadata, inputSize: number): Uint8Array {
  const parsed = readTflite(model);
  expectImageInput(what, subgraphTensors(parsed, 'inputs'), inputSize);
  const outputs = subgraphTensors(parsed, 'outputs');
  if (outputs.length !== meta.outputs.length) {
    throw new Error(`${what}: ${outputs.length} outputs, metadata describes ${meta.outputs.length}`);
  }
  return addMetadataBuffer(model, TFLITE_METADATA_NAME, buildImageInputMetadata(meta));
}

function pkgVersion(dir: string): string | null {
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string }).version ?? null;
  } catch {
    return null;
  }
}

function listFiles(dir: string, filter: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => filter(n) && statSync(join(dir, n)).isFile())
    .sort();
}

/** Writes via a temp file + rename so concurrent readers never see a half-written file. */
function writeAtomic(path: string, data: Uint8Array | string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

const posix = (p: string) => p.split(sep).join('/');

function readManifest(outDir: string): AssetManifest | null {
  try {
    return JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8')) as AssetManifest;
  } catch {
    return null;
  }
}

function outputsIntact(outDir: string, m: AssetManifest): boolean {
  for (const [rel, e] of Object.entries(m.outputs)) {
    const p = join(outDir, rel);
    if (!existsSync(p) || statSync(p).size !== e.bytes) return false;
    if (sha256(readFileSync(p)) !== e.sha256) return false;
  }
  return true;
}

export async function buildAssets(opts: BuildOptions = {}): Promise<BuildResult> {
  const t0 = performance.now();
  const root = opts.projectRoot ?? join(HERE, '..', '..');
  const outDir = opts.outDir ?? join(root, 'assets', 'generated');
  const log = opts.log ?? (() => {});
  const nm = join(root, 'node_modules');
  const poseDir = join(nm, '@mediapipe', 'pose');
  const visionWasmDir = join(nm, '@mediapipe', 'tasks-vision', 'wasm');
  const tfjsDistDir = join(nm, '@tensorflow', 'tfjs-backend-wasm', 'dist');

  // Inputs (pinned hashes verified here, before anything else).
  const loader = readVerified(poseDir, 'pose_solution_packed_assets_loader.js').toString('utf8');
  const packed = readVerified(poseDir, 'pose_solution_packed_assets.data');
  const landmarkModels = Object.fromEntries(
    POSE_MODEL_VARIANTS.map((v) => [v, readVerified(poseDir, LANDMARK_FILE[v])]),
  ) as Record<PoseModelVariant, Buffer>;

  const visionWasm = listFiles(visionWasmDir, () => true);
  if (visionWasm.length === 0)
    throw new Error(`no wasm fileset in ${visionWasmDir} (is @mediapipe/tasks-vision installed?)`);
  const tfjsWasm = listFiles(tfjsDistDir, (n) => n.endsWith('.wasm'));
  if (tfjsWasm.length === 0)
    throw new Error(`no .wasm files in ${tfjsDistDir} (is @tensorflow/tfjs-backend-wasm installed?)`);
  const copies = [
    ...visionWasm.map((n) => ({ from: join(visionWasmDir, n), to: `wasm/mediapipe/${n}` })),
    ...tfjsWasm.map((n) => ({ from: join(tfjsDistDir, n), to: `wasm/tfjs/${n}` })),
  ];
  const copyData = new Map(copies.map((c) => [c.to, readFileSync(c.from)]));

  const key = sha256(
    JSON.stringify({
      builder: BUILDER_VERSION,
      source: [
        ...listFiles(HERE, (n) => n.endsWith('.ts')).map((n) => [n, sha256(readFileSync(join(HERE, n)))]),
        ...SHARED_SOURCES.map((n) => [n, sha256(readFileSync(join(HERE, '..', '..', n)))]),
      ],
      pose: [loader, packed, ...POSE_MODEL_VARIANTS.map((v) => landmarkModels[v])].map((b) => sha256(b)),
      copies: [...copyData].map(([to, d]) => [to, sha256(d)]),
    }),
  );

  const previous = readManifest(outDir);
  if (!opts.force && previous && previous.inputKey === key && outputsIntact(outDir, previous)) {
    log(`assets up to date (${Object.keys(previous.outputs).length} files in ${outDir})`);
    return { skipped: true, outDir, manifest: previous, ms: performance.now() - t0 };
  }

  const outputs: Record<string, Uint8Array> = {};
  const detector = withMetadata(
    'pose detector',
    extractDetector(loader, packed),
    { ...DETECTOR_META, ...DETECTOR_NORMALIZATION },
    224,
  );
  for (const v of POSE_MODEL_VARIANTS) {
    const pruned = pruneSegmentationHead(landmarkModels[v]);
    const r = pruned.report;
    log(
      `pose landmarker ${v}: segmentation head pruned, ${r.opsBefore} → ${r.opsAfter} ops, ${(r.macsBefore / 1e6).toFixed(0)} → ${(r.macsAfter / 1e6).toFixed(0)} M MACs per frame`,
    );
    const landmarker = withMetadata(
      `pose landmarker ${v}`,
      pruned.model,
      { ...LANDMARKER_META, ...LANDMARKER_NORMALIZATION },
      256,
    );
    outputs[`models/pose/pose_landmarker_${v}.task`] = await zipStored([
      { name: DETECTOR_ENTRY, data: detector },
      { name: LANDMARKER_ENTRY, data: landmarker },
    ]);
  }
  for (const [to, d] of copyData) outputs[to] = d;

  // Remove stale files in the directories this builder owns.
  for (const dir of ['models/pose', 'wasm/mediapipe', 'wasm/tfjs']) {
    const abs = join(outDir, dir);
    for (const n of listFiles(abs, () => true)) {
      if (!(`${dir}/${n}` in outputs)) rmSync(join(abs, n), { force: true });
    }
  }

  const manifestOutputs: Record<string, ManifestEntry> = {};
  for (const rel of Object.keys(outputs).sort()) {
    const data = outputs[rel]!;
    const abs = join(outDir, rel);
    const hash = sha256(data);
    const prev = previous?.outputs[rel];
    const same = prev && prev.sha256 === hash && existsSync(abs) && statSync(abs).size === data.length;
    if (!same || opts.force) writeAtomic(abs, data);
    manifestOutputs[posix(relative(outDir, abs))] = { sha256: hash, bytes: data.length };
  }
  const manifest: AssetManifest = {
    builderVersion: BUILDER_VERSION,
    inputKey: key,
    mediapipePose: MEDIAPIPE_POSE_VERSION,
    tasksVision: pkgVersion(join(nm, '@mediapipe', 'tasks-vision')),
    tfjsBackendWasm: pkgVersion(join(nm, '@tensorflow', 'tfjs-backend-wasm')),
    outputs: manifestOutputs,
  };
  writeAtomic(join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  log(`built ${Object.keys(outputs).length} asset files into ${outDir}`);
  return { skipped: false, outDir, manifest, ms: performance.now() - t0 };
}
