/**
 * The simulator: PhoneMatch's gateway and continue, decided by the pure domain and the scenarios,
 * recorded in the store. No HTTP here: the routes hand it validated bodies and turn what it
 * returns (or throws) into answers.
 */

import { type MockConfig, PENDING_DETAILS } from './config.js';
import { type Account, AccountBook, type LoggedIn } from './domain/accounts.js';
import { type Clock, createClock, transactionTimestamp } from './domain/clock.js';
import { PhoneMatchError } from './domain/errors.js';
import { type Channel, DEFAULT_SMS_MESSAGE, entryMatches, newPin, newToken, renderMessage, spokenMessage } from './domain/otp.js';
import { analysePhone, type PhoneFacts, type PhoneOptions, phoneKeys } from './domain/phone.js';
import { decideEntry, decideGateway } from './domain/ruleset.js';
import type { components } from './generated/phonematch.js';
import type { Scenario, ScenarioTransport } from './generated/scenario.js';
import type { LoadedScenario } from './scenarios/loader.js';
import { ScenarioRegistry } from './scenarios/registry.js';
import { type Endpoint, type SelectedVia, type SelectionRequest, selectOutcome } from './scenarios/select.js';
import type { BudgetUse } from './store/budget.js';
import { MemoryStore } from './store/memory-store.js';
import type { Message, Outcome, Store, Transaction } from './store/types.js';

export type GatewayRequest = components['schemas']['GatewayRequest'];
export type GatewayResponse = components['schemas']['GatewayResponse'];
export type ContinueRequest = components['schemas']['ContinueRequest'];
export type ContinueResponse = components['schemas']['ContinueResponse'];

export const CONTINUE_URL = '/process/continue';
const INSTRUCTIONS = 'A code has been delivered to the provided number.  Please resubmit the code to complete the transaction.';
const CHANNEL_OF: Record<GatewayRequest['service'], Channel> = {
  'PhoneMatch5.0.SMS': 'sms',
  'PhoneMatch5.0.Call': 'call',
};

/** Per-request inputs that do not travel in the body. */
export interface RequestContext {
  /** `x-phonematch-namespace`. */
  namespace?: string | undefined;
  /** `x-phonematch-scenario`. */
  scenario?: string | undefined;
}

/** What the simulator decided; `body` is null when a scenario replaces the answer at the transport. */
export interface Decision<Body> {
  namespace: string;
  scenario: string | null;
  via: SelectedVia | null;
  transport: ScenarioTransport | undefined;
  body: Body | null;
}

export interface SeedTransaction {
  phone: string;
  pin: string;
  token?: string;
  namespace?: string;
  user?: string;
  service?: GatewayRequest['service'];
  reference?: string | null;
  ttlMs?: number;
}

export interface SimulatorParts {
  clock?: Clock;
  store?: Store;
  /** Scenarios given in code, ahead of the folder's. */
  inlineScenarios?: readonly LoadedScenario[];
}

const PHONE_MEMO_SIZE = 1024;
const PHONE_MEMO_KEY_LENGTH = 64;
const SHARED_SIZE = 1024;
const SHARED_KEY_LENGTH = 300;

export class Simulator {
  readonly clock: Clock;
  readonly store: Store;
  readonly scenarios: ScenarioRegistry;
  readonly accounts: AccountBook;
  readonly phoneOptions: PhoneOptions;
  private confirmation = 10_000_000;
  private messageSeq = 0;
  /** Late deliveries still on their way, with the namespace each belongs to (a reset cancels them). */
  private readonly timers = new Map<NodeJS.Timeout, string>();
  /** Late deliveries refused because `maxLateDeliveries` were already on their way. */
  private lateRefused = 0;
  /**
   * mock decision: a gateway whose scenario the `x-phonematch-scenario` header chose passes that
   * choice on to the continue of its token, as the namespace is, so the header is needed once per
   * transaction. A header on the continue itself still wins.
   */
  private readonly headerChosen = new WeakMap<Transaction, string>();
  private readonly pendingDetail: string;
  private readonly phoneMemo = new Map<string, PhoneFacts>();
  private readonly texts = new Map<string, string>();
  // Details come from the ruleset's fixed lists: a few entries each.
  private readonly outcomes: Record<Outcome['action'], Map<string, Outcome>> = { PENDING: new Map(), PASS: new Map(), FAIL: new Map() };
  private stampSecond = Number.NaN;
  private stamp = '';

