/**
 * The `phonematch-mock` command's options and sub-commands. Flags are parsed with node:util `parseArgs`; every flag has an
 * environment twin; flag > environment > default; an unknown flag is an error.
 */
import { parseArgs } from 'node:util';
import {
  ConfigError,
  DEFAULT_CONFIG,
  LOG_FORMATS,
  type LogFormat,
  loadAccounts,
  type MockConfig,
  resolveConfig,
  scenarioFolders,
} from './config.js';
import { LINE_TYPES, type LineType } from './domain/phone.js';
import { describeLoadError, type LoadError, loadScenarioDirs } from './scenarios/loader.js';
import { VERSION } from './version.js';

type Config = Partial<MockConfig>;

/**
 * One row per option: its flag, its environment twin, how its text becomes configuration, and its
 * help line. The CLI (flags, environment) and `startMock` (the same names in camelCase) both go
 * through these rows, so an option added here is accepted by both, with the same errors.
 */
interface FlagSpec {
  env: string;
  help: string;
  type: 'string' | 'boolean';
  short?: string;
  /** The flag may be repeated; each value (and the environment twin) may be a comma-separated list. */
  multiple?: boolean;
  /** Puts the value into the configuration; throws a ConfigError naming the flag when it is bad. */
  set?: (value: string, config: Config) => void;
  /** For a boolean flag: puts its value into the configuration. */
  setFlag?: (on: boolean, config: Config) => void;
}

function integer(name: string, raw: string): number {
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(`--${name} must be a whole number, got '${raw}'`);
  return Number(raw);
}

/** 600000, 600000ms, 600s, 10m, 1h. */
export function duration(name: string, raw: string): number {
  const m = /^(\d+)(ms|s|m|h)?$/.exec(raw.trim());
  if (!m) throw new ConfigError(`--${name} must be a duration such as 600000, 600s or 10m, got '${raw}'`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 'ms') as 'ms'];
  return Number(m[1]) * unit;
}

/** A row's setter: the flag's text, parsed, into one configuration field. */
function field<K extends keyof MockConfig>(key: K, parse: (raw: string) => MockConfig[K]): (value: string, config: Config) => void {
  return (value, config) => {
    config[key] = parse(value);
  };
}

