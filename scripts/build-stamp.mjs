// @ts-check
// `npm start` rebuilds only when what the build reads has changed (a rebuild takes 8-13 s).
// The build ends with `build-stamp.mjs write`: a hash of its inputs goes to dist/.build-inputs.
// `build-stamp.mjs check` exits 0 when dist/ was built from the inputs as they are now, 1 otherwise.
// A content hash rather than times: a checkout or a touch that changes nothing rebuilds nothing,
// and switching back to a branch whose dist was built is seen as fresh.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What `npm run build` reads, relative to the package root: folders are read whole. */
export const BUILD_INPUTS = [
  'src',
  'openapi.yaml',
  'admin-openapi.yaml',
  'schema',
  'tsconfig.json',
  'tsconfig.build.json',
  'package.json',
  'package-lock.json',
  'scripts/copy-ui-assets.mjs',
  'scripts/build-specs.mjs',
];
export const STAMP = join('dist', '.build-inputs');

/** @param {string} root @param {string} path @returns {string[]} */
function files(root, path) {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

/** @param {string} root @returns {string} */
export function inputsHash(root) {
  const hash = createHash('sha256');
  for (const file of BUILD_INPUTS.flatMap((path) => files(root, path)).sort()) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** @param {string} root @returns {boolean} */
export function isFresh(root) {
  const stamp = join(root, STAMP);
  return existsSync(stamp) && existsSync(join(root, 'dist', 'cli.js')) && readFileSync(stamp, 'utf8').trim() === inputsHash(root);
}

/** @param {string} root */
export function writeStamp(root) {
  writeFileSync(join(root, STAMP), `${inputsHash(root)}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const mode = process.argv[2];
  if (mode === 'write') writeStamp(root);
  else if (mode === 'check') {
    if (isFresh(root)) console.error('dist/ is up to date with the sources: no rebuild.');
    else process.exitCode = 1;
  } else {
    console.error('usage: build-stamp.mjs write|check');
    process.exitCode = 2;
  }
}
