/**
 * The simulator's configuration: defaults, and the one place flags and environment variables are
 * read (flag > environment > default). `buildApp` takes a resolved `MockConfig`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Account, parseAccounts } from './domain/accounts.js';
import { isKnownRegion, LINE_TYPES, type LineType } from './domain/phone.js';
import { packagePath } from './paths.js';

export const PENDING_DETAILS = {
  // The wording of every JSON sample on the documentation page (the default).
  sample: 'MORE INFORMATION IS REQUIRED',
  // The wording of the page's results table.
  table: 'TRANSACTION REQUIRES FURTHER ATTENTION',
} as const;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** `pretty`: one coloured line per event, for a person at a terminal; `json`: one object a line, for tools. */
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface MockConfig {
  host: string;
  port: number;
  /**
   * Folders of your scenario files, read after the shipped folder; null for no scenarios at all.
   * Resolved (`resolveConfig`): every folder read, absolute, the shipped one first, or null.
   */
  scenarios: string | readonly string[] | null;
  /** Load the shipped scenarios (and their magic numbers) beside yours. */
  shippedScenarios: boolean;
  /** Watch the scenario folder and apply changes without a restart. */
  watchScenarios: boolean;
  pinLength: number;
  tokenTtlMs: number;
  maxAttempts: number;
  company: string;
  /** Null: any non-empty user and pass are accepted. */
  accounts: Account[] | null;
  defaultRegion: string;
  ambiguousLineType: LineType;
  pendingDetail: keyof typeof PENDING_DETAILS;
  maxTransactions: number;
  maxMessages: number;
  maxJournal: number;
  /** Bytes the journal may hold, whatever its entry count; the oldest entries go first. */
  maxJournalBytes: number;
  /** Messages on their way late (`delivery.delayMs`); beyond it a message arrives at once. */
  maxLateDeliveries: number;
  /** Namespaces with their own clock offset, and with their own active scenario (each). */
  maxNamespaces: number;
  /** Open event streams (`/__admin/events`); beyond it ADM429. */
  maxEventStreams: number;
  /** Waiting long-polls (`/__admin/messages/latest?wait=`); beyond it ADM429. */
  maxLongPolls: number;
  /** Open connections; beyond it a new connection is closed at once. */
  maxConnections: number;
  /** Time for a request to arrive in full, head and body (408 beyond it). */
  requestTimeoutMs: number;
  /** Time an idle keep-alive connection stays open. */
  idleTimeoutMs: number;
  /** How long an ended or expired transaction stays visible before the sweep drops it. */
  retentionMs: number;
  /**
   * Seed of the generator behind chance in scenarios (probabilities, latency ranges), 0 to
   * 2^32 - 1; null picks one at start (the banner and the journal show it, to replay a run).
   */
  seed: number | null;
  logLevel: (typeof LOG_LEVELS)[number];
  /** The CLI picks `pretty` when its output is a terminal. */
  logFormat: LogFormat;
  /** Required for the control API and the inbox when listening beyond loopback. */
  adminToken: string | null;
  bodyLimit: number;
}

export const SHIPPED_SCENARIOS = packagePath('scenarios');

export const DEFAULT_CONFIG: Readonly<MockConfig> = Object.freeze({
  host: '127.0.0.1',
  port: 8080,
  // Resolved form: the folders read. Yours are added after it; shippedScenarios: false drops it.
  scenarios: Object.freeze([SHIPPED_SCENARIOS]),
  shippedScenarios: true,
  watchScenarios: true,
  pinLength: 6,
  tokenTtlMs: 600_000,
  maxAttempts: 1,
  company: 'PhoneMatch Mock, Inc.',
  accounts: null,
  defaultRegion: 'US',
  ambiguousLineType: 'mobile',
  pendingDetail: 'sample',
  // Bounds of the store. At these, a mock under a sustained load test stays under 250 MB of RSS
  // (`npm run bench`: 210 MB): the command lets V8 grow the heap to three times what survives a
  // collection (src/heap.ts); every 10,000 transactions kept cost about 15 MB of RSS when V8
  // grew it to four times, a quarter less now. Tests rarely hold more than a few
  // hundred at once; a long load test whose continue comes minutes later raises the cap.
  maxTransactions: 20_000,
  maxMessages: 5_000,
  maxJournal: 5_000,
  // Each entry is bounded (about 40 KB at most: docs/reliability.md), and so is their sum.
  maxJournalBytes: 16 * 1024 * 1024,
  // The budgets below hold whatever clients do (docs/reliability.md has the worst case of each).
  maxLateDeliveries: 5_000,
  maxNamespaces: 1_000,
  maxEventStreams: 32,
  maxLongPolls: 256,
  maxConnections: 256,
  requestTimeoutMs: 10_000,
  idleTimeoutMs: 30_000,
  retentionMs: 600_000,
  seed: null,
  logLevel: 'info',
  logFormat: 'json',
  adminToken: null,
  bodyLimit: 1_048_576,
});

