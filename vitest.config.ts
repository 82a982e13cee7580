import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Generous: at load ≈20 on 2 cores (agents sharing the machine) ffmpeg/CLI/training tests slow down several
    // times; the 60 s default failed two CLI training tests (94 s, 68 s) that pass on a quieter box. A hang still fails.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // 2 cores: keep parallelism modest so heavy suites (tfjs, ffmpeg) do not starve each other.
    maxWorkers: 2,
  },
});
