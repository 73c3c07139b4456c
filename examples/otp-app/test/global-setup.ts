/**
 * Starts one PhoneMatch mock for the whole run. Global setup runs in vitest's main process, the
 * tests in workers: they get the URL through `inject('phonematchUrl')` and reach the mock's
 * control API with `connectMock(url)`.
 */
import { startMock } from 'phonematch-mock';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    phonematchUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const mock = await startMock({ port: 0 }); // the shipped scenarios; add `scenarios: './scenarios'` for your own
  project.provide('phonematchUrl', mock.url);
  return () => mock.close();
}