const FLAGS = {
  port: {
    env: 'PORT',
    type: 'string',
    help: `port to listen on; 0 picks a free one (default ${DEFAULT_CONFIG.port})`,
    set: field('port', (v) => integer('port', v)),
  },
  host: {
    env: 'HOST',
    type: 'string',
    help: `address to listen on (default ${DEFAULT_CONFIG.host})`,
    set: field('host', (v) => v),
  },
  scenarios: {
    env: 'PHONEMATCH_SCENARIOS',
    type: 'string',
    multiple: true,
    help: 'folder(s) of your scenario files, loaded beside the shipped ones; repeat it or give a comma-separated list; "none" for no scenarios at all',
    // The values of every --scenarios (or the environment's list), joined by commas.
    set: (v, c) => {
      const folders = v
        .split(',')
        .map((f) => f.trim())
        .filter((f) => f !== '');
      if (folders.includes('none')) {
        if (folders.length > 1) throw new ConfigError('--scenarios none means no scenarios at all: give it alone');
        c.scenarios = null;
      } else c.scenarios = folders;
    },
  },
  'no-shipped-scenarios': {
    env: 'PHONEMATCH_NO_SHIPPED_SCENARIOS',
    type: 'boolean',
    help: 'do not load the shipped scenarios (and their magic numbers)',
    setFlag: (on, c) => {
      c.shippedScenarios = !on;
    },
  },
  seed: {
    env: 'PHONEMATCH_SEED',
    type: 'string',
    help: 'seed of the chance in scenarios, 0 to 4294967295, to replay a run (default: a new one each start, shown in the banner)',
    set: field('seed', (v) => integer('seed', v)),
  },
  'no-watch': {
    env: 'PHONEMATCH_NO_WATCH',
    type: 'boolean',
    help: 'do not reload scenario files when they change',
    setFlag: (on, c) => {
      c.watchScenarios = !on;
    },
  },
  'pin-length': {
    env: 'PHONEMATCH_PIN_LENGTH',
    type: 'string',
    help: `digits in a pin, 4 to 12 (default ${DEFAULT_CONFIG.pinLength})`,
    set: field('pinLength', (v) => integer('pin-length', v)),
  },
  'token-ttl': {
    env: 'PHONEMATCH_TOKEN_TTL',
    type: 'string',
    help: 'life of a token: 600000, 600s, 10m (default 10m)',
    set: field('tokenTtlMs', (v) => duration('token-ttl', v)),
  },
  'max-attempts': {
    env: 'PHONEMATCH_MAX_ATTEMPTS',
    type: 'string',
    help: `code entries allowed per token (default ${DEFAULT_CONFIG.maxAttempts})`,
    set: field('maxAttempts', (v) => integer('max-attempts', v)),
  },
  company: {
    env: 'PHONEMATCH_COMPANY',
    type: 'string',
    help: `meta.company of open accounts (default "${DEFAULT_CONFIG.company}")`,
    set: field('company', (v) => v),
  },
  accounts: {
    env: 'PHONEMATCH_ACCOUNTS',
    type: 'string',
    help: 'accounts file (JSON), or inline "user:pass[:company],…"; without it any user/pass log in',
    set: (v, c) => {
      try {
        c.accounts = loadAccounts(v);
      } catch (error) {
        throw new ConfigError(`--accounts: ${(error as Error).message}`);
      }
    },
  },
  'default-region': {
    env: 'PHONEMATCH_DEFAULT_REGION',
    type: 'string',
    help: `ISO2 region of 10-digit numbers (default ${DEFAULT_CONFIG.defaultRegion})`,
    set: field('defaultRegion', (v) => v.toUpperCase()),
  },
  'ambiguous-line-type': {
    env: 'PHONEMATCH_AMBIGUOUS_LINE_TYPE',
    type: 'string',
    help: `line type of numbers that could be mobile or landline (default ${DEFAULT_CONFIG.ambiguousLineType})`,
    set: (v, c) => {
      if (!LINE_TYPES.includes(v as LineType)) throw new ConfigError(`--ambiguous-line-type must be one of ${LINE_TYPES.join(', ')}`);
      c.ambiguousLineType = v as LineType;
    },
  },
  'pending-detail': {
    env: 'PHONEMATCH_PENDING_DETAIL',
    type: 'string',
    help: 'PENDING wording: "sample" (MORE INFORMATION IS REQUIRED, default) or "table" (TRANSACTION REQUIRES FURTHER ATTENTION)',
    set: field('pendingDetail', (v) => v as MockConfig['pendingDetail']),
  },
  'max-transactions': {
    env: 'PHONEMATCH_MAX_TRANSACTIONS',
    type: 'string',
    help: `transactions kept, oldest dropped first (default ${DEFAULT_CONFIG.maxTransactions})`,
    set: field('maxTransactions', (v) => integer('max-transactions', v)),
  },
  'max-messages': {
    env: 'PHONEMATCH_MAX_MESSAGES',
    type: 'string',
    help: `captured messages kept (default ${DEFAULT_CONFIG.maxMessages})`,
    set: field('maxMessages', (v) => integer('max-messages', v)),
  },
  'max-journal': {
    env: 'PHONEMATCH_MAX_JOURNAL',
    type: 'string',
    help: `journal entries kept (default ${DEFAULT_CONFIG.maxJournal})`,
    set: field('maxJournal', (v) => integer('max-journal', v)),
  },
  'max-journal-bytes': {
    env: 'PHONEMATCH_MAX_JOURNAL_BYTES',
    type: 'string',
    help: `bytes the journal may hold, oldest entries dropped first (default ${DEFAULT_CONFIG.maxJournalBytes})`,
    set: field('maxJournalBytes', (v) => integer('max-journal-bytes', v)),
  },
  'max-event-streams': {
    env: 'PHONEMATCH_MAX_EVENT_STREAMS',
    type: 'string',
    help: `open event streams (inbox tabs) allowed (default ${DEFAULT_CONFIG.maxEventStreams})`,
    set: field('maxEventStreams', (v) => integer('max-event-streams', v)),
  },
  'max-long-polls': {
    env: 'PHONEMATCH_MAX_LONG_POLLS',
    type: 'string',
    help: `long-polls allowed to wait at once (default ${DEFAULT_CONFIG.maxLongPolls})`,
    set: field('maxLongPolls', (v) => integer('max-long-polls', v)),
  },
  'max-connections': {
    env: 'PHONEMATCH_MAX_CONNECTIONS',
    type: 'string',
    help: `open connections allowed (default ${DEFAULT_CONFIG.maxConnections})`,
    set: field('maxConnections', (v) => integer('max-connections', v)),
  },
  'request-timeout': {
    env: 'PHONEMATCH_REQUEST_TIMEOUT',
    type: 'string',
    help: 'time for a request to arrive in full: 10000, 10s (default 10s)',
    set: field('requestTimeoutMs', (v) => duration('request-timeout', v)),
  },
  'idle-timeout': {
    env: 'PHONEMATCH_IDLE_TIMEOUT',
    type: 'string',
    help: 'time an idle keep-alive connection stays open: 30000, 30s (default 30s)',
    set: field('idleTimeoutMs', (v) => duration('idle-timeout', v)),
  },
  'admin-token': {
    env: 'PHONEMATCH_ADMIN_TOKEN',
    type: 'string',
    help: 'token the control API and inbox require; needed to listen beyond loopback',
    set: field('adminToken', (v) => v),
  },
  'log-level': {
    env: 'PHONEMATCH_LOG_LEVEL',
    type: 'string',
    help: `fatal, error, warn, info, debug, trace or silent (default ${DEFAULT_CONFIG.logLevel})`,
    set: field('logLevel', (v) => v as MockConfig['logLevel']),
  },
  'log-format': {
    env: 'PHONEMATCH_LOG_FORMAT',
    type: 'string',
    help: 'pretty (for people) or json (one object a line); default: pretty on a terminal, json otherwise',
    set: (v, c) => {
      if (!LOG_FORMATS.includes(v as LogFormat)) throw new ConfigError(`--log-format must be one of ${LOG_FORMATS.join(', ')}, got '${v}'`);
      c.logFormat = v as LogFormat;
    },
  },
  help: { env: '', type: 'boolean', short: 'h', help: 'show this help' },
  version: { env: '', type: 'boolean', short: 'v', help: 'print the version' },
} as const satisfies Record<string, FlagSpec>;

