import { defineConfig } from 'vitest/config';

// The tests start a few hundred Node processes (the CLI, workers, servers). A CA bundle named in
// NODE_EXTRA_CA_CERTS is parsed by every one of them at start-up (~40 ms each on a 2-core machine), and
// nothing under test makes a TLS connection: the test processes and their children go without it.
delete process.env.NODE_EXTRA_CA_CERTS;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Two test files at a time even on a 2-core machine (vitest's default keeps one core free, which
    // there means one file at a time): most files wait on child processes and files as much as on a core.
    maxWorkers: 2,
    // A worker process runs file after file without re-importing the library for each (no test mocks modules
    // or leaves globals changed): ~25 s less CPU over the suite.
    isolate: false,
  },
});
