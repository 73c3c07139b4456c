import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { banner, configFrom, configFromOptions, didYouMean, duration, unknownCommand, usage } from '../src/cli-options.js';
import { ConfigError, DEFAULT_CONFIG, type MockConfig, resolveConfig, SHIPPED_SCENARIOS } from '../src/config.js';

interface Row {
  flag: string;
  env: string;
  key: keyof MockConfig;
  /** [raw flag value, resolved] */
  fromFlag: [string, unknown];
  fromEnv: [string, unknown];
}

const ROWS: Row[] = [
  { flag: 'port', env: 'PORT', key: 'port', fromFlag: ['0', 0], fromEnv: ['9090', 9090] },
  { flag: 'host', env: 'HOST', key: 'host', fromFlag: ['::1', '::1'], fromEnv: ['localhost', 'localhost'] },
  {
    flag: 'scenarios',
    env: 'PHONEMATCH_SCENARIOS',
    key: 'scenarios',
    fromFlag: ['none', null],
    fromEnv: ['./my-scenarios, ./more', ['./my-scenarios', './more']],
  },
  { flag: 'seed', env: 'PHONEMATCH_SEED', key: 'seed', fromFlag: ['42', 42], fromEnv: ['4294967295', 4294967295] },
  { flag: 'pin-length', env: 'PHONEMATCH_PIN_LENGTH', key: 'pinLength', fromFlag: ['8', 8], fromEnv: ['4', 4] },
  { flag: 'token-ttl', env: 'PHONEMATCH_TOKEN_TTL', key: 'tokenTtlMs', fromFlag: ['2m', 120_000], fromEnv: ['1500', 1500] },
  { flag: 'max-attempts', env: 'PHONEMATCH_MAX_ATTEMPTS', key: 'maxAttempts', fromFlag: ['3', 3], fromEnv: ['5', 5] },
  { flag: 'company', env: 'PHONEMATCH_COMPANY', key: 'company', fromFlag: ['Flag Co', 'Flag Co'], fromEnv: ['Env Co', 'Env Co'] },
  {
    flag: 'accounts',
    env: 'PHONEMATCH_ACCOUNTS',
    key: 'accounts',
    fromFlag: ['a@x.com:pw', [{ user: 'a@x.com', pass: 'pw' }]],
    fromEnv: ['{"b@x.com":"pw"}', [{ user: 'b@x.com', pass: 'pw' }]],
  },
  { flag: 'default-region', env: 'PHONEMATCH_DEFAULT_REGION', key: 'defaultRegion', fromFlag: ['gb', 'GB'], fromEnv: ['CA', 'CA'] },
  {
    flag: 'ambiguous-line-type',
    env: 'PHONEMATCH_AMBIGUOUS_LINE_TYPE',
    key: 'ambiguousLineType',
    fromFlag: ['landline', 'landline'],
    fromEnv: ['voip', 'voip'],
  },
  {
    flag: 'pending-detail',
    env: 'PHONEMATCH_PENDING_DETAIL',
    key: 'pendingDetail',
    fromFlag: ['table', 'table'],
    fromEnv: ['table', 'table'],
  },
  { flag: 'max-transactions', env: 'PHONEMATCH_MAX_TRANSACTIONS', key: 'maxTransactions', fromFlag: ['10', 10], fromEnv: ['20', 20] },
  { flag: 'max-messages', env: 'PHONEMATCH_MAX_MESSAGES', key: 'maxMessages', fromFlag: ['11', 11], fromEnv: ['21', 21] },
  { flag: 'max-journal', env: 'PHONEMATCH_MAX_JOURNAL', key: 'maxJournal', fromFlag: ['12', 12], fromEnv: ['22', 22] },
  {
    flag: 'max-journal-bytes',
    env: 'PHONEMATCH_MAX_JOURNAL_BYTES',
    key: 'maxJournalBytes',
    fromFlag: ['100000', 100_000],
    fromEnv: ['200000', 200_000],
  },
  { flag: 'max-event-streams', env: 'PHONEMATCH_MAX_EVENT_STREAMS', key: 'maxEventStreams', fromFlag: ['3', 3], fromEnv: ['4', 4] },
  { flag: 'max-long-polls', env: 'PHONEMATCH_MAX_LONG_POLLS', key: 'maxLongPolls', fromFlag: ['5', 5], fromEnv: ['6', 6] },
  { flag: 'max-connections', env: 'PHONEMATCH_MAX_CONNECTIONS', key: 'maxConnections', fromFlag: ['7', 7], fromEnv: ['8', 8] },
  {
    flag: 'request-timeout',
    env: 'PHONEMATCH_REQUEST_TIMEOUT',
    key: 'requestTimeoutMs',
    fromFlag: ['5s', 5_000],
    fromEnv: ['6000', 6_000],
  },
  { flag: 'idle-timeout', env: 'PHONEMATCH_IDLE_TIMEOUT', key: 'idleTimeoutMs', fromFlag: ['20s', 20_000], fromEnv: ['25000', 25_000] },
  {
    flag: 'admin-token',
    env: 'PHONEMATCH_ADMIN_TOKEN',
    key: 'adminToken',
    fromFlag: ['flag-secret', 'flag-secret'],
    fromEnv: ['env-secret', 'env-secret'],
  },
  { flag: 'log-level', env: 'PHONEMATCH_LOG_LEVEL', key: 'logLevel', fromFlag: ['trace', 'trace'], fromEnv: ['warn', 'warn'] },
  { flag: 'log-format', env: 'PHONEMATCH_LOG_FORMAT', key: 'logFormat', fromFlag: ['pretty', 'pretty'], fromEnv: ['json', 'json'] },
];

