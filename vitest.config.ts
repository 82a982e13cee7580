import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // 2 cores: keep parallelism modest so heavy suites (tfjs, ffmpeg) do not starve each other.
    maxWorkers: 2,
  },
});
