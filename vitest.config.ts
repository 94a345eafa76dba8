import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Two test files at a time even on a 2-core machine (vitest's default keeps one core free, which
    // there means one file at a time): most files wait on child processes and files as much as on a core.
    maxWorkers: 2,
  },
});