type FlagName = keyof typeof FLAGS;
const SETTINGS = Object.entries(FLAGS as Record<FlagName, FlagSpec>).filter(([, spec]) => spec.set ?? spec.setFlag) as [
  FlagName,
  FlagSpec,
][];

/** `token-ttl` → `tokenTtl`: the name of a flag among `startMock`'s options. */
type Camel<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : S;
const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** The CLI's options in camelCase, with the values the command line takes: text, or true/false for a switch. */
export type CliOptions = {
  [K in FlagName as (typeof FLAGS)[K] extends { set: unknown } | { setFlag: unknown } ? Camel<K> : never]?: (typeof FLAGS)[K] extends {
    type: 'boolean';
  }
    ? boolean
    : string;
};

/** What `startMock` takes: any CLI option in camelCase (parsed as the CLI parses it), or a configuration field as its value. */
export type MockOptions = {
  [K in keyof MockConfig | keyof CliOptions]?:
    | (K extends keyof MockConfig ? MockConfig[K] : never)
    | (K extends keyof CliOptions ? CliOptions[K] : never);
};

export function usage(): string {
  const lines = Object.entries(FLAGS).map(([name, spec]) => {
    const flag = `--${name}${spec.type === 'string' ? ' <value>' : ''}`;
    const env = spec.env ? `  [${spec.env}]` : '';
    return `  ${flag.padEnd(32)}${spec.help}${env}`;
  });
  return [
    `phonematch-mock ${VERSION}: a local simulator of the PhoneMatch OTP API`,
    '',
    'Usage:',
    '  phonematch-mock [options]                    start the simulator',
    '  phonematch-mock scenarios list [dir…]        list the scenarios (the shipped ones and the folders given)',
    '  phonematch-mock scenarios validate [dir…]    check scenario files; non-zero exit on a bad one',
    '  phonematch-mock verify <pacts…> [options]    verify consumer pacts against the mock (verify --help)',
    '',
    'Options (flag > environment variable > default):',
    ...lines,
  ].join('\n');
}

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}

