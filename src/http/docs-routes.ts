/**
 * Swagger UI at `/docs`, for both documents: the PhoneMatch API (`/openapi.json`, the static
 * document of `@fastify/swagger`) and the control API (`/__admin/openapi.json`). Swagger UI's own
 * assets come from the `@fastify/swagger-ui` package, served by the mock: no CDN.
 */
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

export const DOCS_PATH = '/docs';

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
    theme: { title: 'phonematch-mock API docs' },
    // validator.swagger.io would be an external request: keep it off.
    validatorUrl: false,
  });
}
