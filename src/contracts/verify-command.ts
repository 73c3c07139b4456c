/**
 * `phonematch-mock verify <pact files or folders> [options]`. Its own flags are read here; every
 * other flag (`--accounts`, `--scenarios`, `--pin-length`…) configures the mock it starts and is
 * parsed by `configFrom`, strictly, as for `phonematch-mock` itself.
 */
import { parseArgs } from 'node:util';
import { configFrom } from '../cli-options.js';
import { ConfigError } from '../config.js';
import { PactFileError } from './pact-files.js';
import { ProviderStateError } from './states.js';

const VERIFY_FLAGS = {
  'provider-base-url': {
    type: 'string',
    env: 'PHONEMATCH_PROVIDER_BASE_URL',
    help: 'verify against a phonematch-mock running there (or the real service, with --real-service) instead of starting one',
  },
  provider: { type: 'string', env: 'PHONEMATCH_PROVIDER', help: 'only the pacts of this provider (default: every pact given)' },
  'real-service': {
    type: 'boolean',
    env: 'PHONEMATCH_REAL_SERVICE',
    help: 'the URL is the real PhoneMatch service: no state set-up; interactions whose states cannot hold there are skipped',
  },
  user: { type: 'string', env: 'PHONEMATCH_USER', help: 'replace "user" in every request body (real credentials for a drift check)' },
  pass: { type: 'string', env: 'PHONEMATCH_PASS', help: 'replace "pass" in every request body' },
} as const;

type VerifyFlag = keyof typeof VERIFY_FLAGS;

export function verifyUsage(): string {
  const lines = Object.entries(VERIFY_FLAGS).map(([name, spec]) => {
    const flag = `--${name}${spec.type === 'string' ? ' <value>' : ''}`;
    return `  ${flag.padEnd(32)}${spec.help}  [${spec.env}]`;
  });
  return [
    'Usage: phonematch-mock verify <pact files or folders> [options]',
    '',
    'Verifies consumer pacts against phonematch-mock with Pact, setting up each provider state from',
    'the mock\'s catalogue (see the README, "Contracts"). An unknown state fails before anything runs.',
    'Exit code: 0 when every interaction passes, 1 when one fails or a state is unknown, 2 for bad usage.',
    '',
    'Options:',
    ...lines,
    '  (any option of `phonematch-mock --help` configures the mock started here)',
  ].join('\n');
}

/** Splits the arguments: this command's own flags, and everything else for `configFrom`. */
function splitArgs(args: string[]): { own: Partial<Record<VerifyFlag, string | boolean>>; rest: string[] } {
  const options = Object.fromEntries(Object.entries(VERIFY_FLAGS).map(([name, spec]) => [name, { type: spec.type }])) as Record<
    VerifyFlag,
    { type: 'string' | 'boolean' }
  >;
  const { tokens } = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
  const own: Partial<Record<VerifyFlag, string | boolean>> = {};
  const taken = new Set<number>();
  for (const token of tokens) {
    if (token.kind !== 'option' || !(token.name in VERIFY_FLAGS)) continue;
    const name = token.name as VerifyFlag;
    if (VERIFY_FLAGS[name].type === 'string') {
      if (token.value === undefined) throw new ConfigError(`--${name} needs a value`);
      own[name] = token.value;
      taken.add(token.index);
      if (!token.inlineValue) taken.add(token.index + 1);
    } else {
      if (token.value !== undefined) throw new ConfigError(`--${name} takes no value`);
      own[name] = true;
      taken.add(token.index);
    }
  }
  return { own, rest: args.filter((_, i) => !taken.has(i)) };
}

export async function verifyCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { own, rest } = splitArgs(args);
  const { config, help, positionals } = configFrom(rest, env, Object.keys(VERIFY_FLAGS));
  if (help) {
    console.log(verifyUsage());
    return 0;
  }
  const pick = (name: VerifyFlag): string | undefined => {
    const value = own[name];
    if (typeof value === 'string') return value;
    const fromEnv = env[VERIFY_FLAGS[name].env];
    return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
  };
  const realService = own['real-service'] === true || /^(1|true|yes|on)$/i.test(env.PHONEMATCH_REAL_SERVICE ?? '');
  const providerBaseUrl = pick('provider-base-url');
  const user = pick('user');
  const pass = pick('pass');
  if (positionals.length === 0) throw new ConfigError(`verify needs pact files or folders.\n${verifyUsage()}`);
  if (realService && providerBaseUrl === undefined) throw new ConfigError('--real-service needs --provider-base-url');
  if ((user === undefined) !== (pass === undefined)) throw new ConfigError('--user and --pass go together');
  if (providerBaseUrl !== undefined && !/^https?:\/\//.test(providerBaseUrl))
    throw new ConfigError(`--provider-base-url must be an http(s) URL, got '${providerBaseUrl}'`);

  // Pact is loaded only for this command: starting the mock never needs its native library.
  const { verifyPacts } = await import('./verify.js');
  process.env.PACT_DO_NOT_TRACK ??= 'true';
  const provider = pick('provider');
  try {
    const result = await verifyPacts({
      pacts: positionals,
      mockConfig: config,
      realService,
      ...(providerBaseUrl !== undefined ? { providerBaseUrl } : {}),
      ...(provider !== undefined ? { provider } : {}),
      ...(user !== undefined && pass !== undefined ? { credentials: { user, pass } } : {}),
      ...(config.adminToken ? { adminToken: config.adminToken } : {}),
    });
    return result.passed ? 0 : 1;
  } catch (error) {
    if (error instanceof PactFileError || error instanceof ProviderStateError) {
      console.error(`phonematch-mock verify: ${error.message}`);
      return error instanceof PactFileError ? 2 : 1;
    }
    throw error;
  }
}