const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

describe('configFrom: flag > environment > default, for every flag', () => {
  it.each(ROWS)('--$flag / $env', ({ flag, env, key, fromFlag, fromEnv }) => {
    // default: nothing given
    const none = configFrom([], {});
    expect(none.config).not.toHaveProperty(key);
    expect(resolveConfig(none.config)[key]).toEqual(DEFAULT_CONFIG[key]);
    // environment
    expect(configFrom([], { [env]: fromEnv[0] }).config[key]).toEqual(fromEnv[1]);
    // an empty environment value counts as unset
    expect(configFrom([], { [env]: '' }).config).not.toHaveProperty(key);
    // flag, both forms, over the environment
    expect(configFrom([`--${flag}`, fromFlag[0]], { [env]: fromEnv[0] }).config[key]).toEqual(fromFlag[1]);
    expect(configFrom([`--${flag}=${fromFlag[0]}`], {}).config[key]).toEqual(fromFlag[1]);
  });

  it('--no-watch / PHONEMATCH_NO_WATCH', () => {
    expect(configFrom([], {}).config).not.toHaveProperty('watchScenarios');
    expect(DEFAULT_CONFIG.watchScenarios).toBe(true);
    expect(configFrom(['--no-watch'], {}).config.watchScenarios).toBe(false);
    expect(configFrom([], { PHONEMATCH_NO_WATCH: '1' }).config.watchScenarios).toBe(false);
    expect(configFrom([], { PHONEMATCH_NO_WATCH: 'true' }).config.watchScenarios).toBe(false);
    expect(configFrom([], { PHONEMATCH_NO_WATCH: '0' }).config.watchScenarios).toBe(true);
    expect(configFrom(['--no-watch'], { PHONEMATCH_NO_WATCH: '0' }).config.watchScenarios).toBe(false);
  });

  it('--scenarios may be repeated and take lists; the shipped folder stays unless --no-shipped-scenarios', () => {
    const both = configFrom(['--scenarios', 'a', '--scenarios', 'b,c'], { PHONEMATCH_SCENARIOS: 'ignored' }).config;
    expect(both.scenarios).toEqual(['a', 'b', 'c']);
    expect(resolveConfig(both).scenarios).toEqual([SHIPPED_SCENARIOS, resolve('a'), resolve('b'), resolve('c')]);
    const mineOnly = configFrom(['--scenarios', 'a', '--no-shipped-scenarios'], {}).config;
    expect(resolveConfig(mineOnly).scenarios).toEqual([resolve('a')]);
    expect(configFrom([], { PHONEMATCH_NO_SHIPPED_SCENARIOS: '1' }).config.shippedScenarios).toBe(false);
    expect(configFrom([], {}).config).not.toHaveProperty('shippedScenarios');
    // Nothing at all: no scenarios.
    expect(resolveConfig(configFrom(['--no-shipped-scenarios'], {}).config).scenarios).toBeNull();
    expect(resolveConfig(configFrom(['--scenarios', 'none'], {}).config).scenarios).toBeNull();
    expect(() => configFrom(['--scenarios', 'none,a'], {})).toThrow(/give it alone/);
  });

  it('covers every flag the help lists', () => {
    const listed = [...usage().matchAll(/^ {2}--([a-z-]+)/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual([...ROWS.map((r) => r.flag), 'no-watch', 'no-shipped-scenarios', 'help', 'version'].sort());
    for (const row of ROWS) expect(usage()).toContain(`[${row.env}]`);
  });

  it('reads --help, -h, --version, -v and positionals', () => {
    expect(configFrom(['--help'], {}).help).toBe(true);
    expect(configFrom(['-h'], {}).help).toBe(true);
    expect(configFrom(['--version'], {}).version).toBe(true);
    expect(configFrom(['-v'], {}).version).toBe(true);
    expect(configFrom([], {})).toMatchObject({ help: false, version: false, positionals: [] });
    expect(configFrom(['scenarios', 'list'], {}).positionals).toEqual(['scenarios', 'list']);
  });

  it('reads an accounts file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'phonematch-cli-')), 'accounts.json');
    writeFileSync(file, '[{"user":"f@x.com","pass":"pw","company":"F"}]');
    expect(configFrom(['--accounts', file], {}).config.accounts).toEqual([{ user: 'f@x.com', pass: 'pw', company: 'F' }]);
  });
});

describe('configFrom: bad input is a ConfigError with a message', () => {
  it.each([
    [['--nope'], /unknown option '--nope'\. Run phonematch-mock --help/],
    [['--tokn-ttl', '1m'], /unknown option '--tokn-ttl'\. Did you mean --token-ttl\?/],
    [['--log-formt=json'], /Did you mean --log-format\?/],
    [['--log-format', 'yaml'], /--log-format must be one of json, pretty, got 'yaml'/],
    [['--port'], /argument missing/],
    [['--port', 'abc'], /--port must be a whole number, got 'abc'/],
    [['--port', '70000'], /port must be an integer from 0 to 65535/],
    [['--pin-length', '99'], /pin length must be an integer from 4 to 12, got 99/],
    [['--pin-length', '6.5'], /--pin-length must be a whole number/],
    [['--token-ttl', '10 minutes'], /--token-ttl must be a duration/],
    [['--token-ttl', '0'], /token ttl/],
    [['--max-attempts', '0'], /max attempts/],
    [['--ambiguous-line-type', 'fax'], /--ambiguous-line-type must be one of mobile, landline, voip/],
    [['--pending-detail', 'verbose'], /pending detail/],
    [['--default-region', 'XX'], /default region/],
    [['--log-level', 'loud'], /log level/],
    [['--accounts', '[{"user":"a"}]'], /--accounts: account 1/],
    [['--accounts', '/does/not/exist.json'], /--accounts: ENOENT/],
    [['--company', ' '], /company must not be empty/],
    [['--seed=-1'], /seed must be an integer from 0 to 4294967295/],
    [['--seed', 'abc'], /--seed must be a whole number/],
  ])('%j', (argv, reason) => {
    expect(() => configFrom(argv, {})).toThrow(ConfigError);
    expect(() => configFrom(argv, {})).toThrow(reason);
  });

  it('reports a bad environment value too', () => {
    expect(() => configFrom([], { PHONEMATCH_PIN_LENGTH: '99' })).toThrow(/pin length/);
    // ...unless a flag overrides it
    expect(configFrom(['--pin-length', '6'], { PHONEMATCH_PIN_LENGTH: '99' }).config.pinLength).toBe(6);
  });
});

describe('duration', () => {
  it.each([
    ['600000', 600_000],
    ['250ms', 250],
    ['600s', 600_000],
    ['10m', 600_000],
    ['1h', 3_600_000],
    [' 5s ', 5000],
  ])('%j is %d ms', (raw, ms) => {
    expect(duration('token-ttl', raw)).toBe(ms);
  });

  it.each(['', '-1', '1.5m', '10 m', '1d', 'm'])('refuses %j', (raw) => {
    expect(() => duration('token-ttl', raw)).toThrow(ConfigError);
  });
});

describe('banner', () => {
  it('shows the URL, the two endpoints and where the messages are', () => {
    const text = banner('http://127.0.0.1:1234', [
      { scenario: { name: 'voip', description: 'A VoIP line.', match: { phone: '2015550102' } } },
      { scenario: { name: 'no-match', description: 'By header only.' } },
    ]);
    expect(text.split('\n')[0]).toMatch(/listening on http:\/\/127\.0\.0\.1:1234$/);
    expect(text).toContain('POST http://127.0.0.1:1234/process/comprehensive/gateway');
    expect(text).toContain('POST http://127.0.0.1:1234/process/continue');
    expect(text).toContain('http://127.0.0.1:1234/__admin/messages?phone=');
    expect(text).toContain('scenarios loaded: 2');
    expect(text).toMatch(/2015550102\s+voip\s+A VoIP line\./);
    expect(text).not.toContain('no-match');
    expect(text).not.toContain('seed');
  });

  it('shows the seed, and how to replay it', () => {
    expect(banner('http://127.0.0.1:1234', [], 42)).toContain("seed      42   (replay this run's chance with --seed 42)");
  });
});

describe('configFromOptions: startMock takes what the CLI takes, through the same rows', () => {
  it.each(ROWS)('$flag in camelCase, as text, is parsed as the flag is', ({ flag, key, fromFlag }) => {
    expect(configFromOptions({ [camel(flag)]: fromFlag[0] })[key]).toEqual(fromFlag[1]);
  });

  it('takes the forms the issue found ignored or refused', () => {
    expect(configFromOptions({ scenarios: 'none' }).scenarios).toBeNull();
    expect(configFromOptions({ tokenTtl: '1m' }).tokenTtlMs).toBe(60_000);
    expect(configFromOptions({ tokenTtl: 1500 }).tokenTtlMs).toBe(1500);
    expect(configFromOptions({ accounts: 'a@x.com:pw:Acme' }).accounts).toEqual([{ user: 'a@x.com', pass: 'pw', company: 'Acme' }]);
    expect(configFromOptions({ noWatch: true }).watchScenarios).toBe(false);
  });

  it('still takes configuration fields as values', () => {
    expect(configFromOptions({ port: 0, scenarios: null, watchScenarios: false, tokenTtlMs: 5000, bodyLimit: 4096 })).toEqual({
      port: 0,
      scenarios: null,
      watchScenarios: false,
      tokenTtlMs: 5000,
      bodyLimit: 4096,
    });
    expect(configFromOptions({ accounts: [{ user: 'u', pass: 'p' }] }).accounts).toEqual([{ user: 'u', pass: 'p' }]);
  });

  it.each([
    [{ tokenTl: '1m' }, /unknown option 'tokenTl'\. Did you mean tokenTtl\?/],
    [{ scenario: 'none' }, /unknown option 'scenario'\. Did you mean scenarios\?/],
    [{ frobnicate: 1 }, /unknown option 'frobnicate'\. The options are the CLI's, in camelCase/],
    [{ tokenTtl: '10 minutes' }, /--token-ttl must be a duration/],
    [{ pinLength: '99' }, /pin length must be an integer from 4 to 12, got 99/],
    [{ pinLength: 99 }, /pin length must be an integer from 4 to 12, got 99/],
    [{ noWatch: 'yes' }, /option noWatch \(--no-watch\) takes true or false/],
    [{ accounts: '[{"user":"a"}]' }, /--accounts: account 1/],
  ])("%j is refused with the CLI's message", (options, reason) => {
    expect(() => configFromOptions(options)).toThrow(ConfigError);
    expect(() => configFromOptions(options)).toThrow(reason);
  });

  it('reads nothing from the environment', () => {
    const before = process.env.PHONEMATCH_PIN_LENGTH;
    process.env.PHONEMATCH_PIN_LENGTH = '99';
    try {
      expect(configFromOptions({})).toEqual({});
    } finally {
      if (before === undefined) delete process.env.PHONEMATCH_PIN_LENGTH;
      else process.env.PHONEMATCH_PIN_LENGTH = before;
    }
  });
});

describe('did you mean', () => {
  it.each([
    ['scenario', ['scenarios', 'verify'], 'scenarios'],
    ['verfy', ['scenarios', 'verify'], 'verify'],
    ['serve', ['scenarios', 'verify'], undefined],
    ['prt', ['port', 'host'], 'port'],
    ['max-trans', ['max-transactions', 'max-messages'], 'max-transactions'],
    ['x', ['port', 'host'], undefined],
  ])('%s among %j: %s', (word, candidates, expected) => {
    expect(didYouMean(word, candidates)).toBe(expected);
  });

  it('names the nearest command', () => {
    expect(unknownCommand(['scenario', 'list'], ['scenarios', 'verify']).message).toBe(
      "unknown command 'scenario list'. Did you mean 'scenarios'? Run phonematch-mock --help.",
    );
  });
});
