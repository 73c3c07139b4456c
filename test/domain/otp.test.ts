import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { customAlphabet } from 'nanoid';
import { describe, expect, it, vi } from 'vitest';

// Wraps node:crypto's randomInt so a test can see that pins come from the crypto source.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, randomInt: vi.fn(actual.randomInt) };
});

const crypto = await import('node:crypto');
const { DEFAULT_SMS_MESSAGE, entryMatches, MAX_MESSAGE_LENGTH, newPin, newToken, renderMessage, spokenMessage } = await import(
  '../../src/domain/otp.js'
);

describe('newPin', () => {
  it.each([4, 6, 8, 12])('has %i digits', (length) => {
    for (let i = 0; i < 50; i++) expect(newPin(length)).toMatch(new RegExp(`^\\d{${length}}$`));
  });

  it('draws the whole pin from crypto.randomInt in one draw below 10^length', () => {
    const randomInt = vi.mocked(crypto.randomInt);
    randomInt.mockClear();
    newPin(6);
    expect(randomInt).toHaveBeenCalledTimes(1);
    expect(randomInt).toHaveBeenCalledWith(1_000_000);
    newPin(12);
    expect(randomInt).toHaveBeenLastCalledWith(1_000_000_000_000);
  });

  it('is a string that keeps leading zeros', () => {
    const randomInt = vi.mocked(crypto.randomInt);
    randomInt.mockImplementationOnce((() => 0) as never);
    expect(newPin(6)).toBe('000000');
    randomInt.mockImplementationOnce((() => 4321) as never);
    expect(newPin(6)).toBe('004321');
  });

  it('uses all ten digits about evenly', () => {
    // 12,000 real draws; each digit is expected 1,200 times, the bounds are beyond 6 standard deviations.
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 2000; i++) for (const d of newPin(6)) counts[Number(d)] = (counts[Number(d)] ?? 0) + 1;
    for (const count of counts) {
      expect(count).toBeGreaterThan(1000);
      expect(count).toBeLessThan(1400);
    }
  });
});

describe('newToken', () => {
  it('is 32 characters of [a-z0-9] and unique', () => {
    const tokens = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const token = newToken();
      expect(token).toMatch(/^[a-z0-9]{32}$/);
      tokens.add(token);
    }
    expect(tokens.size).toBe(10_000);
  });

  it('uses all 36 letters evenly (the bytes that would favour the first four are dropped)', () => {
    // 320,000 letters; each is expected 8,889 times (sd 93). Reading every byte modulo 36 would
    // give the first four letters 10,000 each: beyond these bounds, 6 standard deviations wide.
    const counts = new Map<string, number>();
    for (let i = 0; i < 10_000; i++) for (const letter of newToken()) counts.set(letter, (counts.get(letter) ?? 0) + 1);
    expect(counts.size).toBe(36);
    for (const count of counts.values()) {
      expect(count).toBeGreaterThan(8_330);
      expect(count).toBeLessThan(9_450);
    }
  });

  it('is a flat string: a kept token costs tens of bytes, not the 680 of a string built a character at a time', () => {
    // The store keeps 20,000 tokens by default. Measured on the heap after a full collection.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const perToken = (make: () => string) => {
      const kept: string[] = [];
      gc();
      const before = process.memoryUsage().heapUsed;
      for (let i = 0; i < 20_000; i++) kept.push(make());
      gc();
      return (process.memoryUsage().heapUsed - before) / kept.length;
    };
    // The control: nanoid's own string, as built.
    const built = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 32);
    expect(perToken(built)).toBeGreaterThan(400);
    expect(perToken(newToken)).toBeLessThan(150);
  });
});

describe('entryMatches', () => {
  it.each([
    ['123456', '123456', true],
    [' 123456 ', '123456', true],
    ['012345', '012345', true],
    ['12345', '012345', false],
    ['1234567', '123456', false],
    ['123457', '123456', false],
    ['', '123456', false],
    ['１２３４５６', '123456', false],
  ])('string %j against pin %j → %s', (entry, pin, expected) => {
    expect(entryMatches(entry, pin)).toBe(expected);
  });

  it.each([
    [123456, '123456', true],
    // mock decision: a number loses its leading zeros to JSON, so it is padded to the pin's length.
    [12345, '012345', true],
    [0, '000000', true],
    [45, '000045', true],
    [12345, '12345', true],
    [1234567, '123456', false],
    [123456.5, '123456', false],
    [-123456, '123456', false],
    [Number.NaN, '123456', false],
    [Number.POSITIVE_INFINITY, '123456', false],
    [1e21, '100000000000000000000', false],
  ])('number %d against pin %j → %s', (entry, pin, expected) => {
    expect(entryMatches(entry, pin)).toBe(expected);
  });
});

