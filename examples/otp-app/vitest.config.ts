import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // In this repository the example uses the mock's sources; an app of yours imports the package.
    alias: { 'phonematch-mock': fileURLToPath(new URL('../../src/index.ts', import.meta.url)) },
  },
  test: {
    name: 'example: otp-app',
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 10_000,
  },
});
