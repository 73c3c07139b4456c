/**
 * Files that ship with the package (the OpenAPI documents, the scenario schema, the shipped
 * scenarios), found relative to this module so they resolve the same from `src/` under vitest
 * and from `dist/` once installed.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function packagePath(relative: string): string {
  return join(root, relative);
}