  constructor(
    readonly config: MockConfig,
    parts: SimulatorParts = {},
  ) {
    this.clock = parts.clock ?? createClock(Date.now, config.maxNamespaces);
    this.store =
      parts.store ??
      new MemoryStore({
        transactions: config.maxTransactions,
        messages: config.maxMessages,
        journal: config.maxJournal,
        journalBytes: config.maxJournalBytes,
      });
    this.phoneOptions = { defaultRegion: config.defaultRegion, ambiguousLineType: config.ambiguousLineType };
    this.scenarios = new ScenarioRegistry(config.scenarios, this.phoneOptions, parts.inlineScenarios);
    this.accounts = new AccountBook(config.accounts as Account[] | null, config.company);
    this.pendingDetail = PENDING_DETAILS[config.pendingDetail];
  }

  /** AUTH0 unless the credentials log in. Checked before the body's shape (reference section 6). */
  authenticate(body: Readonly<Record<string, unknown>>): LoggedIn {
    const login = this.accounts.authenticate(body.user, body.pass);
    if (!login) throw new PhoneMatchError('badLogin', 'The user name or password is incorrect.');
    return login;
  }

  /**
   * libphonenumber's parse is the gateway's largest cost (about 10 µs), and test suites and load
   * tests send the same few numbers again and again, so the facts of the numbers seen last are
   * kept. The analysis is pure for this simulator's fixed phone options. The facts are frozen and
   * shared by every transaction of that number (nothing changes them; a scenario's facts make a
   * new object), which keeps each of up to 100,000 stored transactions smaller. Bounded in entries
   * and key length (the spec caps a phone at 64 characters), and cleared when full rather than
   * evicted one entry at a time, which slows a Map down (see store/ring.ts).
   */
  private analyse(raw: string): PhoneFacts {
    const known = this.phoneMemo.get(raw);
    if (known) return known;
    const facts = Object.freeze(analysePhone(raw, this.phoneOptions));
    if (raw.length <= PHONE_MEMO_KEY_LENGTH) {
      if (this.phoneMemo.size >= PHONE_MEMO_SIZE) this.phoneMemo.clear();
      this.phoneMemo.set(raw, facts);
    }
    return facts;
  }

  /**
   * One string object for equal strings: a stored transaction keeps the user, the namespace and
   * the service, and a fresh copy of each from every request body would be held up to 100,000
   * times. Bounded like the phone memo.
   */
  private text(value: string): string {
    const known = this.texts.get(value);
    if (known !== undefined) return known;
    if (value.length <= SHARED_KEY_LENGTH) {
      if (this.texts.size >= SHARED_SIZE) this.texts.clear();
      this.texts.set(value, value);
    }
    return value;
  }

  /** The same for outcomes: a handful of frozen objects instead of one per transaction. */
  private outcome(action: Outcome['action'], detail: string): Outcome {
    const byDetail = this.outcomes[action];
    let outcome = byDetail.get(detail);
    if (!outcome) {
      outcome = Object.freeze({ action, detail });
      byDetail.set(detail, outcome);
    }
    return outcome;
  }

  private nextConfirmation(): number {
    return ++this.confirmation;
  }

  private forcedScenario(
    header: string | undefined,
    namespace: string,
  ): { scenario: LoadedScenario; via: 'header' | 'active' } | undefined {
    if (header !== undefined) {
      const scenario = this.scenarios.get(header);
      if (!scenario) {
        const known = this.scenarios.list().map((s) => s.scenario.name);
        const error = new PhoneMatchError(
          'unknownScenario',
          `No scenario named '${header}' is loaded. Loaded: ${known.join(', ') || 'none'}.`,
        );
        error.namespace = namespace;
        throw error;
      }
      return { scenario, via: 'header' };
    }
    const active = this.scenarios.activeFor(namespace);
    return active ? { scenario: active, via: 'active' } : undefined;
  }

  private select(request: SelectionRequest, header: string | undefined, namespace: string) {
    return selectOutcome(request, this.scenarios.list(), this.forcedScenario(header, namespace));
  }

