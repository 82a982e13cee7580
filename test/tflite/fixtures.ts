/** Real-looking keypoint input: the squat clip of shared/fixtures/pose-reference turned into [24, 132]. */
import { existsSync, readFileSync } from 'node:fs';
import { fixture } from '../support/fixtures';

function findFixture(): string | undefined {
  const file = fixture('pose-reference', 'pose_squats.full.json');
  return existsSync(file) ? file : undefined;
}

/**
 * N evenly sampled frames × 33 landmarks × (x, y, z, visibility), x/y normalized to [0,1] by the clip's
 * extent, z by the width, visibility 1. `dropFrames` are zeroed (a missing person). Synthetic motion when
 * the fixture is not available.
 */
export function squatClip(N = 24, dropFrames: number[] = []): { data: Float32Array; source: string } {
  const file = findFixture();
  const out = new Float32Array(N * 132);
  if (file) {
    const frames = JSON.parse(readFileSync(file, 'utf8')) as number[][][];
    let maxX = 1;
    let maxY = 1;
    for (const f of frames)
      for (const [x, y] of f) {
        maxX = Math.max(maxX, x);
        maxY = Math.max(maxY, y);
      }
    const W = Math.ceil(maxX / 100) * 100;
    const Hh = Math.ceil(maxY / 100) * 100;
    for (let t = 0; t < N; t++) {
      const f = frames[Math.min(frames.length - 1, Math.floor(((t + 0.5) * frames.length) / N))];
      f.forEach(([x, y, z], j) => out.set([x / W, y / Hh, z / W, 1], t * 132 + j * 4));
    }
  } else {
    for (let t = 0; t < N; t++)
      for (let j = 0; j < 33; j++) {
        const ph = (2 * Math.PI * t) / N;
        out.set(
          [0.4 + 0.01 * j, 0.3 + 0.012 * j + 0.1 * Math.sin(ph) * (j > 22 ? 0.3 : 1), -0.1 + 0.003 * j, 1],
          t * 132 + j * 4,
        );
      }
  }
  for (const t of dropFrames) out.fill(0, t * 132, (t + 1) * 132);
  return { data: out, source: file ?? 'synthetic' };
}
