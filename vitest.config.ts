import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // One run, one summary: the mock's own suite and the example app's (examples/otp-app), which
    // starts the mock in its global setup as a user's suite would.
    projects: [{ extends: true, test: { name: 'phonematch-mock', include: ['test/**/*.test.ts'] } }, 'examples/otp-app/vitest.config.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Child processes (CLI smoke, Pact's native core, Chromium) are safest in forked workers.
    pool: 'forks',
    env: { PACT_DO_NOT_TRACK: 'true' },
  },
});