  gateway(body: GatewayRequest, login: LoggedIn, ctx: RequestContext = {}): Decision<GatewayResponse> {
    const namespace = ctx.namespace ?? login.user;
    const phoneInput = body.target.phone;
    if (phoneInput.trim() === '') {
      const error = new PhoneMatchError('missingInput', 'Service requires Phone to be specified.');
      error.namespace = namespace;
      throw error;
    }
    const reference = body.reference ?? null;
    const base = this.analyse(phoneInput);
    const selection = this.select(
      { endpoint: 'gateway', phone: base, user: login.user, reference, service: body.service },
      ctx.scenario,
      namespace,
    );
    const scenario = selection?.scenario.scenario;
    const decision = { namespace, scenario: scenario?.name ?? null, via: selection?.via ?? null, transport: scenario?.gateway };
    if (replacesAnswer(scenario?.gateway)) return { ...decision, body: null };

    const phone = withOverrides(base, scenario?.number, this.phoneOptions);
    const verdict = decideGateway(phone, body.options?.outofband, scenario?.delivery?.fail === true);
    const now = this.clock.now(namespace);
    const id = this.nextConfirmation();
    const channel = CHANNEL_OF[body.service];
    const attempted = verdict.action === 'PENDING' || verdict.detail === 'FAILED TO SEND TO NUMBER';
    const pin = attempted ? (scenario?.otp?.pin ?? newPin(this.config.pinLength)) : null;
    const token = verdict.action === 'PENDING' ? newToken() : null;
    const maxAttempts = scenario?.otp?.maxAttempts ?? this.config.maxAttempts;
    const tx: Transaction = {
      id,
      namespace: this.text(namespace),
      token,
      service: this.text(body.service),
      channel,
      user: this.text(login.user),
      company: login.company,
      reference,
      phone,
      pin,
      messageId: null,
      state: token ? 'pending' : 'rejected',
      outcome: verdict.action === 'PENDING' ? this.outcome('PENDING', this.pendingDetail) : this.outcome('FAIL', verdict.detail),
      maxAttempts,
      attemptsLeft: token ? maxAttempts : 0,
      createdAt: now,
      expiresAt: token ? now + (scenario?.otp?.ttlMs ?? this.config.tokenTtlMs) : null,
      updatedAt: now,
      scenario: decision.scenario,
      attempts: [],
    };
    if (pin !== null) {
      const text =
        channel === 'call'
          ? spokenMessage(pin)
          : renderMessage(body.options?.outofband?.message ?? DEFAULT_SMS_MESSAGE, pin, body.target as Record<string, unknown>);
      const message: Message = {
        id: ++this.messageSeq,
        namespace: tx.namespace,
        phone: phone.e164 ?? phone.digits,
        phoneInput: base.input,
        channel,
        text,
        pin,
        token,
        status: token ? 'delivered' : 'failed',
        transactionId: id,
        scenario: decision.scenario,
        createdAt: now,
      };
      tx.messageId = message.id;
      this.deliver(message, tx, scenario?.delivery?.delayMs ?? 0);
    }
    if (selection?.via === 'header') this.headerChosen.set(tx, selection.scenario.scenario.name);
    this.store.addTransaction(tx);

    const meta = this.meta(id, tx, now);
    const result = {
      action: tx.outcome.action as 'PENDING' | 'FAIL',
      detail: tx.outcome.detail as GatewayResponse['result']['detail'],
      issues: [],
    };
    const response: GatewayResponse = token
      ? {
          output: { outofband: {} },
          meta,
          result,
          continuations: { outofband: { url: CONTINUE_URL, template: { token, codematch: { key: null } }, instructions: INSTRUCTIONS } },
        }
      : { output: { outofband: {} }, meta, result };
    return { ...decision, body: response };
  }