/**
 * Every scenario folder to read: the shipped one (unless left out), then yours, each once.
 * Resolving a resolved value gives it back.
 */
export function scenarioFolders(scenarios: MockConfig['scenarios'], shipped: boolean): readonly string[] | null {
  if (scenarios === null) return null;
  const yours = typeof scenarios === 'string' ? [scenarios] : scenarios;
  const all = [...new Set([...(shipped ? [SHIPPED_SCENARIOS] : []), ...yours].map((dir) => resolve(dir)))];
  return all.length > 0 ? all : null;
}

export function resolveConfig(partial: Partial<MockConfig> = {}): MockConfig {
  const merged = { ...DEFAULT_CONFIG, ...stripUndefined(partial) };
  // Your folders: none unless given (the default's own value is the shipped folder).
  const yours = partial.scenarios === undefined ? [] : partial.scenarios;
  const config = { ...merged, scenarios: scenarioFolders(yours, merged.shippedScenarios) };
  const problems = validateConfig(config);
  if (problems.length > 0) throw new ConfigError(problems.join('; '));
  return config;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function validateConfig(c: MockConfig): string[] {
  const problems: string[] = [];
  const int = (name: string, v: number, min: number, max = Number.MAX_SAFE_INTEGER) => {
    if (!Number.isInteger(v) || v < min || v > max) problems.push(`${name} must be an integer from ${min} to ${max}, got ${v}`);
  };
  int('port', c.port, 0, 65535);
  int('pin length', c.pinLength, 4, 12);
  int('token ttl', c.tokenTtlMs, 1);
  int('max attempts', c.maxAttempts, 1, 100);
  int('max transactions', c.maxTransactions, 1);
  int('max messages', c.maxMessages, 1);
  int('max journal', c.maxJournal, 1);
  // The journal's texts go into one buffer of this size (store/journal-log.ts): 1 GiB is far below Node's largest.
  int('max journal bytes', c.maxJournalBytes, 65_536, 1024 ** 3);
  int('retention', c.retentionMs, 0);
  int('max late deliveries', c.maxLateDeliveries, 0);
  int('max namespaces', c.maxNamespaces, 1);
  int('max event streams', c.maxEventStreams, 1);
  int('max long polls', c.maxLongPolls, 1);
  int('max connections', c.maxConnections, 1);
  int('request timeout', c.requestTimeoutMs, 1_000);
  int('idle timeout', c.idleTimeoutMs, 1_000);
  int('body limit', c.bodyLimit, 1024);
  if (!/^[A-Z]{2}$/.test(c.defaultRegion) || !isKnownRegion(c.defaultRegion))
    problems.push(`default region must be an ISO2 code with phone numbers, such as US, got '${c.defaultRegion}'`);
  if (!LINE_TYPES.includes(c.ambiguousLineType)) problems.push(`ambiguous line type must be one of ${LINE_TYPES.join(', ')}`);
  if (!Object.hasOwn(PENDING_DETAILS, c.pendingDetail))
    problems.push(`pending detail must be 'sample' or 'table', got '${c.pendingDetail}'`);
  if (!LOG_LEVELS.includes(c.logLevel)) problems.push(`log level must be one of ${LOG_LEVELS.join(', ')}, got '${c.logLevel}'`);
  if (c.seed !== null) int('seed', c.seed, 0, 0xffff_ffff);
  if (!LOG_FORMATS.includes(c.logFormat)) problems.push(`log format must be one of ${LOG_FORMATS.join(', ')}, got '${c.logFormat}'`);
  if (c.company.trim() === '') problems.push('company must not be empty');
  return problems;
}

/** Reads accounts from a file path, or from an inline value (JSON or `user:pass[:company],...`). */
export function loadAccounts(value: string): Account[] {
  const looksInline = /^[[{]/.test(value.trim()) || (value.includes(':') && !value.includes('/') && !value.endsWith('.json'));
  const text = looksInline ? value : readFileSync(value, 'utf8');
  const accounts = parseAccounts(text);
  if (accounts.length === 0) throw new ConfigError(`no accounts found in ${looksInline ? 'the given value' : value}`);
  return accounts;
}
