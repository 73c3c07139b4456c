/**
 * Swagger UI at `/docs`, for both documents: the PhoneMatch API (`/openapi.json`, the static
 * document of `@fastify/swagger`) and the control API (`/__admin/openapi.json`). Swagger UI's own
 * assets come from the `@fastify/swagger-ui` package, served by the mock: no CDN. And the first
 * clicks: `/` and `/__admin` lead to the inbox rather than to a JSON 404.
 */
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import type { OpenApiDocument } from './spec.js';
import { UI_PATH } from './ui-routes.js';

export const DOCS_PATH = '/docs';

/**
 * A document as this mock serves it: its one server is the mock itself, as a relative URL, so
 * "Try it out" reaches the address the page was opened at (whatever the port), and never the
 * real service (the spec's own `servers` name production and the default port).
 */
export function servedByThisMock(doc: OpenApiDocument): OpenApiDocument {
  return { ...doc, servers: [{ url: '/', description: 'this phonematch-mock (the address these docs are served from)' }] };
}

// The project's name in the top bar and the tab, not Fastify's logo and icon.
const LOGO = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="220" height="40" viewBox="0 0 220 40">' +
    '<rect x="2" y="4" width="20" height="32" rx="4" fill="none" stroke="#fff" stroke-width="3"/>' +
    '<circle cx="12" cy="30" r="2" fill="#fff"/>' +
    '<text x="32" y="27" font-family="sans-serif" font-size="20" font-weight="bold" fill="#fff">phonematch-mock</text></svg>',
);
const ICON = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect x="3" y="1" width="10" height="14" rx="2" fill="#1f6feb"/>' +
    '<circle cx="8" cy="12" r="1.2" fill="#fff"/></svg>',
);

export async function docsRoutes(app: FastifyInstance): Promise<void> {
  await app.register(swaggerUi, {
    routePrefix: DOCS_PATH,
    uiConfig: {
      // Swagger UI's multi-document mode: a picker in the top bar; the first entry opens first.
      urls: [
        { url: '/openapi.json', name: 'PhoneMatch API' },
        { url: '/__admin/openapi.json', name: 'phonematch-mock control API' },
      ],
      deepLinking: true,
      displayRequestDuration: true,
    },
    logo: { type: 'image/svg+xml', content: LOGO, href: DOCS_PATH },
    theme: {
      title: 'phonematch-mock API docs',
      favicon: [{ filename: 'favicon.svg', rel: 'icon', sizes: 'any', type: 'image/svg+xml', content: ICON }],
    },
    // validator.swagger.io would be an external request: keep it off.
    validatorUrl: false,
  });

  // The first clicks: the root and the control API's root open the inbox, the query (an admin token) kept.
  const toInbox = (url: string) => `${UI_PATH}${url.includes('?') ? url.slice(url.indexOf('?')) : ''}`;
  for (const path of ['/', '/__admin', '/__admin/']) {
    app.get(path, { schema: { hide: true } }, (request, reply) => reply.redirect(toInbox(request.url), 302));
  }
}
