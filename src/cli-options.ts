/**
 * The `phonematch-mock` command's options and sub-commands. Flags are parsed with node:util `parseArgs`; every flag has an
 * environment twin; flag > environment > default; an unknown flag is an error.
 */
import { parseArgs } from 'node:util';
import { ConfigError, DEFAULT_CONFIG, loadAccounts, type MockConfig, resolveConfig, scenarioFolders } from './config.js';
import { LINE_TYPES, type LineType } from './domain/phone.js';
import { describeLoadError, type LoadError, loadScenarioDirs } from './scenarios/loader.js';
import { VERSION } from './version.js';

interface FlagSpec {
  env: string;
  help: string;
  type: 'string' | 'boolean';
  short?: string;
  /** The flag may be repeated; each value (and the environment twin) may be a comma-separated list. */
  multiple?: boolean;
}

const FLAGS = {
  port: { env: 'PORT', type: 'string', help: `port to listen on; 0 picks a free one (default ${DEFAULT_CONFIG.port})` },
  host: { env: 'HOST', type: 'string', help: `address to listen on (default ${DEFAULT_CONFIG.host})` },
  scenarios: {
    env: 'PHONEMATCH_SCENARIOS',
    type: 'string',
    multiple: true,
    help: 'folder(s) of your scenario files, loaded beside the shipped ones; repeat it or give a comma-separated list; "none" for no scenarios at all',
  },
  'no-shipped-scenarios': {
    env: 'PHONEMATCH_NO_SHIPPED_SCENARIOS',
    type: 'boolean',
    help: 'do not load the shipped scenarios (and their magic numbers)',
  },
  seed: {
    env: 'PHONEMATCH_SEED',
    type: 'string',
    help: 'seed of the chance in scenarios, 0 to 4294967295, to replay a run (default: a new one each start, shown in the banner)',
  },
  'no-watch': { env: 'PHONEMATCH_NO_WATCH', type: 'boolean', help: 'do not reload scenario files when they change' },
  'pin-length': { env: 'PHONEMATCH_PIN_LENGTH', type: 'string', help: `digits in a pin, 4 to 12 (default ${DEFAULT_CONFIG.pinLength})` },
  'token-ttl': { env: 'PHONEMATCH_TOKEN_TTL', type: 'string', help: 'life of a token: 600000, 600s, 10m (default 10m)' },
  'max-attempts': {
    env: 'PHONEMATCH_MAX_ATTEMPTS',
    type: 'string',
    help: `code entries allowed per token (default ${DEFAULT_CONFIG.maxAttempts})`,
  },
  company: { env: 'PHONEMATCH_COMPANY', type: 'string', help: `meta.company of open accounts (default "${DEFAULT_CONFIG.company}")` },
  accounts: {
    env: 'PHONEMATCH_ACCOUNTS',
    type: 'string',
    help: 'accounts file (JSON), or inline "user:pass[:company],…"; without it any user/pass log in',
  },
  'default-region': {
    env: 'PHONEMATCH_DEFAULT_REGION',
    type: 'string',
    help: `ISO2 region of 10-digit numbers (default ${DEFAULT_CONFIG.defaultRegion})`,
  },
  'ambiguous-line-type': {
    env: 'PHONEMATCH_AMBIGUOUS_LINE_TYPE',
    type: 'string',
    help: `line type of numbers that could be mobile or landline (default ${DEFAULT_CONFIG.ambiguousLineType})`,
  },
  'pending-detail': {
    env: 'PHONEMATCH_PENDING_DETAIL',
    type: 'string',
    help: 'PENDING wording: "sample" (MORE INFORMATION IS REQUIRED, default) or "table" (TRANSACTION REQUIRES FURTHER ATTENTION)',
  },
  'max-transactions': {
    env: 'PHONEMATCH_MAX_TRANSACTIONS',
    type: 'string',
    help: `transactions kept, oldest dropped first (default ${DEFAULT_CONFIG.maxTransactions})`,
  },
  'max-messages': {
    env: 'PHONEMATCH_MAX_MESSAGES',
    type: 'string',
    help: `captured messages kept (default ${DEFAULT_CONFIG.maxMessages})`,
  },
  'max-journal': { env: 'PHONEMATCH_MAX_JOURNAL', type: 'string', help: `journal entries kept (default ${DEFAULT_CONFIG.maxJournal})` },
  'max-journal-bytes': {
    env: 'PHONEMATCH_MAX_JOURNAL_BYTES',
    type: 'string',
    help: `bytes the journal may hold, oldest entries dropped first (default ${DEFAULT_CONFIG.maxJournalBytes})`,
  },
  'max-event-streams': {
    env: 'PHONEMATCH_MAX_EVENT_STREAMS',
    type: 'string',
    help: `open event streams (inbox tabs) allowed (default ${DEFAULT_CONFIG.maxEventStreams})`,
  },
  'max-long-polls': {
    env: 'PHONEMATCH_MAX_LONG_POLLS',
    type: 'string',
    help: `long-polls allowed to wait at once (default ${DEFAULT_CONFIG.maxLongPolls})`,
  },
  'max-connections': {
    env: 'PHONEMATCH_MAX_CONNECTIONS',
    type: 'string',
    help: `open connections allowed (default ${DEFAULT_CONFIG.maxConnections})`,
  },
  'request-timeout': {
    env: 'PHONEMATCH_REQUEST_TIMEOUT',
    type: 'string',
    help: 'time for a request to arrive in full: 10000, 10s (default 10s)',
  },
  'idle-timeout': {
    env: 'PHONEMATCH_IDLE_TIMEOUT',
    type: 'string',
    help: 'time an idle keep-alive connection stays open: 30000, 30s (default 30s)',
  },
  'admin-token': {
    env: 'PHONEMATCH_ADMIN_TOKEN',
    type: 'string',
    help: 'token the control API and inbox require; needed to listen beyond loopback',
  },
  'log-level': {
    env: 'PHONEMATCH_LOG_LEVEL',
    type: 'string',
    help: `fatal, error, warn, info, debug, trace or silent (default ${DEFAULT_CONFIG.logLevel})`,
  },
  help: { env: '', type: 'boolean', short: 'h', help: 'show this help' },
  version: { env: '', type: 'boolean', short: 'v', help: 'print the version' },
} as const satisfies Record<string, FlagSpec>;

