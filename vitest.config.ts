import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Child processes (CLI smoke, Pact's native core, Chromium) are safest in forked workers.
    pool: 'forks',
    env: { PACT_DO_NOT_TRACK: 'true' },
  },
});
