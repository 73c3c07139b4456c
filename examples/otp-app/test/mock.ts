/**
 * Each test file gets its own namespace of the one mock the global setup started: the API user
 * the app logs in with (the mock files a request without an `x-phonematch-namespace` header under
 * its user). Its helpers, its reset, its scenarios and its clock are that namespace's only, so
 * files running in parallel workers never see or wipe each other's codes.
 */
import { basename } from 'node:path';
import { connectMock } from 'phonematch-mock';
import { afterEach, inject } from 'vitest';
import { createOtpApp } from '../src/otp-app.js';

export function mockForFile(file: string) {
  const user = `${basename(file).replace(/\.test\.ts$/, '')}@shop.example`;
  const mock = connectMock(inject('phonematchUrl')).scoped(user);
  const app = createOtpApp({ baseUrl: mock.url, user, pass: 'secret' });
  afterEach(() => mock.reset()); // this file's namespace only
  return { mock, app };
}
