/**
 * The exported TFLite's "preprocessing" block is enough to build the model input: this file re-implements the
 * documented steps reading only that block (indices, factors, thresholds, formulas as stated there) and must get
 * the app's model input (modelInput) exactly, on real landmarks, with missing frames, resampling and the fallbacks.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { exportTflite, type ExportArchitecture } from '../../src-shared/tflite/exporter';
import { metadataText, readTflite } from '../../src-shared/tflite/reader';
import { modelInput } from '../../src-shared/scoring/model-input';
import { randomParams } from './reference';
import { fixture } from '../support/fixtures';

type Block = {
  input: { shape: number[]; landmarks: string[] };
  frameSampling: { frames: number };
  missingFrame: { value: number };
  hipCentre: { landmarks: [number, number] };
  scale: {
    minimum: number;
    torso: { shoulders: [number, number]; hips: [number, number] };
    fallbacks: Array<{ name: string; factor?: number; value?: number }>;
  };
  output: { exercise: { classes: string[] } | null; score: { scale: number; activation: string } };
};

const arch: ExportArchitecture = {
  kind: 'tiny',
  numFrames: 16,
  numExercises: 14,
  layers: [{ kind: 'bilstm', name: 'l', units: 2, returnSequences: false }],
};
const block = (() => {
  const ex = exportTflite(arch, randomParams(arch, 2));
  return (JSON.parse(metadataText(readTflite(ex.bytes), 'form_studio')!) as { preprocessing: Block }).preprocessing;
})();

/** The documented steps, written from the block (a phone developer's implementation). */
function fromBlock(b: Block, frames: Array<number[] | null>, ar: number): Float32Array {
  const L = b.input.landmarks.length;
  const F = L * 4;
  const N = b.frameSampling.frames;
  const valid = (f: number[] | null): f is number[] => !!f && f.length === F && f.every(Number.isFinite);
  const mid = (f: number[], [a, c]: [number, number], k: number) => (f[a * 4 + k] + f[c * 4 + k]) / 2;
  const median = (a: number[]) => {
    const s = a.slice().sort((x, y) => x - y);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  };
  const { minimum, torso, fallbacks } = b.scale;
  const torsos: number[] = [];
  const diags: number[] = [];
  for (const f of frames.filter(valid)) {
    const t = Math.hypot(
      mid(f, torso.shoulders, 0) * ar - mid(f, torso.hips, 0) * ar,
      mid(f, torso.shoulders, 1) - mid(f, torso.hips, 1),
    );
    if (t > minimum) torsos.push(t);
    const xs = Array.from({ length: L }, (_, i) => f[i * 4] * ar);
    const ys = Array.from({ length: L }, (_, i) => f[i * 4 + 1]);
    const d = Math.hypot(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
    if (d > minimum) diags.push(d);
  }
  const diag = fallbacks.find((x) => x.name === 'bodyDiagonal')!;
  const constant = fallbacks.find((x) => x.name === 'constant')!;
  const s =
    torsos.length && torsos.length * 2 >= diags.length
      ? median(torsos)
      : diags.length
        ? diag.factor! * median(diags)
        : constant.value!;
  const own = new Float32Array(frames.length * F).fill(b.missingFrame.value);
  frames.forEach((f, j) => {
    if (!valid(f)) return;
    const [cx, cy, cz] = [
      mid(f, b.hipCentre.landmarks, 0) * ar,
      mid(f, b.hipCentre.landmarks, 1),
      mid(f, b.hipCentre.landmarks, 2),
    ];
    for (let i = 0; i < L; i++) {
      own[j * F + i * 4] = (f[i * 4] * ar - cx) / s;
      own[j * F + i * 4 + 1] = (f[i * 4 + 1] - cy) / s;
      own[j * F + i * 4 + 2] = (f[i * 4 + 2] - cz) / s;
      own[j * F + i * 4 + 3] = f[i * 4 + 3];
    }
  });
  const M = frames.length;
  if (M === N) return own;
  const out = new Float32Array(N * F).fill(b.missingFrame.value);
  for (let j = 0; j < N; j++) {
    const p = Math.min(M - 1, Math.max(0, ((j + 0.5) * M) / N - 0.5));
    const i0 = Math.floor(p);
    const i1 = Math.min(M - 1, i0 + 1);
    const w = p - i0;
    const nearest = w < 0.5 ? i0 : i1;
    if (!valid(frames[nearest])) continue;
    if (valid(frames[i0]) && valid(frames[i1]))
      for (let k = 0; k < F; k++) out[j * F + k] = own[i0 * F + k] * (1 - w) + own[i1 * F + k] * w;
    else out.set(own.subarray(nearest * F, (nearest + 1) * F), j * F);
  }
  return out;
}

const REF = fixture('pose-reference', 'pose_squats.full.json');
function realFrames(n: number): Array<number[] | null> {
  if (existsSync(REF)) {
    const ref = JSON.parse(readFileSync(REF, 'utf8')) as number[][][];
    return Array.from({ length: n }, (_, i) =>
      ref[(i * 3) % ref.length].flatMap(([x, y, z]) => [x / 720, y / 1280, z / 720, 0.5 + 0.01 * (i % 40)]),
    );
  }
  return Array.from({ length: n }, (_, t) =>
    Array.from({ length: 132 }, (_, i) => (i % 4 === 3 ? 0.9 : 0.2 + 0.004 * i + 0.01 * Math.sin(t))),
  );
}

describe('preprocessing block', () => {
  it('states the numbers a phone app needs', () => {
    expect(block.input.shape).toEqual([1, 16, 132]);
    expect(block.input.landmarks[23]).toBe('left_hip');
    expect(block.output.exercise?.classes).toHaveLength(14);
    expect(block.output.score).toMatchObject({ activation: 'sigmoid', scale: 100 });
  });

  it("re-implemented from the block alone, it gives the app's model input exactly", () => {
    const ar = 720 / 1280;
    const same = realFrames(16);
    same[3] = null;
    same[9] = same[9]!.map((v, i) => (i === 5 ? NaN : v)); // an invalid frame counts as missing
    expect(fromBlock(block, same, ar)).toEqual(modelInput({ frames: same }, 16, ar));
    // Resampling (41 → 16 frames) with missing neighbours.
    const more = realFrames(41);
    [0, 7, 8, 20, 40].forEach((i) => (more[i] = null));
    expect(fromBlock(block, more, ar)).toEqual(modelInput({ frames: more }, 16, ar));
    const fewer = realFrames(9);
    fewer[4] = null;
    expect(fromBlock(block, fewer, 1.5)).toEqual(modelInput({ frames: fewer }, 16, 1.5));
  });

  it('the fallbacks: no usable torso → half the body diagonal; nothing valid → zeros', () => {
    const flat = realFrames(16).map((f) => {
      const g = f!.slice();
      for (const i of [11, 12]) [g[i * 4], g[i * 4 + 1]] = [g[23 * 4], g[23 * 4 + 1]]; // shoulders on the hips
      for (const i of [24]) [g[i * 4], g[i * 4 + 1]] = [g[23 * 4], g[23 * 4 + 1]];
      return g;
    });
    expect(fromBlock(block, flat, 1)).toEqual(modelInput({ frames: flat }, 16, 1));
    const none = new Array<number[] | null>(16).fill(null);
    expect(fromBlock(block, none, 1)).toEqual(modelInput({ frames: none }, 16, 1));
  });
});
