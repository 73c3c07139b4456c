import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEFAULT_CONFIG,
  loadAccounts,
  type MockConfig,
  PENDING_DETAILS,
  resolveConfig,
  SHIPPED_SCENARIOS,
} from '../src/config.js';

describe('DEFAULT_CONFIG', () => {
  it('holds the documented defaults', () => {
    expect(DEFAULT_CONFIG).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      scenarios: [SHIPPED_SCENARIOS],
      shippedScenarios: true,
      seed: null,
      pinLength: 6,
      tokenTtlMs: 600_000,
      maxAttempts: 1,
      accounts: null,
      defaultRegion: 'US',
      ambiguousLineType: 'mobile',
      pendingDetail: 'sample',
      logLevel: 'info',
      adminToken: null,
      bodyLimit: 1_048_576,
    });
    expect(PENDING_DETAILS).toEqual({ sample: 'MORE INFORMATION IS REQUIRED', table: 'TRANSACTION REQUIRES FURTHER ATTENTION' });
    expect(Object.isFrozen(DEFAULT_CONFIG)).toBe(true);
  });
});

describe('resolveConfig', () => {
  it('fills what is not given with the defaults, and ignores undefined', () => {
    expect(resolveConfig()).toEqual(DEFAULT_CONFIG);
    expect(resolveConfig({ pinLength: 8, port: undefined })).toEqual({ ...DEFAULT_CONFIG, pinLength: 8 });
  });

  it.each([
    [{ port: -1 }, /port must be an integer from 0 to 65535/],
    [{ port: 65536 }, /port/],
    [{ pinLength: 3 }, /pin length must be an integer from 4 to 12/],
    [{ pinLength: 13 }, /pin length/],
    [{ pinLength: 6.5 }, /pin length/],
    [{ tokenTtlMs: 0 }, /token ttl/],
    [{ maxAttempts: 0 }, /max attempts/],
    [{ maxAttempts: 101 }, /max attempts/],
    [{ maxTransactions: 0 }, /max transactions/],
    [{ maxMessages: 0 }, /max messages/],
    [{ maxJournal: 0 }, /max journal/],
    [{ maxJournalBytes: 65_535 }, /max journal bytes must be an integer from 65536 to 1073741824/],
    [{ maxJournalBytes: 1024 ** 3 + 1 }, /max journal bytes must be an integer from 65536 to 1073741824/],
    [{ retentionMs: -1 }, /retention/],
    [{ bodyLimit: 10 }, /body limit/],
    [{ defaultRegion: 'us' }, /default region/],
    [{ defaultRegion: 'USA' }, /default region/],
    [{ defaultRegion: 'ZZ' }, /default region/],
    [{ ambiguousLineType: 'fax' }, /ambiguous line type/],
    [{ pendingDetail: 'other' }, /pending detail/],
    [{ pendingDetail: 'toString' }, /pending detail/],
    [{ logLevel: 'loud' }, /log level/],
    [{ company: '  ' }, /company must not be empty/],
  ] as [Partial<MockConfig>, RegExp][])('refuses %j', (partial, reason) => {
    expect(() => resolveConfig(partial)).toThrow(ConfigError);
    expect(() => resolveConfig(partial)).toThrow(reason);
  });

  it('reports every problem at once', () => {
    expect(() => resolveConfig({ port: -1, pinLength: 1 })).toThrow(/port.*; pin length/);
  });

  it('accepts the edges', () => {
    expect(() => resolveConfig({ port: 0, pinLength: 4, maxAttempts: 100, defaultRegion: 'GB', logLevel: 'silent' })).not.toThrow();
    expect(() => resolveConfig({ pinLength: 12, port: 65535, retentionMs: 0, pendingDetail: 'table' })).not.toThrow();
  });
});

describe('loadAccounts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'phonematch-accounts-'));

  it('reads an inline compact value', () => {
    expect(loadAccounts('a@x.com:pw:A Inc.,b@x.com:pw2')).toEqual([
      { user: 'a@x.com', pass: 'pw', company: 'A Inc.' },
      { user: 'b@x.com', pass: 'pw2' },
    ]);
  });

  it('reads inline JSON', () => {
    expect(loadAccounts('{"a@x.com":"pw"}')).toEqual([{ user: 'a@x.com', pass: 'pw' }]);
    expect(loadAccounts(' [{"user":"a","pass":"p"}]')).toEqual([{ user: 'a', pass: 'p' }]);
  });

  it('reads a JSON file', () => {
    const file = join(dir, 'accounts.json');
    writeFileSync(file, JSON.stringify([{ user: 'f@x.com', pass: 'pw', company: 'File Co' }]));
    expect(loadAccounts(file)).toEqual([{ user: 'f@x.com', pass: 'pw', company: 'File Co' }]);
  });

  it('reads a compact file', () => {
    const file = join(dir, 'accounts.txt');
    writeFileSync(file, '# accounts\nc@x.com:pw\n');
    expect(loadAccounts(file)).toEqual([{ user: 'c@x.com', pass: 'pw' }]);
  });

  it('refuses an empty list and a missing file', () => {
    const file = join(dir, 'empty.txt');
    writeFileSync(file, '# nothing\n');
    expect(() => loadAccounts(file)).toThrow(/no accounts found/);
    expect(() => loadAccounts('[]')).toThrow(/no accounts found in the given value/);
    expect(() => loadAccounts(join(dir, 'missing.json'))).toThrow(/ENOENT/);
  });
});