type FlagName = keyof typeof FLAGS;

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
    '  phonematch-mock scenarios list [dir…]        list the scenarios (shipped and yours)',
    '  phonematch-mock scenarios validate [dir…]    check scenario files: N valid, M invalid; non-zero exit on a bad one',
    '  phonematch-mock verify <pacts…> [options]    verify consumer pacts against the mock (verify --help)',
    '',
    'Options (flag > environment variable > default):',
    ...lines,
  ].join('\n');
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

/** Resolves flags and environment into a config (flag > environment > default). */
export function configFrom(
  argv: string[],
  env: NodeJS.ProcessEnv,
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
    throw new ConfigError(`${(error as Error).message}\nRun phonematch-mock --help for the options.`);
  }
  const values = parsed.values as Partial<Record<FlagName, string | boolean | string[]>>;
  const pick = (name: FlagName): string | undefined => {
    const flag = values[name];
    if (typeof flag === 'string') return flag;
    const fromEnv = FLAGS[name].env ? env[FLAGS[name].env] : undefined;
    return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
  };
  const bool = (name: FlagName): boolean | undefined => {
    if (values[name] === true) return true;
    const fromEnv = FLAGS[name].env ? env[FLAGS[name].env] : undefined;
    return fromEnv === undefined || fromEnv === '' ? undefined : /^(1|true|yes|on)$/i.test(fromEnv);
  };
  /** Every value of a repeatable flag, lists split; the environment's only without the flag. */
  const list = (name: FlagName): string[] | undefined => {
    const flag = values[name];
    const fromEnv = FLAGS[name].env ? env[FLAGS[name].env] : undefined;
    const raw = Array.isArray(flag) ? flag : fromEnv === undefined || fromEnv === '' ? undefined : [fromEnv];
    return raw
      ?.flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter((v) => v !== '');
  };
  const config: Partial<MockConfig> = {};
  const str = (name: FlagName, apply: (value: string) => void) => {
    const value = pick(name);
    if (value !== undefined) apply(value);
  };
  str('port', (v) => {
    config.port = integer('port', v);
  });
  str('host', (v) => {
    config.host = v;
  });
  const folders = list('scenarios');
  if (folders?.includes('none')) {
    if (folders.length > 1) throw new ConfigError('--scenarios none means no scenarios at all: give it alone');
    config.scenarios = null;
  } else if (folders !== undefined) config.scenarios = folders;
  const noShipped = bool('no-shipped-scenarios');
  if (noShipped !== undefined) config.shippedScenarios = !noShipped;
  str('seed', (v) => {
    config.seed = integer('seed', v);
  });
  const noWatch = bool('no-watch');
  if (noWatch !== undefined) config.watchScenarios = !noWatch;
  str('pin-length', (v) => {
    config.pinLength = integer('pin-length', v);
  });
  str('token-ttl', (v) => {
    config.tokenTtlMs = duration('token-ttl', v);
  });
  str('max-attempts', (v) => {
    config.maxAttempts = integer('max-attempts', v);
  });
  str('company', (v) => {
    config.company = v;
  });
  str('accounts', (v) => {
    try {
      config.accounts = loadAccounts(v);
    } catch (error) {
      throw new ConfigError(`--accounts: ${(error as Error).message}`);
    }
  });
  str('default-region', (v) => {
    config.defaultRegion = v.toUpperCase();
  });
  str('ambiguous-line-type', (v) => {
    if (!LINE_TYPES.includes(v as LineType)) throw new ConfigError(`--ambiguous-line-type must be one of ${LINE_TYPES.join(', ')}`);
    config.ambiguousLineType = v as LineType;
  });
  str('pending-detail', (v) => {
    config.pendingDetail = v as MockConfig['pendingDetail'];
  });
  str('max-transactions', (v) => {
    config.maxTransactions = integer('max-transactions', v);
  });
  str('max-messages', (v) => {
    config.maxMessages = integer('max-messages', v);
  });
  str('max-journal', (v) => {
    config.maxJournal = integer('max-journal', v);
  });
  str('max-journal-bytes', (v) => {
    config.maxJournalBytes = integer('max-journal-bytes', v);
  });
  str('max-event-streams', (v) => {
    config.maxEventStreams = integer('max-event-streams', v);
  });
  str('max-long-polls', (v) => {
    config.maxLongPolls = integer('max-long-polls', v);
  });
  str('max-connections', (v) => {
    config.maxConnections = integer('max-connections', v);
  });
  str('request-timeout', (v) => {
    config.requestTimeoutMs = duration('request-timeout', v);
  });
  str('idle-timeout', (v) => {
    config.idleTimeoutMs = duration('idle-timeout', v);
  });
  str('admin-token', (v) => {
    config.adminToken = v;
  });
  str('log-level', (v) => {
    config.logLevel = v as MockConfig['logLevel'];
  });
  // Validate everything now, so a bad value is reported before anything starts.
  resolveConfig(config);
  return { config, help: values.help === true, version: values.version === true, positionals: parsed.positionals };
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
    console.error(`unknown command 'scenarios ${action ?? ''}': use 'scenarios list' or 'scenarios validate'`);
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
