import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    // Store and bus tests use real files and sockets; two cores, so keep parallelism modest.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    // The e2e tests open the built renderer: build it once, before any test runs, when it is missing or stale.
    globalSetup: ['tests/e2e/global-setup.ts'],
    hookTimeout: 30_000,
  },
});