  continue(body: ContinueRequest, ctx: RequestContext = {}): Decision<ContinueResponse> {
    const tx = this.store.transactionByToken(body.token);
    if (!tx) throw badToken(ctx.namespace);
    const namespace = tx.namespace;
    const inherited = this.headerChosen.get(tx);
    const selection = this.select(
      { endpoint: 'continue', phone: tx.phone, user: tx.user, reference: tx.reference, service: tx.service },
      // An inherited choice whose file has since been removed falls back to the usual order.
      ctx.scenario ?? (inherited !== undefined && this.scenarios.get(inherited) ? inherited : undefined),
      namespace,
    );
    const scenario = selection?.scenario.scenario;
    const decision = { namespace, scenario: scenario?.name ?? null, via: selection?.via ?? null, transport: scenario?.continue };
    if (replacesAnswer(scenario?.continue)) return { ...decision, body: null };

    // Everything from here to the state change is synchronous: concurrent entries for one token
    // are evaluated one after the other, never more than the allowed number of attempts.
    const now = this.clock.now(namespace);
    if (tx.state === 'pending' && now >= this.expiryOf(tx, scenario)) {
      tx.state = 'expired';
      tx.updatedAt = now;
      this.store.touchTransaction(tx);
    }
    if (tx.state !== 'pending' || tx.pin === null) throw badToken(namespace, decision.scenario);

    const key = body.codematch.key;
    const forced = scenario?.otp?.entry;
    const verdict = decideEntry(forced ? forced === 'pass' : entryMatches(key, tx.pin));
    tx.attemptsLeft -= 1;
    tx.attempts.push({ at: now, key, action: verdict.action, scenario: decision.scenario });
    tx.outcome = this.outcome(verdict.action, verdict.detail);
    if (verdict.action === 'PASS') tx.state = 'passed';
    else if (tx.attemptsLeft <= 0) tx.state = 'failed';
    tx.updatedAt = now;
    this.store.touchTransaction(tx);

    const response: ContinueResponse = {
      output: { outofband: {} },
      meta: this.meta(this.nextConfirmation(), tx, now),
      result: { action: verdict.action, detail: verdict.detail, issues: [] },
    };
    return { ...decision, body: response };
  }

  /** `meta.timestamp` has whole seconds: formatted once a second, not for every answer. */
  private timestamp(now: number): string {
    const second = Math.floor(now / 1000);
    if (second !== this.stampSecond) {
      this.stampSecond = second;
      this.stamp = transactionTimestamp(now);
    }
    return this.stamp;
  }

  private meta(confirmation: number, tx: Transaction, now: number): GatewayResponse['meta'] {
    return {
      confirmation,
      reference: tx.reference,
      service: tx.service,
      timestamp: this.timestamp(now),
      company: tx.company,
      user: tx.user,
    };
  }

  /** A scenario may shorten a token's life at continue time too (`otp.ttlMs` from creation). */
  private expiryOf(tx: Transaction, scenario: Scenario | undefined): number {
    const expiry = tx.expiresAt ?? tx.createdAt;
    const ttl = scenario?.otp?.ttlMs;
    return ttl === undefined ? expiry : Math.min(expiry, tx.createdAt + ttl);
  }

