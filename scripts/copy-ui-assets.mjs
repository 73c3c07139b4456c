// Part of `npm run build`: the inbox page's HTML and CSS go beside its compiled script in dist/ui.
// (tsc compiles src/ui/*.ts there; no bundler is needed for one small module.)
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const from = join(root, 'src', 'ui');
const to = join(root, 'dist', 'ui');
mkdirSync(to, { recursive: true });
for (const file of readdirSync(from)) {
  if (/\.(html|css|svg)$/.test(file)) copyFileSync(join(from, file), join(to, file));
}
