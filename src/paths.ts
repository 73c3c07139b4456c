/**
 * Files that ship with the package (the OpenAPI documents, the scenario schema, the shipped
 * scenarios), found relative to this module so they resolve the same from `src/` under vitest
 * and from `dist/` once installed.
 */
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function packagePath(relative: string): string {
  return join(root, relative);
}

/**
 * A file the build derives from a source file (both relative to the package root), as an
 * absolute path, when it exists and is not older than its source; else null (no build, or a
 * source edited since: the caller then works from the source itself).
 */
export function builtFrom(built: string, source: string): string | null {
  const file = packagePath(built);
  try {
    return statSync(file).mtimeMs >= statSync(packagePath(source)).mtimeMs ? file : null;
  } catch {
    return null;
  }
}

/** The CommonJS module the build derived from `source` (see `builtFrom`), loaded; null when there is none to use. */
export function requireBuilt<T>(built: string, source: string): T | null {
  const file = builtFrom(built, source);
  return file === null ? null : (createRequire(import.meta.url)(file) as T);
}
