/**
 * The simulator: PhoneMatch's gateway and continue. What every service shares lives here (the
 * namespace, the number's facts, the scenario in force, confirmation numbers, `meta`, the store);
 * each service family decides in its own module of `services/`. No HTTP here: the routes hand it
 * validated bodies and turn what it returns (or throws) into answers.
 */

import { type MockConfig, PENDING_DETAILS } from './config.js';
import { type Account, AccountBook, type LoggedIn } from './domain/accounts.js';
import { type Clock, createClock, transactionTimestamp } from './domain/clock.js';
import { type CallOutcome, placeCall } from './domain/dialer.js';
import { PhoneMatchError } from './domain/errors.js';
import { IDENTITY_DETAIL } from './domain/identity.js';
import { newToken } from './domain/otp.js';
import { analysePhone, type PhoneFacts, type PhoneOptions, phoneKeys } from './domain/phone.js';
import { RandomStreams, randomSeed } from './domain/random.js';
import type { ScenarioTransport } from './generated/scenario.js';
import type { LoadedScenario } from './scenarios/loader.js';
import { ScenarioRegistry } from './scenarios/registry.js';
import { type Endpoint, type SelectedVia, type Selection, type SelectionRequest, selectOutcome } from './scenarios/select.js';
import { SequenceMemory, type Subject, type Variant, vary } from './scenarios/variation.js';
import { dialerTransaction } from './services/dialer.js';
import { CHANNEL_OF, type GatewayRequest } from './services/otp.js';
import { modelOfKind } from './services/registry.js';
import type { AddOn, ServiceKit, ServiceModel } from './services/types.js';
import type { BudgetUse } from './store/budget.js';
import { MemoryStore } from './store/memory-store.js';
import type { CodeFields, Message, MessageStatus, Meta, Store, Transaction, TransactionBase } from './store/types.js';

export type { ContinueRequest, ContinueResponse, GatewayRequest, GatewayResponse } from './services/otp.js';
export { CONTINUE_URL } from './services/otp.js';

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
  /** Milliseconds to wait before answering, drawn from the namespace's seeded stream. */
  latencyMs: number;
  /** What the scenario's sequence and chance did ("gateway step 1 of 2"), null when nothing. */
  variation: string | null;
  /** The transaction made or continued; null when none was (a replaced answer, a FAIL kept no token). */
  transactionId: number | null;
  body: Body | null;
}

export interface SeedTransaction {
  phone: string;
  pin: string;
  token?: string;
  namespace?: string;
  user?: string;
  service?: SeedService;
  reference?: string | null;
  ttlMs?: number;
}

/** The services a seeded transaction may be of: those that send a code. */
export type SeedService = GatewayRequest['service'] | 'PhoneMatch5.0.Smart2FA.SMS' | 'PhoneMatch5.0.Smart2FA.Call';

export interface SeedCall {
  phone: string;
  token: string;
  /** `in-progress`: status requests answer PENDING (for the token's life); otherwise how the call ended. */
  status: 'in-progress' | CallOutcome;
  user?: string;
  reference?: string | null;
  audio?: string;
}

export interface SimulatorParts {
  clock?: Clock;
  store?: Store;
  /** Scenarios given in code, ahead of the folder's. */
  inlineScenarios?: readonly LoadedScenario[];
}

const PHONE_MEMO_MIN = 1024;
const PHONE_MEMO_KEY_LENGTH = 64;