/** The candidate closest to a mistyped word, when one is close enough to be what was meant. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const typed = word.toLowerCase();
  // The start of a name (at least 3 letters) is what was meant, when it starts only one.
  const starting = typed.length >= 3 ? candidates.filter((c) => c.toLowerCase().startsWith(typed)) : [];
  if (starting.length === 1) return starting[0];
  let best: { candidate: string; d: number } | undefined;
  for (const candidate of candidates) {
    const d = distance(typed, candidate.toLowerCase());
    if (!best || d < best.d) best = { candidate, d };
  }
  // A third of the word (at least 2 letters) may be wrong.
  return best && best.d <= Math.max(2, Math.floor(typed.length / 3)) ? best.candidate : undefined;
}

const suggestion = (word: string, candidates: readonly string[], show: (c: string) => string) => {
  const near = didYouMean(word, candidates);
  return near === undefined ? '' : ` Did you mean ${show(near)}?`;
};

/** The error for a word that is not a command, with the nearest one. */
export function unknownCommand(words: string[], commands: readonly string[]): ConfigError {
  const [first = ''] = words;
  return new ConfigError(
    `unknown command '${words.join(' ')}'.${suggestion(first, commands, (c) => `'${c}'`)} Run phonematch-mock --help.`,
  );
}

/** Resolves flags and environment into a config (flag > environment > default). */
export function configFrom(
  argv: string[],
  env: NodeJS.ProcessEnv,
  /** Flags a sub-command takes itself, for the "did you mean" of a mistyped one. */
  alsoKnown: readonly string[] = [],
): { config: Partial<MockConfig>; help: boolean; version: boolean; positionals: string[] } {
  const options = Object.fromEntries(
    Object.entries(FLAGS).map(([name, spec]) => [
      name,
      { type: spec.type, ...('short' in spec ? { short: spec.short } : {}), ...('multiple' in spec ? { multiple: spec.multiple } : {}) },
    ]),
  ) as Record<FlagName, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
  } catch (error) {
    const unknown = /^Unknown option '(-{1,2})([^']+)'/.exec((error as Error).message);
    if (unknown) {
      const hint = suggestion(unknown[2] ?? '', [...Object.keys(FLAGS), ...alsoKnown], (c) => `--${c}`);
      throw new ConfigError(`unknown option '${unknown[1]}${unknown[2]}'.${hint} Run phonematch-mock --help for the options.`);
    }
    throw new ConfigError(`${(error as Error).message}\nRun phonematch-mock --help for the options.`);
  }
  const values = parsed.values as Partial<Record<FlagName, string | boolean | string[]>>;
  const config: Partial<MockConfig> = {};
  for (const [name, spec] of SETTINGS) {
    // A repeated flag's values are one comma-separated list (its environment twin is one already).
    const raw = values[name];
    const flag = Array.isArray(raw) ? raw.join(',') : raw;
    const fromEnv = spec.env ? env[spec.env] : undefined;
    const given = fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
    if (spec.setFlag) {
      if (flag === true) spec.setFlag(true, config);
      else if (given !== undefined) spec.setFlag(/^(1|true|yes|on)$/i.test(given), config);
    } else if (spec.set) {
      const value = typeof flag === 'string' ? flag : given;
      if (value !== undefined) spec.set(value, config);
    }
  }
  // Validate everything now, so a bad value is reported before anything starts.
  resolveConfig(config);
  return { config, help: values.help === true, version: values.version === true, positionals: parsed.positionals };
}

const BY_OPTION = new Map(SETTINGS.map(([name, spec]) => [camel(name), { name, spec }]));
const CONFIG_KEYS = Object.keys(DEFAULT_CONFIG);

/**
 * `startMock`'s options into a config, through the CLI's rows: a CLI option in camelCase given as
 * text is parsed exactly as the flag is (`tokenTtl: '1m'`, `scenarios: 'none'`, `accounts:
 * 'a:b'`); a configuration field takes its value as is (`tokenTtlMs: 60000`, `scenarios: null`).
 * An unknown key is an error, with the nearest name; nothing is read from the environment.
 */