describe('renderMessage', () => {
  const target = { fn: 'John', ln: 'Smith', phone: '2015106000', zip: 12345, vip: true, address: { city: 'X' } };

  it('fills {pin}, {fn}, {ln} and any target attribute', () => {
    expect(renderMessage('Hello {fn} {ln}, your code is {pin}. Again: {pin}. {phone} {zip}', '123456', target)).toBe(
      'Hello John Smith, your code is 123456. Again: 123456. 2015106000 12345',
    );
  });

  it('leaves unknown placeholders, non-text attributes and non-placeholders as written', () => {
    expect(renderMessage('{nope} {vip} {address} {fn-x} {} { fn } {{fn}}', '1', target)).toBe(
      '{nope} {vip} {address} {fn-x} {} { fn } {John}',
    );
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', '__defineGetter__'])(
    '{%s} never reaches object internals',
    (name) => {
      expect(renderMessage(`a {${name}} b {pin}`, '42', target)).toBe(`a {${name}} b 42`);
      expect(renderMessage(`{${name}}`, '42', Object.create(null) as Record<string, unknown>)).toBe(`{${name}}`);
    },
  );

  it('reads a client attribute named __proto__ as data, never as the prototype', () => {
    const parsed = JSON.parse('{"fn":"J","__proto__":"own value"}') as Record<string, unknown>;
    expect(renderMessage('{__proto__} {fn}', '1', parsed)).toBe('own value J');
    const nested = JSON.parse('{"__proto__":{"polluted":"yes"}}') as Record<string, unknown>;
    expect(renderMessage('{__proto__} {polluted}', '1', nested)).toBe('{__proto__} {polluted}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('does not render attribute values again, nor read replacement patterns in them', () => {
    expect(renderMessage('{fn} {ln}', '999', { fn: '{pin}', ln: "$& $' $1" })).toBe("{pin} $& $' $1");
  });

  it('renders exactly what the placeholder pattern /\\{([A-Za-z0-9_]+)\\}/ defines, whatever the template', () => {
    // The definition, as a regular expression: the scan in renderMessage must agree with it.
    const byPattern = (template: string, pin: string, fields: Record<string, unknown>) =>
      template.replace(/\{([A-Za-z0-9_]+)\}/g, (whole, name: string) => {
        if (name === 'pin') return pin;
        const value = Object.hasOwn(fields, name) ? fields[name] : undefined;
        return typeof value === 'string' || typeof value === 'number' ? String(value) : whole;
      });
    const piece = fc.constantFrom('{', '}', '{pin}', '{fn}', '{zip}', '{vip}', '{nope}', 'fn', '_', '-', ' ', 'é', '{{', '}}', 'x1');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.stringMatching(/^\d{6}$/), (pieces, pin) => {
        const template = pieces.join('');
        expect(renderMessage(template, pin, target)).toBe(byPattern(template, pin, target));
      }),
      { numRuns: 2000 },
    );
  });

  it('cuts the rendering at 1600 characters', () => {
    expect(MAX_MESSAGE_LENGTH).toBe(1600);
    const template = `${'x'.repeat(1595)}{pin}`;
    expect(renderMessage(template, '123456', {})).toBe(`${'x'.repeat(1595)}12345`);
    expect(renderMessage('{fn}'.repeat(400), '1', { fn: 'long name' })).toHaveLength(1600);
    expect(renderMessage('short {pin}', '1', {})).toBe('short 1');
  });

  it('has a default message that contains the pin', () => {
    expect(renderMessage(DEFAULT_SMS_MESSAGE, '424242', {})).toContain('424242');
  });
});

describe('spokenMessage', () => {
  it('speaks every digit, twice', () => {
    const text = spokenMessage('012345');
    expect(text.match(/0, 1, 2, 3, 4, 5/g)).toHaveLength(2);
  });
});