export class Simulator {
  readonly clock: Clock;
  readonly store: Store;
  readonly scenarios: ScenarioRegistry;
  readonly accounts: AccountBook;
  readonly phoneOptions: PhoneOptions;
  /** The seed of every chance in scenarios: the banner and the journal show it, `--seed` replays it. */
  readonly seed: number;
  readonly random: RandomStreams;
  /** Where each key stands in its scenario's sequence, per namespace. */
  readonly sequences = new SequenceMemory();
  /**
   * The latest transaction of each number in each namespace, for the resend rule (otp.ts).
   * Bounded like the store's ring; cleared when full (a resend then leaves the older token be).
   *
   * Kept only from the first time a resend rule is in force (`latestTracked`), built then from the
   * transactions the store holds: nothing else reads it, and keeping it cost every gateway a
   * lookup and a write in cold maps, 0.6 µs a request with 10,000 numbers in 1,000 namespaces
   * (`perf`; docs/performance.md). Built from the store it holds what keeping it all along
   * would have for every transaction a gateway made that the store still holds (seeded ones were
   * never part of it). One difference, at the build only: a transaction the control API deleted
   * before it is gone from the index too, so the number's pending code before it is the latest.
   */
  private readonly latestByPhone = new Map<string, Map<string, Transaction>>();
  /** How many numbers `latestByPhone` holds, over all namespaces. */
  private latestCount = 0;
  private latestTracked = false;
  /** Transactions made by the control API (Pact's states), not by a gateway: not a resend's "pending code". */
  private readonly seeded = new WeakSet<Transaction>();
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
  /** What the service models may use of the simulator (services/types.ts). */
  private readonly kit: ServiceKit;
  private readonly phoneMemo = new Map<string, PhoneFacts>();
  private readonly phoneMemoSize: number;
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
    this.phoneMemoSize = Math.max(PHONE_MEMO_MIN, config.maxTransactions);
    this.seed = config.seed ?? randomSeed();
    this.random = new RandomStreams(this.seed);
    this.kit = {
      config,
      store: this.store,
      phoneOptions: this.phoneOptions,
      pendingDetail: this.pendingDetail,
      now: (namespace) => this.clock.now(namespace),
      nextConfirmation: () => this.nextConfirmation(),
      nextMessageId: () => ++this.messageSeq,
      meta: (confirmation, tx, now) => this.meta(confirmation, tx, now),
      deliver: (message, tx, delayMs) => this.deliver(message, tx, delayMs),
      latestFor: (namespace, phone) => this.latestFor(namespace, phone),
    };
  }

  /** AUTH0 unless the credentials log in. Checked before the body's shape (reference section 6). */
  authenticate(body: Readonly<Record<string, unknown>>): LoggedIn {
    const login = this.accounts.authenticate(body.user, body.pass);
    if (!login) throw new PhoneMatchError('badLogin', 'The user name or password is incorrect.');
    // After the password: an inactive account is told so only with the right credentials.
    if (!login.active) throw new PhoneMatchError('userNotActive', `The account ${login.user} is not active.`);
    return login;
  }

  /**
   * libphonenumber's parse, validity and type checks are the gateway's largest cost (tens of µs
   * with the full metadata, more than the rest of the request), and test suites and load tests
   * send the same numbers again and again, so the facts of the numbers seen are kept. The analysis
   * is pure for this simulator's fixed phone options. The facts are frozen and shared by every
   * transaction of that number (nothing changes them; a scenario's facts make a new object).
   *
   * As many numbers are kept as the store keeps transactions (at least 1,024): the facts of the
   * numbers the store still holds are in memory anyway, so the memo costs only its index, and a
   * run over 10,000 distinct numbers costs what a run over one does (the bench's scale run).
   * Bounded in entries and key length (the spec caps a phone at 64 characters), and cleared when
   * full rather than evicted one entry at a time, which slows a Map down (see store/ring.ts).
   */
  private analyse(raw: string): PhoneFacts {
    const known = this.phoneMemo.get(raw);
    if (known) return known;
    const facts = Object.freeze(analysePhone(raw, this.phoneOptions));
    if (raw.length <= PHONE_MEMO_KEY_LENGTH) {
      if (this.phoneMemo.size >= this.phoneMemoSize) this.phoneMemo.clear();
      this.phoneMemo.set(raw, facts);
    }
    return facts;
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

  /** The selected scenario as it applies to this request: its sequence's step and its chance drawn. */
  private variant(selection: Selection | null, endpoint: Endpoint, subject: Subject, namespace: string): Variant | null {
    if (!selection) return null;
    const scenario = selection.scenario.scenario;
    const position = this.sequences.next(namespace, scenario, endpoint, subject);
    return vary(scenario, endpoint, position, this.random.for(namespace));
  }

  /** The decision without its answer yet: one object per request, its body and transaction filled in by the caller. */
  private decision<Answer>(selection: Selection | null, variant: Variant | null, endpoint: Endpoint, namespace: string): Decision<Answer> {
    return {
      namespace,
      scenario: variant?.scenario.name ?? null,
      via: selection?.via ?? null,
      transport: variant?.scenario[endpoint],
      latencyMs: variant?.latencyMs ?? 0,
      variation: variant?.note ?? null,
      transactionId: null,
      body: null,
    };
  }

  /**
   * A gateway request of `model`'s service, already validated against its schema. What every
   * service shares happens here: the namespace, the number's facts, the scenario in force and a
   * transport it replaces; the model decides the rest.
   */
  gateway<Answer>(
    model: ServiceModel<unknown, Answer>,
    service: string,
    body: { reference?: string; target: { phone: string } },
    login: LoggedIn,
    ctx: RequestContext = {},
    addOns: readonly AddOn[] = [],
  ): Decision<Answer> {
    const namespace = ctx.namespace ?? login.user;
    const phoneInput = body.target.phone;
    if (phoneInput.trim() === '') {
      const error = new PhoneMatchError('missingInput', 'Service requires Phone to be specified.');
      error.namespace = namespace;
      throw error;
    }
    const phone = this.analyse(phoneInput);
    const selection = this.select(
      { endpoint: 'gateway', phone, user: login.user, reference: body.reference ?? null, service },
      ctx.scenario,
      namespace,
    );
    const phoneKey = phone.e164 ?? phone.digits;
    const variant = this.variant(selection, 'gateway', { phone: phoneKey, user: login.user, reference: body.reference ?? null }, namespace);
    const scenario = variant?.scenario;
    const decision = this.decision<Answer>(selection, variant, 'gateway', namespace);
    if (replacesAnswer(scenario?.gateway)) return decision;
    const { tx, answer } = model.gateway(this.kit, {
      body,
      service,
      addOns,
      login,
      namespace,
      phone,
      scenario,
      now: this.clock.now(namespace),
    });
    if (tx) {
      if (selection?.via === 'header') this.headerChosen.set(tx, selection.scenario.scenario.name);
      tx.variation = decision.variation;
      this.store.addTransaction(tx);
      if (this.latestTracked) this.rememberLatest(namespace, phoneKey, tx);
    }
    decision.transactionId = tx?.id ?? null;
    decision.body = answer;
    return decision;
  }

  /** The latest transaction of a number in a namespace (see `latestByPhone`), tracked from the first call on. */
  private latestFor(namespace: string, phone: string): Transaction | undefined {
    if (!this.latestTracked) {
      this.latestTracked = true;
      // Oldest first, so that each number's latest is the one left. The store holds at most
      // `maxTransactions`, the map's own bound, so this never clears it.
      const held = this.store.transactions({});
      for (let i = held.length - 1; i >= 0; i--) {
        const tx = held[i] as Transaction;
        if (!this.seeded.has(tx)) this.rememberLatest(tx.namespace, tx.phone.e164 ?? tx.phone.digits, tx);
      }
    }
    return this.latestByPhone.get(namespace)?.get(phone);
  }

  /**
   * Records `tx` as the latest of its number in its namespace. A map per namespace rather than one
   * map keyed by namespace and number joined: the joined key was a new string for every gateway,
   * hashed whole each time (5% of the throughput with 10,000 numbers and 1,000 namespaces); the
   * number's key is the memoised facts' own string, whose hash V8 keeps. Bounded like the store's
   * ring: cleared when full (a resend then leaves the older token be).
   */
  private rememberLatest(namespace: string, phone: string, tx: Transaction): void {
    if (this.latestCount >= this.config.maxTransactions) {
      this.latestByPhone.clear();
      this.latestCount = 0;
    }
    let byPhone = this.latestByPhone.get(namespace);
    if (byPhone === undefined) {
      byPhone = new Map();
      this.latestByPhone.set(namespace, byPhone);
    }
    const before = byPhone.size;
    byPhone.set(phone, tx);
    this.latestCount += byPhone.size - before;
  }

  /** The transaction a continue token names, if the store still has it. */
  transactionOf(token: string): Transaction | undefined {
    return this.store.transactionByToken(token);
  }

  /**
   * A continue request on `tx` (undefined: the token names no transaction), already validated
   * against the schema of the model that made it. A token that cannot be continued is the
   * bad-token error.
   */
  continue<Answer>(token: string, tx: Transaction | undefined, body: unknown, ctx: RequestContext = {}): Decision<Answer> {
    if (!tx) throw badToken(token, ctx.namespace);
    const model = modelOfKind(tx.kind) as ServiceModel<unknown, unknown, unknown, Answer>;
    const namespace = tx.namespace;
    const inherited = this.headerChosen.get(tx);
    const selection = this.select(
      { endpoint: 'continue', phone: tx.phone, user: tx.user, reference: tx.reference, service: tx.service },
      // An inherited choice whose file has since been removed falls back to the usual order.
      ctx.scenario ?? (inherited !== undefined && this.scenarios.get(inherited) ? inherited : undefined),
      namespace,
    );
    const subject = { phone: tx.phone.e164 ?? tx.phone.digits, user: tx.user, reference: tx.reference };
    const variant = this.variant(selection, 'continue', subject, namespace);
    const scenario = variant?.scenario;
    const decision = this.decision<Answer>(selection, variant, 'continue', namespace);
    if (replacesAnswer(scenario?.continue)) return decision;
    const answer = model.continue?.(this.kit, { body, tx, scenario, now: this.clock.now(namespace) }) ?? null;
    if (answer === null) throw badToken(token, namespace, decision.scenario);
    decision.transactionId = tx.id;
    decision.body = answer;
    return decision;
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

  private meta(confirmation: number, tx: Transaction, now: number): Meta {
    return {
      confirmation,
      reference: tx.reference,
      service: tx.service,
      timestamp: this.timestamp(now),
      company: tx.company,
      user: tx.user,
    };
  }

  private deliver(message: Message, tx: Transaction & { messageId: number | null }, delayMs: number): void {
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
      if ('messageId' in tx) tx.messageId = message.id;
      this.store.addMessage(message);
    }, delayMs);
    timer.unref();
    this.timers.set(timer, message.namespace);
  }

  /** The status a captured message reads as now: a Dialer call's changes with the mock's clock. */
  messageStatus(message: Message): MessageStatus {
    const tx = message.token === null ? undefined : this.store.transactionByToken(message.token);
    if (!tx || tx.id !== message.transactionId) return message.status;
    return modelOfKind(tx.kind).messageStatus?.(tx, message, this.clock.now(tx.namespace)) ?? message.status;
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
    this.retireToken(token, now);
    const fields: TransactionBase & CodeFields = {
      id: this.nextConfirmation(),
      namespace,
      token,
      service,
      channel: CHANNEL_OF[service.replace('.Smart2FA', '')] ?? 'sms',
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
      variation: null,
      attempts: [],
    };
    // A Smart 2FA seed is of the default person: its identity step passes unless a scenario says otherwise.
    const tx: Transaction = service.includes('.Smart2FA.')
      ? {
          kind: 'smart2fa',
          ...fields,
          identity: { testKey: null, verdict: { action: 'PASS', detail: IDENTITY_DETAIL.passed }, issues: [], vpin: null },
        }
      : { kind: 'otp', ...fields };
    this.seeded.add(tx);
    this.store.addTransaction(tx);
    return tx;
  }

  /** Re-seeding a token replaces it: the older transaction is closed, the index points to the new one. */
  private retireToken(token: string, now: number): void {
    const existing = this.store.transactionByToken(token);
    if (existing) {
      existing.state = 'rejected';
      existing.updatedAt = now;
    }
  }

  /** A Dialer call made directly, as Pact's "a call to {phone} with token {token} …" states need. */
  seedCall(seed: SeedCall): Transaction {
    const user = seed.user ?? 'user@company.com';
    const now = this.clock.now(user);
    this.retireToken(seed.token, now);
    const inProgress = seed.status === 'in-progress';
    // A call in progress lasts the token's life: every status request in it answers PENDING.
    const call = placeCall(
      seed.audio ?? 'test.message',
      inProgress ? { durationMs: this.config.tokenTtlMs } : { outcome: seed.status as CallOutcome },
      now,
    );
    const fields = {
      id: this.nextConfirmation(),
      namespace: user,
      service: 'PhoneMatch5.0.Dialer',
      user,
      company: this.accounts.companyOf(user),
      reference: seed.reference ?? null,
      phone: analysePhone(seed.phone, this.phoneOptions),
      scenario: null,
    };
    const tx = dialerTransaction(this.kit, fields, { token: seed.token, call }, now);
    this.seeded.add(tx);
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
    this.sequences.reset(namespace);
    this.random.reset(namespace);
    if (namespace === undefined) {
      this.latestByPhone.clear();
      this.latestCount = 0;
    } else {
      this.latestCount -= this.latestByPhone.get(namespace)?.size ?? 0;
      this.latestByPhone.delete(namespace);
    }
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

/** QRY6 for an unknown, spent or expired token; as documented, the detail is the token itself. */
function badToken(token: string, namespace: string | undefined, scenario: string | null = null): PhoneMatchError {
  const error = new PhoneMatchError('badToken', token);
  error.scenario = scenario;
  error.namespace = namespace;
  return error;
}

function replacesAnswer(transport: ScenarioTransport | undefined): boolean {
  return transport?.response !== undefined || transport?.fault !== undefined;
}

export type { Endpoint };
