/**
 * Request errors (reference section 6) through `app.inject`: every code, its message and
 * detail, HTTP 400 with the `meta.timestamp` + `error` envelope, plus the transport errors
 * (413, 404). Every body is checked against openapi.yaml.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { createClock } from '../../src/domain/clock.js';
import { gatewayBody, makeApp } from '../helpers/app.js';
import { expectSpecResponse } from '../helpers/spec.js';

const GATEWAY = '/process/comprehensive/gateway';
const CONTINUE = '/process/continue';
const NO_SCENARIOS = { scenarios: null };

interface Sent {
  url?: string;
  payload?: string | object;
  headers?: Record<string, string>;
}

async function post(app: FastifyInstance, { url = GATEWAY, payload, headers }: Sent) {
  const res = await app.inject({ method: 'POST', url, ...(payload === undefined ? {} : { payload }), ...(headers ? { headers } : {}) });
  return { status: res.statusCode, body: res.json() as Record<string, any>, res };
}

/** Posts and expects the documented error envelope; returns the `error` object. */
async function expectError(app: FastifyInstance, sent: Sent, code: string, message: string, status = 400) {
  const { status: got, body, res } = await post(app, sent);
  expect(got).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const operation = (sent.url ?? GATEWAY) === CONTINUE ? 'continue' : 'gateway';
  expectSpecResponse(operation, status, body);
  expect(Object.keys(body)).toEqual(['meta', 'error']);
  expect(body).not.toHaveProperty('result');
  expect(body.meta.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
  expect(body.error).toMatchObject({ code, message });
  expect(JSON.stringify(body)).not.toMatch(/\n\s+at /);
  return body.error as { code: string; message: string; detail: string };
}

const json = { 'content-type': 'application/json' };

// One app for the file: no request here changes anything another test depends on.
let shared: FastifyInstance | undefined;
beforeAll(async () => {
  shared = await buildApp({ logLevel: 'silent', watchScenarios: false, scenarios: null });
});
afterAll(async () => {
  await shared?.close();
});
function app(): FastifyInstance {
  if (!shared) throw new Error('the shared app is not ready');
  return shared;
}

describe('IN0 / No Query: an empty body', () => {
  it.each([
    ['no body at all', {}],
    ['an empty body', { payload: '', headers: json }],
    ['a white-space body', { payload: ' \n\t ', headers: json }],
    ['a white-space body with no content type', { payload: '   ' }],
  ] as [string, Sent][])('gateway: %s', async (_, sent) => {
    const error = await expectError(app(), sent, 'IN0', 'No Query');
    // Documented: IN0 has no detail key at all.
    expect(Object.keys(error)).toEqual(['message', 'code']);
  });

  it.each([
    ['no body at all', { url: CONTINUE }],
    ['a white-space body', { url: CONTINUE, payload: '  ', headers: json }],
  ] as [string, Sent][])('continue: %s', async (_, sent) => {
    expect(Object.keys(await expectError(app(), sent, 'IN0', 'No Query'))).toEqual(['message', 'code']);
  });
});

describe('IN1 / Query Not Parsable: the raw body as detail', () => {
  it.each(['{"user": "user@company.com",', 'user=a&pass=b', "{'single': 'quotes'}", '{"a":1}}'])('gateway: %j', async (raw) => {
    const error = await expectError(app(), { payload: raw, headers: json }, 'IN1', 'Query Not Parsable');
    expect(error.detail).toBe(raw);
  });

  it.each(['[1,2]', '"a string"', '42', 'null', 'true'])(
    'a JSON value that is no object (%s) is not a query (mock decision)',
    async (raw) => {
      const error = await expectError(app(), { payload: raw, headers: json }, 'IN1', 'Query Not Parsable');
      expect(error.detail).toBe(raw);
      await expectError(app(), { url: CONTINUE, payload: raw, headers: json }, 'IN1', 'Query Not Parsable');
    },
  );

  it('cuts the echoed body at 4 KiB (mock decision)', async () => {
    const raw = `{"x":"${'a'.repeat(10_000)}`;
    const error = await expectError(app(), { payload: raw, headers: json }, 'IN1', 'Query Not Parsable');
    expect(error.detail).toBe(`${raw.slice(0, 4096)}…`);
  });

  it('answers the continue endpoint the same way, with no content type too', async () => {
    const error = await expectError(app(), { url: CONTINUE, payload: '{"token":' }, 'IN1', 'Query Not Parsable');
    expect(error.detail).toBe('{"token":');
  });
});

describe('AUTH0 / Bad Login', () => {
  const detail = 'The user name or password is incorrect.';

  it.each([
    ['no user', { user: undefined }],
    ['no pass', { pass: undefined }],
    ['an empty user', { user: '' }],
    ['an empty pass', { pass: '' }],
    ['a user that is not a string', { user: 42 }],
  ])('open accounts: %s', async (_, overrides) => {
    const error = await expectError(app(), { payload: gatewayBody(overrides) }, 'AUTH0', 'Bad Login');
    expect(error.detail).toBe(detail);
  });

  it('with accounts: a wrong password or an unknown user', async () => {
    const withAccounts = await makeApp({ ...NO_SCENARIOS, accounts: [{ user: 'user@company.com', pass: 'PASSWORD' }] });
    await expectError(withAccounts, { payload: gatewayBody({ pass: 'wrong' }) }, 'AUTH0', 'Bad Login');
    await expectError(withAccounts, { payload: gatewayBody({ user: 'who@else.com' }) }, 'AUTH0', 'Bad Login');
    expect((await post(withAccounts, { payload: gatewayBody() })).status).toBe(200);
  });

  it('is checked before the shape of the body (mock decision)', async () => {
    await expectError(app(), { payload: { user: '', pass: 'p', service: 'Nope', target: 7 } }, 'AUTH0', 'Bad Login');
    await expectError(app(), { payload: { service: 'PhoneMatch5.0.SMS' } }, 'AUTH0', 'Bad Login');
  });
});

describe('QRY0 / No Target', () => {
  it.each([
    ['no target', undefined],
    ['a null target', null],
    ['a string target', '2015106000'],
    ['an array target', [{ phone: '2015106000' }]],
  ])('%s', async (_, target) => {
    const error = await expectError(app(), { payload: { ...gatewayBody(), target } }, 'QRY0', 'No Target');
    expect(error.detail).toBe('This service requires a target to be specified.');
  });
});

describe('QRY1 / Missing Required Input', () => {
  it.each([
    ['no phone', { fn: 'John' }, 'Phone'],
    ['an empty phone', { phone: '' }, 'Phone'],
    ['a white-space phone', { phone: '   ' }, 'Phone'],
    ['a null phone', { phone: null }, 'Phone'],
  ])('gateway: %s', async (_, target, name) => {
    const error = await expectError(app(), { payload: { ...gatewayBody(), target } }, 'QRY1', 'Missing Required Input');
    expect(error.detail).toBe(`Service requires ${name} to be specified.`);
  });

  it.each([
    ['no token', { codematch: { key: '123456' } }, 'Token'],
    ['an empty token', { token: '', codematch: { key: '123456' } }, 'Token'],
    ['no codematch', { token: 'o76m3nvz94jvaatfsmespzgx3qkzjjl1' }, 'Codematch'],
    ['no key', { token: 'o76m3nvz94jvaatfsmespzgx3qkzjjl1', codematch: {} }, 'Codematch Key'],
    [
      'a null key (the template sent back unfilled)',
      { token: 'o76m3nvz94jvaatfsmespzgx3qkzjjl1', codematch: { key: null } },
      'Codematch Key',
    ],
    ['an empty key', { token: 'o76m3nvz94jvaatfsmespzgx3qkzjjl1', codematch: { key: '' } }, 'Codematch Key'],
  ])('continue: %s', async (_, payload, name) => {
    const error = await expectError(app(), { url: CONTINUE, payload }, 'QRY1', 'Missing Required Input');
    expect(error.detail).toBe(`Service requires ${name} to be specified.`);
  });
});

describe('QRY2 / Input Failed Validation', () => {
  it.each([
    ['a numeric phone', gatewayBody({}, { phone: 2015106000 }), 'target.phone'],
    ['a phone longer than 64 characters', gatewayBody({}, { phone: '1'.repeat(65) }), 'target.phone'],
    ['a numeric reference', gatewayBody({ reference: 12345 }), 'reference'],
    ['a reference longer than 256 characters', gatewayBody({ reference: 'r'.repeat(257) }), 'reference'],
    ['a user longer than 256 characters', gatewayBody({ user: 'u'.repeat(257) }), 'user'],
    ['options that are not an object', gatewayBody({ options: 'sms' }), 'options'],
    [
      'do_not_send_to_types not a list',
      gatewayBody({ options: { outofband: { do_not_send_to_types: 'voip' } } }),
      'options.outofband.do_not_send_to_types',
    ],
    [
      'an unknown line type',
      gatewayBody({ options: { outofband: { do_not_send_to_types: ['fax'] } } }),
      'options.outofband.do_not_send_to_types.0',
    ],
    [
      'a country that is not ISO2',
      gatewayBody({ options: { outofband: { country: { blacklist: ['USA'] } } } }),
      'options.outofband.country.blacklist.0',
    ],
    ['a message over 1600 characters', gatewayBody({ options: { outofband: { message: 'x'.repeat(1601) } } }), 'options.outofband.message'],
    ['a numeric message', gatewayBody({ options: { outofband: { message: 5 } } }), 'options.outofband.message'],
    ['a numeric first name', gatewayBody({}, { fn: 7 }), 'target.fn'],
  ])('gateway: %s', async (_, payload, attribute) => {
    const error = await expectError(app(), { payload }, 'QRY2', 'Input Failed Validation');
    expect(error.detail).toMatch(new RegExp(`^The attribute ${attribute.replaceAll('.', '\\.')} failed validation: .+\\.$`));
  });

  it.each([
    ['a numeric token', { token: 12, codematch: { key: '1' } }, 'token', /must be string/],
    ['a token longer than 256 characters', { token: 't'.repeat(257), codematch: { key: '1' } }, 'token', /more than 256 characters/],
    ['a boolean key', { token: 't', codematch: { key: true } }, 'codematch.key', /must be a string or a number/],
    ['an object key', { token: 't', codematch: { key: { pin: 1 } } }, 'codematch.key', /must be a string or a number/],
    ['a codematch that is a string', { token: 't', codematch: '123456' }, 'codematch', /must be object/],
    ['a key longer than 64 characters', { token: 't', codematch: { key: '1'.repeat(65) } }, 'codematch.key', /string or a number/],
  ])('continue: %s', async (_, payload, attribute, reason) => {
    const error = await expectError(app(), { url: CONTINUE, payload }, 'QRY2', 'Input Failed Validation');
    expect(error.detail).toContain(`The attribute ${attribute} failed validation`);
    expect(error.detail).toMatch(reason);
  });

  it('refuses a malformed namespace header', async () => {
    await expectError(
      app(),
      { payload: gatewayBody(), headers: { 'x-phonematch-namespace': 'bad namespace!' } },
      'QRY2',
      'Input Failed Validation',
    );
  });
});

describe('No Such Service (HTTP 404; the code SVC0 is a mock decision)', () => {
  it.each([
    ['PhoneMatch9.SMS', 'PhoneMatch9.SMS'],
    ['phonematch5.0.sms', 'phonematch5.0.sms'],
    [5, '5'],
  ])('%j', async (service, shown) => {
    const error = await expectError(app(), { payload: gatewayBody({ service }) }, 'SVC0', 'No Such Service', 404);
    expect(error.detail).toBe(`The service ${shown} is not available.`);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['blank', '  '],
    ['null', null],
  ])('for a %s service', async (_, service) => {
    const error = await expectError(app(), { payload: gatewayBody({ service }) }, 'SVC0', 'No Such Service', 404);
    expect(error.detail).toBe('No service was given.');
  });

  it('echoes at most 256 characters of the service', async () => {
    const error = await expectError(app(), { payload: gatewayBody({ service: 'S'.repeat(5000) }) }, 'SVC0', 'No Such Service', 404);
    expect(error.detail).toBe(`The service ${'S'.repeat(256)}… is not available.`);
  });

  it('is read after the credentials and before the target', async () => {
    await expectError(app(), { payload: { ...gatewayBody({ service: 'Nope' }), target: undefined } }, 'SVC0', 'No Such Service', 404);
    await expectError(app(), { payload: { ...gatewayBody({ service: 'Nope' }), pass: '' } }, 'AUTH0', 'Bad Login');
  });
});

describe('User Not Active (HTTP 403; the code AUTH1 is a mock decision)', () => {
  const accounts = [
    { user: 'retired@company.com', pass: 'secret', active: false },
    { user: 'user@company.com', pass: 'PASSWORD' },
  ];

  it('refuses an inactive account with the right password, after the login check', async () => {
    const withAccounts = await makeApp({ ...NO_SCENARIOS, accounts });
    const error = await expectError(
      withAccounts,
      { payload: { ...gatewayBody(), user: 'retired@company.com', pass: 'secret' } },
      'AUTH1',
      'User Not Active',
      403,
    );
    expect(error.detail).toBe('The account retired@company.com is not active.');
    // A wrong password is still a bad login: an inactive account is told so only to its owner.
    await expectError(withAccounts, { payload: { ...gatewayBody(), user: 'retired@company.com', pass: 'nope' } }, 'AUTH0', 'Bad Login');
    // It comes before the service is read.
    await expectError(
      withAccounts,
      { payload: { ...gatewayBody({ service: 'Nope' }), user: 'retired@company.com', pass: 'secret' } },
      'AUTH1',
      'User Not Active',
      403,
    );
    expect((await post(withAccounts, { payload: gatewayBody() })).status).toBe(200);
  });
});

describe('QRY6 / Token Bad or Expired (documented: the token is the detail)', () => {
  it('for an unknown token', async () => {
    const error = await expectError(
      app(),
      { url: CONTINUE, payload: { token: 'o76m3nvz94jvaatfsmespzgx3qkzjjl1', codematch: { key: '1' } } },
      'QRY6',
      'Token Bad or Expired',
    );
    expect(error.detail).toBe('o76m3nvz94jvaatfsmespzgx3qkzjjl1');
  });
  // Spent and expired tokens: phonematch-continue.test.ts.
});

describe('transport errors', () => {
  it('answers a body over 1 MiB with 413 and the JSON envelope', async () => {
    const big = JSON.stringify(gatewayBody({ padding: 'x'.repeat(1_048_576) }));
    const error = await expectError(app(), { payload: big, headers: json }, 'REQ413', 'Request Too Large', 413);
    expect(error.detail).toBe('The request body is larger than the 1048576 bytes allowed.');
    await expectError(app(), { url: CONTINUE, payload: big }, 'REQ413', 'Request Too Large', 413);
  });

  it('accepts a body just under 1 MiB', async () => {
    const body = gatewayBody({ padding: '' });
    const size = Buffer.byteLength(JSON.stringify(body));
    const { status } = await post(app(), { payload: JSON.stringify({ ...body, padding: 'x'.repeat(1_048_576 - size) }), headers: json });
    expect(status).toBe(200);
  });

  it.each([
    ['POST', '/'], // GET / leads to the inbox (docs-routes.test.ts)
    ['GET', '/process/comprehensive/gateway'],
    ['POST', '/process/gateway'],
    ['PUT', '/process/continue'],
    ['POST', '/nope?x=1'],
  ] as const)('answers %s %s with a JSON 404', async (method, url) => {
    const res = await app().inject({ method, url });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    // The not-found body is the documented error envelope (same schema as the 400 answers).
    expectSpecResponse('gateway', 400, res.json());
    expect(res.json().error).toEqual({ message: 'Not Found', code: 'NOTFOUND', detail: `No route ${method} ${url.split('?')[0]}.` });
  });

  it('stamps the error timestamp in ISO form with a T, UTC, from the mock clock', async () => {
    const fixed = await makeApp(NO_SCENARIOS, { clock: createClock(() => Date.UTC(2019, 9, 21, 13, 4, 26, 900)) });
    const { body } = await post(fixed, { payload: '' });
    expect(body.meta).toEqual({ timestamp: '2019-10-21T13:04:26' });
  });
});
