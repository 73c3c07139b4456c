import { describe, expect, it } from 'vitest';
import { makeApp } from '../helpers/app.js';

describe('Swagger UI at /docs', () => {
  it('serves its page and every asset from the mock itself', async () => {
    const app = await makeApp();
    const page = await app.inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<title>phonematch-mock API docs</title>');
    // Every script and style the page loads is a local path, none is on a CDN.
    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const asset of assets) {
      expect(asset, asset).toMatch(/^\/docs\/static\//);
      const res = await app.inject({ method: 'GET', url: asset });
      expect(res.statusCode, asset).toBe(200);
    }
    const bundle = await app.inject({ method: 'GET', url: '/docs/static/swagger-ui-bundle.js' });
    expect(bundle.headers['content-type']).toContain('javascript');
    expect(bundle.body.length).toBeGreaterThan(100_000);
  });

  it('offers both documents, the PhoneMatch API first, and no external validator', async () => {
    const app = await makeApp();
    const init = await app.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' });
    expect(init.statusCode).toBe(200);
    const phoneMatch = init.body.indexOf('"/openapi.json"');
    const admin = init.body.indexOf('"/__admin/openapi.json"');
    expect(phoneMatch).toBeGreaterThan(0);
    expect(admin).toBeGreaterThan(phoneMatch);
    expect(init.body).toContain('validatorUrl: null');

    const spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(spec.paths)).toContain('/process/comprehensive/gateway');
    const control = (await app.inject({ method: 'GET', url: '/__admin/openapi.json' })).json();
    expect(control.paths['/__admin/events'].get.operationId).toBe('streamEvents');
  });

  it('stays open when the control API needs a token (the documents hold no data)', async () => {
    const app = await makeApp({ adminToken: 'tok' });
    expect((await app.inject({ method: 'GET', url: '/docs' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/__admin/openapi.json' })).statusCode).toBe(200);
  });
});

describe('the first clicks', () => {
  it('Swagger UI tries requests on this mock, at the address it was opened at, and never on production', async () => {
    const app = await makeApp();
    for (const url of ['/openapi.json', '/__admin/openapi.json']) {
      const doc = (await app.inject({ method: 'GET', url })).json();
      expect(doc.servers, url).toEqual([{ url: '/', description: expect.stringContaining('this phonematch-mock') }]);
      expect(JSON.stringify(doc.servers)).not.toMatch(/production|8080/);
    }
  });

  it('carries the project name and icon, not Fastify’s', async () => {
    const app = await makeApp();
    const page = await app.inject({ method: 'GET', url: '/docs' });
    expect(page.body).toContain('<title>phonematch-mock API docs</title>');
    expect(page.body).toContain('favicon.svg');
    expect(page.body).not.toMatch(/favicon-32x32\.png/);
    const init = await app.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' });
    const logo = /data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)/.exec(init.body)?.[1] ?? '';
    expect(Buffer.from(logo, 'base64').toString()).toContain('phonematch-mock');
  });

  it.each([
    ['/', '/__admin/ui'],
    ['/__admin', '/__admin/ui'],
    ['/__admin/', '/__admin/ui'],
    ['/__admin?token=abc', '/__admin/ui?token=abc'],
  ])('%s leads to the inbox', async (url, location) => {
    const app = await makeApp({ adminToken: 'abc' });
    const res = await app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(location);
  });
});
