/**
 * The inbox page (`/__admin/ui`); the live event stream it reads is in events.ts.
 *
 * The page is static code compiled to `dist/ui` by the build; it holds no data, so it is served
 * without the admin token and asks for the token only when it calls the control API. The event
 * stream is a control-API operation (its handler is registered by `adminRoutes`, behind the
 * token check).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { PhoneMatchError } from '../domain/errors.js';
import { packagePath } from '../paths.js';

export const UI_PATH = '/__admin/ui';

const ASSETS: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'inbox.js': 'text/javascript; charset=utf-8',
  'inbox.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

// Everything the page needs comes from the mock itself: no CDN, no external request.
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'";

export async function uiRoutes(app: FastifyInstance, opts: { dir?: string } = {}): Promise<void> {
  const dir = opts.dir ?? packagePath('dist/ui');

  // Read on each request (three small files): a rebuilt page shows up without a restart.
  const serve = async (file: string, reply: FastifyReply) => {
    const type = ASSETS[file];
    if (!type) throw new PhoneMatchError('adminNotFound', `The inbox has no file '${file}'.`);
    let content: Buffer;
    try {
      content = await readFile(join(dir, file));
    } catch {
      throw new PhoneMatchError('adminNotFound', `The inbox page is not built (${file} missing): run npm run build.`);
    }
    return reply.header('content-type', type).header('cache-control', 'no-cache').header('content-security-policy', CSP).send(content);
  };

  app.get(UI_PATH, { schema: { hide: true } }, (_request, reply) => serve('index.html', reply));
  // The page's asset paths are absolute, but a trailing slash would still confuse relative links.
  app.get(`${UI_PATH}/`, { schema: { hide: true } }, (request, reply) => {
    const query = request.url.indexOf('?');
    return reply.redirect(`${UI_PATH}${query >= 0 ? request.url.slice(query) : ''}`);
  });
  app.get<{ Params: { file: string } }>(`${UI_PATH}/:file`, { schema: { hide: true } }, (request, reply) =>
    serve(request.params.file, reply),
  );
}