  private deliver(message: Message, tx: Transaction, delayMs: number): void {
    // mock decision: with `maxLateDeliveries` on their way (each holds its message until it
    // arrives), a further late message arrives at once; the health answer counts them.
    if (delayMs > 0 && this.timers.size >= this.config.maxLateDeliveries) {
      this.lateRefused++;
      delayMs = 0;
    }
    if (delayMs <= 0) {
      this.store.addMessage(message);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      // A late message is numbered and dated when it arrives: message ids then follow arrival
      // order, which the long-poll's `after` relies on (a message that arrives after id 7 has an
      // id above 7, so a poller waiting for "newer than 7" sees it).
      message.id = ++this.messageSeq;
      message.createdAt = this.clock.now(message.namespace);
      tx.messageId = message.id;
      this.store.addMessage(message);
    }, delayMs);
    timer.unref();
    this.timers.set(timer, message.namespace);
  }

  /** Derived state: a pending transaction past its expiry reads as expired. */
  stateOf(tx: Transaction): Transaction['state'] {
    return tx.state === 'pending' && tx.expiresAt !== null && this.clock.now(tx.namespace) >= tx.expiresAt ? 'expired' : tx.state;
  }

  /** The keys an admin phone filter looks for (E.164 and digits), or undefined for no filter. */
  phoneFilter(phone: string | undefined): string[] | undefined {
    return phone === undefined || phone === '' ? undefined : phoneKeys(phone, this.phoneOptions);
  }

  /** A pending transaction made directly, as Pact's "a code {pin} was sent to {phone} with token {token}" needs. */
  seedTransaction(seed: SeedTransaction): Transaction {
    const user = seed.user ?? 'user@company.com';
    const namespace = seed.namespace ?? user;
    const now = this.clock.now(namespace);
    const service = seed.service ?? 'PhoneMatch5.0.SMS';
    const token = seed.token ?? newToken();
    const existing = this.store.transactionByToken(token);
    if (existing) {
      // Re-seeding a token replaces it: the older transaction is closed, the index points to the new one.
      existing.state = 'rejected';
      existing.updatedAt = now;
    }
    const tx: Transaction = {
      id: this.nextConfirmation(),
      namespace,
      token,
      service,
      channel: CHANNEL_OF[service],
      user,
      // Seeds carry no password: the company is the account's (or the default), never a login's.
      company: this.accounts.companyOf(user),
      reference: seed.reference ?? null,
      phone: analysePhone(seed.phone, this.phoneOptions),
      pin: seed.pin,
      messageId: null,
      state: 'pending',
      outcome: { action: 'PENDING', detail: this.pendingDetail },
      maxAttempts: this.config.maxAttempts,
      attemptsLeft: this.config.maxAttempts,
      createdAt: now,
      expiresAt: now + (seed.ttlMs ?? this.config.tokenTtlMs),
      updatedAt: now,
      scenario: null,
      attempts: [],
    };
    this.store.addTransaction(tx);
    return tx;
  }

  /** Expires a token at once (Pact's "the token {token} has expired"). False when unknown. */
  expireToken(token: string): boolean {
    const tx = this.store.transactionByToken(token);
    if (!tx) return false;
    tx.expiresAt = this.clock.now(tx.namespace);
    this.store.touchTransaction(tx);
    return true;
  }

  /** Clears everything (or one namespace): transactions, messages, journal, activations, clock offsets. */
  reset(namespace?: string): void {
    for (const [timer, owner] of this.timers) {
      if (namespace === undefined || owner === namespace) {
        clearTimeout(timer);
        this.timers.delete(timer);
      }
    }
    if (namespace === undefined) {
      this.accounts.clearRefusals();
      this.scenarios.clearRuntime();
    }
    this.scenarios.clearActivations(namespace);
    this.clock.reset(namespace);
    this.store.reset(namespace);
  }

  /** The simulator's budgets and their use (the HTTP layer adds its own for the health answer). */
  budgets(): Record<string, BudgetUse> {
    const counts = this.store.counts();
    const { limits } = this.store;
    const entries = (used: number, limit: number, refused = 0): BudgetUse => ({ unit: 'entries', used, limit, refused });
    const journalBytes = this.store.journalBytes();
    return {
      transactions: entries(counts.transactions, limits.transactions),
      messages: entries(counts.messages, limits.messages),
      journal: entries(counts.journal, limits.journal),
      journalBytes: { unit: 'bytes', used: journalBytes.used, limit: journalBytes.limit, refused: journalBytes.evicted },
      lateDeliveries: entries(this.timers.size, this.config.maxLateDeliveries, this.lateRefused),
      clockNamespaces: entries(this.clock.namespaces, this.config.maxNamespaces),
      activations: entries(this.scenarios.activations().length, this.config.maxNamespaces),
    };
  }

  /** Drops transactions that ended longer than the retention ago. */
  sweep(): number {
    return this.store.sweep(this.clock.now() - this.config.retentionMs);
  }

  close(): void {
    for (const timer of this.timers.keys()) clearTimeout(timer);
    this.timers.clear();
    this.scenarios.close();
  }
}

function badToken(namespace: string | undefined, scenario: string | null = null): PhoneMatchError {
  const error = new PhoneMatchError('badToken', 'The token is unknown, has expired or has already been used.');
  error.scenario = scenario;
  error.namespace = namespace;
  return error;
}

function replacesAnswer(transport: ScenarioTransport | undefined): boolean {
  return transport?.response !== undefined || transport?.fault !== undefined;
}

/** The number as a scenario says it is: its facts replace the metadata's. */
function withOverrides(base: PhoneFacts, facts: Scenario['number'], options: PhoneOptions): PhoneFacts {
  if (!facts) return base;
  const valid = facts.valid ?? base.valid;
  return {
    ...base,
    valid,
    country: facts.country ?? base.country,
    carrier: facts.carrier ?? base.carrier,
    lineType: valid ? (facts.lineType ?? base.lineType ?? options.ambiguousLineType) : null,
  };
}

export type { Endpoint };
