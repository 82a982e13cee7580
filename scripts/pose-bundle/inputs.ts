/**
 * The input files of the pose bundles, from @mediapipe/pose@0.5.1675469404, pinned by sha256.
 * A different package version (or a corrupted install) fails loudly instead of producing bundles
 * with unknown behaviour.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PoseModelVariant } from '../../src-shared/keypoints/format.js';

export const MEDIAPIPE_POSE_VERSION = '0.5.1675469404';

export const KNOWN_INPUTS = {
  'pose_landmark_lite.tflite': 'f17bfbecadb61c3be1baa8b8d851cc6619c870a87167b32848ad20db306b9d61',
  'pose_landmark_full.tflite': 'e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f',
  'pose_landmark_heavy.tflite': '59e42d71bcd44cbdbabc419f0ff76686595fd265419566bd4009ef703ea8e1fe',
  'pose_solution_packed_assets.data': 'a63c614bef30d35947f13be361820b1e4e3bec9cfeebf4d11216a18373108e85',
  'pose_solution_packed_assets_loader.js': 'd7aa29b7d8e11b5c97a58d719e982dd15c2de72995d95112d60492b854840a36',
} as const;
export type InputName = keyof typeof KNOWN_INPUTS;

/** The detector model inside the packed .data, as listed by the loader script (verified against it). */
export const DETECTOR_PACKED_PATH = '/third_party/mediapipe/modules/pose_detection/pose_detection.tflite';
export const DETECTOR_EXPECTED = {
  start: 0,
  end: 2962288,
  sha256: 'a63c614bef30d35947f13be361820b1e4e3bec9cfeebf4d11216a18373108e85',
};

export const LANDMARK_FILE: Record<PoseModelVariant, InputName> = {
  lite: 'pose_landmark_lite.tflite',
  full: 'pose_landmark_full.tflite',
  heavy: 'pose_landmark_heavy.tflite',
};

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export class InputMismatchError extends Error {}

/** Reads an input file and checks its sha256 against the pinned value. */
export function readVerified(pkgDir: string, name: InputName): Buffer {
  const path = join(pkgDir, name);
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (e) {
    throw new InputMismatchError(
      `missing ${path} (is @mediapipe/pose@${MEDIAPIPE_POSE_VERSION} installed?): ${(e as Error).message}`,
    );
  }
  const got = sha256(data);
  if (got !== KNOWN_INPUTS[name]) {
    throw new InputMismatchError(
      `${path}: sha256 ${got} differs from the pinned ${KNOWN_INPUTS[name]}. ` +
        `The pose bundles are built from @mediapipe/pose@${MEDIAPIPE_POSE_VERSION} exactly; reinstall that version ` +
        `(npm ci) or, if the package was deliberately upgraded, re-validate the bundles and update KNOWN_INPUTS in scripts/pose-bundle/inputs.ts.`,
    );
  }
  return data;
}

export interface PackedFile {
  filename: string;
  start: number;
  end: number;
}

/** Parses the `loadPackage({...})` call of an Emscripten file_packager loader script. */
export function parsePackedAssetsLoader(script: string): { files: PackedFile[]; remotePackageSize: number } {
  const m = /loadPackage\((\{"files":[\s\S]*?\})\);/.exec(script);
  if (!m) throw new Error('packed-assets loader: no loadPackage({"files": ...}) call found');
  const meta = JSON.parse(m[1]!) as { files?: unknown; remote_package_size?: unknown };
  if (!Array.isArray(meta.files) || typeof meta.remote_package_size !== 'number') {
    throw new Error('packed-assets loader: unexpected loadPackage metadata shape');
  }
  const files = meta.files.map((f: { filename?: unknown; start?: unknown; end?: unknown }) => {
    if (typeof f.filename !== 'string' || !Number.isInteger(f.start) || !Number.isInteger(f.end)) {
      throw new Error('packed-assets loader: bad file entry ' + JSON.stringify(f));
    }
    return { filename: f.filename, start: f.start as number, end: f.end as number };
  });
  return { files, remotePackageSize: meta.remote_package_size };
}

/** Extracts pose_detection.tflite from the packed .data using the loader's offsets, and verifies it. */
export function extractDetector(loaderScript: string, packed: Uint8Array): Uint8Array {
  const { files, remotePackageSize } = parsePackedAssetsLoader(loaderScript);
  if (remotePackageSize !== packed.length) {
    throw new Error(`packed-assets: loader says ${remotePackageSize} bytes, .data has ${packed.length}`);
  }
  const entry = files.find((f) => f.filename === DETECTOR_PACKED_PATH);
  if (!entry) throw new Error(`packed-assets: ${DETECTOR_PACKED_PATH} not listed in the loader`);
  if (!(entry.start >= 0 && entry.start < entry.end && entry.end <= packed.length)) {
    throw new Error(`packed-assets: bad range ${entry.start}..${entry.end} for ${packed.length} bytes`);
  }
  if (entry.start !== DETECTOR_EXPECTED.start || entry.end !== DETECTOR_EXPECTED.end) {
    throw new Error(
      `packed-assets: detector range ${entry.start}..${entry.end}, expected ${DETECTOR_EXPECTED.start}..${DETECTOR_EXPECTED.end}`,
    );
  }
  const detector = packed.subarray(entry.start, entry.end);
  const got = sha256(detector);
  if (got !== DETECTOR_EXPECTED.sha256)
    throw new Error(`packed-assets: extracted detector sha256 ${got} ≠ ${DETECTOR_EXPECTED.sha256}`);
  return detector;
}