export function configFromOptions(options: Record<string, unknown>): Partial<MockConfig> {
  const config: Record<string, unknown> = {};
  const known = [...BY_OPTION.keys(), ...CONFIG_KEYS];
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const row = BY_OPTION.get(key);
    if (row?.spec.set && typeof value === 'string') row.spec.set(value, config);
    else if (row?.spec.setFlag && typeof value === 'boolean') row.spec.setFlag(value, config);
    else if (CONFIG_KEYS.includes(key)) config[key] = value;
    else if (row?.spec.set && typeof value === 'number') row.spec.set(String(value), config);
    else if (row) {
      throw new ConfigError(`option ${key} (--${row.name}) takes ${row.spec.setFlag ? 'true or false' : 'text, as on the command line'}`);
    } else throw new ConfigError(`unknown option '${key}'.${suggestion(key, known, (c) => c)} The options are the CLI's, in camelCase.`);
  }
  resolveConfig(config as Partial<MockConfig>);
  return config as Partial<MockConfig>;
}

function printError(error: LoadError): void {
  console.error(describeLoadError(error));
  if (error.frame) console.error(`${error.frame}\n`);
}

/**
 * `scenarios list|validate [dir…]`: the folders given (else those of --scenarios), with the
 * shipped one unless --no-shipped-scenarios, read exactly as a start would read them, so a
 * clash with a shipped name shows here too.
 */
export function scenariosCommand(action: string | undefined, dirs: readonly string[], config: Partial<MockConfig>): number {
  if (action !== 'list' && action !== 'validate') {
    const hint = action ? suggestion(action, ['list', 'validate'], (c) => `'scenarios ${c}'`) : '';
    console.error(`unknown command 'scenarios ${action ?? ''}':${hint} use 'scenarios list' or 'scenarios validate'`);
    return 2;
  }
  const resolved = resolveConfig(config);
  const folders = dirs.length > 0 ? scenarioFolders(dirs, resolved.shippedScenarios) : scenarioFolders(resolved.scenarios, false);
  if (!folders) {
    console.error('no scenario folder given');
    return 2;
  }
  const result = loadScenarioDirs(folders, { defaultRegion: resolved.defaultRegion, ambiguousLineType: resolved.ambiguousLineType });
  if (action === 'list') {
    const width = Math.max(0, ...result.scenarios.map(({ scenario }) => scenario.name.length));
    for (const { scenario } of result.scenarios) {
      const phones = scenario.match?.phone;
      const shown = phones === undefined ? '' : `  [${typeof phones === 'string' ? phones : phones.join(', ')}]`;
      console.log(`${scenario.name.padEnd(width)}  ${scenario.description}${shown}`);
    }
  }
  for (const error of result.errors) printError(error);
  if (action === 'validate') {
    const invalid = new Set(result.errors.map((e) => e.file)).size;
    console.log(`${result.files - invalid} valid, ${invalid} invalid (${folders.join(', ')})`);
  }
  return result.errors.length > 0 ? 1 : 0;
}

export function banner(
  url: string,
  scenarios: readonly { scenario: { name: string; description: string; match?: { phone?: string | string[] } } }[],
  seed?: number,
): string {
  const phonesOf = (s: (typeof scenarios)[number]) => {
    const phone = s.scenario.match?.phone;
    return typeof phone === 'string' ? [phone] : (phone ?? []);
  };
  // Sorted by number, so the list reads as a table of test numbers rather than of file names.
  const magic = scenarios
    .filter((s) => phonesOf(s).length > 0)
    .map((s) => ({ s, phones: phonesOf(s).join(', ') }))
    .sort((a, b) => a.phones.localeCompare(b.phones, 'en', { numeric: true }))
    .map(({ s, phones }) => `    ${phones.padEnd(14)} ${s.scenario.name.padEnd(18)} ${s.scenario.description}`);
  return [
    `phonematch-mock ${VERSION} listening on ${url}`,
    `  gateway   POST ${url}/process/comprehensive/gateway`,
    `  continue  POST ${url}/process/continue`,
    `  inbox     ${url}/__admin/ui`,
    `  API docs  ${url}/docs   (spec: ${url}/openapi.json)`,
    `  messages  ${url}/__admin/messages?phone=<number>`,
    `  scenarios loaded: ${scenarios.length}   (all of them: ${url}/__admin/scenarios)`,
    ...(seed === undefined ? [] : [`  seed      ${seed}   (replay this run's chance with --seed ${seed})`]),
    ...(magic.length > 0 ? ['  magic numbers:', ...magic] : []),
  ].join('\n');
}
