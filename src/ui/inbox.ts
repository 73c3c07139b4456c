/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The inbox page: every transaction and the message it "sent", newest first, kept live by the
 * control API's event stream. Plain DOM, no framework: it is one list of cards and a few forms.
 * Every value from the mock goes through `textContent`, never markup: messages hold user input.
 */
import type { components } from '../generated/admin.js';

type Message = components['schemas']['Message'];
type Transaction = components['schemas']['Transaction'];
type ScenarioList = components['schemas']['ScenarioList'];
type Activation = ScenarioList['active'][number];

/** How many transactions the page keeps; older ones fall off, as in the mock's own rings. */
const KEEP = 500;

const params = new URLSearchParams(location.search);
// The admin token, when the mock has one, comes from the page's own URL (`/__admin/ui?token=…`).
const token = params.get('token');

const transactions = new Map<number, Transaction>();
const messagesByTx = new Map<number, Message>();
const cards = new Map<number, HTMLElement>();
let scenarioNames: string[] = [];

function $<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page has no #${id}`);
  return found as T;
}

const ui = {
  live: $('live'),
  list: $('list'),
  empty: $('empty'),
  notice: $('notice'),
  active: $('active'),
  phone: $<HTMLInputElement>('filter-phone'),
  namespace: $<HTMLInputElement>('filter-namespace'),
  namespaces: $<HTMLDataListElement>('namespaces'),
  switcher: $<HTMLFormElement>('switcher'),
  scenario: $<HTMLSelectElement>('scenario-select'),
  scenarioNamespace: $<HTMLInputElement>('scenario-namespace'),
  deactivate: $<HTMLButtonElement>('deactivate'),
  reset: $<HTMLButtonElement>('reset'),
};

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (token) headers['x-admin-token'] = token;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const json = (await response.json().catch(() => null)) as { error?: { message: string; detail: string } } | null;
  if (!response.ok) {
    const error = json?.error;
    throw new ApiError(response.status, error ? `${error.message}: ${error.detail}` : `${method} ${path}: HTTP ${response.status}`);
  }
  return json as T;
}

function query(values: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

let noticeTimer: number | undefined;
function notice(text: string, kind: 'error' | 'info' = 'error', sticky = false): void {
  ui.notice.textContent = text;
  ui.notice.dataset.kind = kind;
  ui.notice.hidden = false;
  clearTimeout(noticeTimer);
  if (!sticky) noticeTimer = window.setTimeout(() => (ui.notice.hidden = true), 6000);
}

// ---- filters ---------------------------------------------------------------------------------

const digits = (value: string) => value.replace(/\D/g, '');

function matchesFilters(tx: Transaction): boolean {
  const namespace = ui.namespace.value.trim();
  if (namespace && tx.namespace !== namespace) return false;
  const wanted = digits(ui.phone.value);
  if (!wanted) return true;
  // A partial number is enough: "0100" finds +12015550100, whatever the punctuation typed.
  return digits(tx.phone.e164 ?? '').includes(wanted) || digits(tx.phone.input).includes(wanted);
}

function applyFilters(): void {
  let shown = 0;
  for (const [id, card] of cards) {
    const tx = transactions.get(id);
    card.hidden = !tx || !matchesFilters(tx);
    if (!card.hidden) shown += 1;
  }
  ui.empty.hidden = shown > 0;
  ui.empty.textContent =
    transactions.size === 0
      ? 'Nothing sent yet. Send POST /process/comprehensive/gateway and the code shows up here, live.'
      : 'No transaction matches the filters.';
  const namespace = ui.namespace.value.trim();
  ui.reset.textContent = namespace ? `Reset ${namespace}` : 'Reset all';
  // Keep the filters in the address so a view can be shared or reloaded.
  const next = new URLSearchParams(location.search);
  for (const [key, value] of [
    ['phone', ui.phone.value.trim()],
    ['namespace', namespace],
  ] as const) {
    if (value) next.set(key, value);
    else next.delete(key);
  }
  const search = next.toString();
  history.replaceState(null, '', `${location.pathname}${search ? `?${search}` : ''}`);
}

function refreshNamespaces(): void {
  const names = new Set<string>();
  for (const tx of transactions.values()) names.add(tx.namespace);
  const options = [...names].sort().map((name) => {
    const option = document.createElement('option');
    option.value = name;
    return option;
  });
  ui.namespaces.replaceChildren(...options);
}

// ---- cards -----------------------------------------------------------------------------------

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function timeOf(iso: string): string {
  const when = new Date(iso);
  const sameDay = when.toDateString() === new Date().toDateString();
  return sameDay ? when.toLocaleTimeString() : when.toLocaleString();
}

async function copy(text: string, button: HTMLButtonElement, source: HTMLElement): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Outside a secure context (the mock reached by a LAN address) there is no clipboard API.
    const range = document.createRange();
    range.selectNodeContents(source);
    const selection = getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
    document.execCommand('copy');
  }
  button.textContent = 'Copied';
  window.setTimeout(() => (button.textContent = 'Copy'), 1500);
}

function fact(list: HTMLDListElement, name: string, value: string | null | undefined, className?: string): void {
  if (value === null || value === undefined || value === '') return;
  list.append(el('dt', undefined, name), el('dd', className, value));
}

/** The chip of the service family: how it reached the number (Validate reaches nobody). */
const CHANNEL_LABEL: Record<string, string> = { sms: 'SMS', call: 'Call', dialer: 'Dialer' };

/** A Dialer call: the recording it plays and where the call stands. */
function renderCall(call: NonNullable<Transaction['call']>): HTMLElement {
  const row = el('div', 'call-row');
  const audio = el('span', 'audio', call.audio);
  audio.title = 'the recorded audio file the call plays';
  row.append(el('span', 'call-label', 'plays'), audio, el('span', `chip call-status call-${call.status}`, call.status));
  return row;
}

function renderCard(tx: Transaction): HTMLElement {
  const message = messagesByTx.get(tx.id);
  const card = el('article', 'card');
  card.dataset.txId = String(tx.id);
  card.dataset.outcome = tx.outcome.action;
  card.dataset.state = tx.state;

  const head = el('header', 'card-head');
  const phone = el('span', 'phone', tx.phone.e164 ?? tx.phone.input);
  phone.title = `sent as "${tx.phone.input}"`;
  head.append(
    phone,
    el(
      'span',
      `chip channel channel-${tx.channel ?? 'validate'}`,
      tx.channel === null ? 'Validate' : (CHANNEL_LABEL[tx.channel] ?? tx.channel),
    ),
    el('span', `chip outcome outcome-${tx.outcome.action.toLowerCase()}`, tx.outcome.action),
    el('span', 'detail', tx.outcome.detail),
  );
  card.append(head);

  if (tx.pin !== null) {
    const row = el('div', 'pin-row');
    const pin = el('output', 'pin', tx.pin);
    pin.setAttribute('aria-label', `code ${tx.pin.split('').join(' ')}`);
    const button = el('button', 'copy', 'Copy');
    button.type = 'button';
    button.addEventListener('click', () => void copy(tx.pin ?? '', button, pin));
    row.append(pin, button);
    if (message?.status === 'failed') row.append(el('span', 'chip undelivered', 'not delivered'));
    card.append(row);
  }
  if (tx.call) card.append(renderCall(tx.call));
  else if (message) card.append(el('p', 'text', message.text));

  const facts = el('dl', 'facts');
  fact(facts, 'state', tx.state, `state state-${tx.state}`);
  fact(facts, 'scenario', tx.scenario ?? 'base rules', tx.scenario ? 'scenario' : 'scenario muted');
  fact(facts, 'namespace', tx.namespace, 'namespace');
  fact(facts, 'time', timeOf(tx.createdAt));
  const line = [tx.phone.lineType, tx.phone.carrier, tx.phone.country].filter(Boolean).join(' · ');
  fact(facts, 'line', line || (tx.phone.valid ? null : 'invalid number'));
  fact(facts, 'service', tx.service);
  fact(facts, 'reference', tx.reference);
  fact(facts, 'confirmation', String(tx.id));
  if (tx.attempts.length > 0) fact(facts, 'entries', tx.attempts.map((a) => `${a.key} → ${a.action}`).join(', '));
  card.append(facts);
  return card;
}

/** Puts a card in place: cards are ordered by confirmation number, newest (highest) first. */
function placeCard(tx: Transaction): void {
  const card = renderCard(tx);
  card.hidden = !matchesFilters(tx);
  const existing = cards.get(tx.id);
  cards.set(tx.id, card);
  if (existing) {
    existing.replaceWith(card);
    return;
  }
  let before: Element | null = null;
  for (const other of ui.list.children) {
    if (Number((other as HTMLElement).dataset.txId) < tx.id) {
      before = other;
      break;
    }
  }
  ui.list.insertBefore(card, before);
}

function upsertTransaction(tx: Transaction): void {
  const known = transactions.get(tx.id);
  // The first load and the stream can cross: never let an older copy replace a newer one.
  if (known && known.updatedAt > tx.updatedAt) return;
  const isNew = !known;
  transactions.set(tx.id, tx);
  placeCard(tx);
  if (isNew) {
    refreshNamespaces();
    while (transactions.size > KEEP) {
      const oldest = Math.min(...transactions.keys());
      transactions.delete(oldest);
      messagesByTx.delete(oldest);
      cards.get(oldest)?.remove();
      cards.delete(oldest);
    }
  }
}

function addMessage(message: Message): void {
  messagesByTx.set(message.transactionId, message);
  // The message may come before its transaction: its card is drawn when the transaction arrives.
  const tx = transactions.get(message.transactionId);
  if (tx) placeCard(tx);
}

function forget(namespace: string | null): void {
  for (const [id, tx] of transactions) {
    if (namespace !== null && tx.namespace !== namespace) continue;
    transactions.delete(id);
    messagesByTx.delete(id);
    cards.get(id)?.remove();
    cards.delete(id);
  }
  refreshNamespaces();
}

// ---- scenarios -------------------------------------------------------------------------------

function showActivations(active: Activation[]): void {
  ui.active.replaceChildren();
  if (active.length === 0) {
    ui.active.append(el('span', 'muted', 'No scenario is active: magic numbers and the base rules decide.'));
    return;
  }
  ui.active.append(el('span', 'muted', 'Active: '));
  for (const activation of active) {
    const chip = el('span', 'chip active-chip');
    chip.dataset.scenario = activation.name;
    chip.dataset.namespace = activation.namespace ?? '';
    chip.append(
      el('strong', undefined, activation.name),
      ` ${activation.namespace === null ? 'for all namespaces' : `for ${activation.namespace}`} `,
    );
    const off = el('button', 'chip-off', '×');
    off.type = 'button';
    off.title = 'Deactivate';
    off.setAttribute('aria-label', `Deactivate ${activation.name}`);
    off.addEventListener('click', () => void deactivate(activation.namespace ?? ''));
    chip.append(off);
    ui.active.append(chip);
  }
}

async function loadScenarios(): Promise<void> {
  const list = await api<ScenarioList>('GET', '/__admin/scenarios');
  const names = list.scenarios.map((s) => s.name);
  if (names.join('\n') !== scenarioNames.join('\n')) {
    scenarioNames = names;
    const selected = ui.scenario.value;
    ui.scenario.replaceChildren(
      ...list.scenarios.map((s) => {
        const option = el('option', undefined, s.name);
        option.value = s.name;
        option.title = s.description;
        return option;
      }),
    );
    if (names.includes(selected)) ui.scenario.value = selected;
  }
  showActivations(list.active);
  if (list.errors.length > 0) notice(`Scenario file errors: ${list.errors.map((e) => `${e.file}: ${e.message}`).join('; ')}`);
}

async function activate(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const name = ui.scenario.value;
  const namespace = ui.scenarioNamespace.value.trim();
  try {
    const result = await api<{ active: Activation[] }>('PUT', '/__admin/scenarios/active', { name, ...(namespace ? { namespace } : {}) });
    showActivations(result.active);
    notice(`${name} is active for ${namespace || 'all namespaces'}.`, 'info');
  } catch (error) {
    notice((error as Error).message);
  }
}

async function deactivate(namespace: string): Promise<void> {
  try {
    const result = await api<{ active: Activation[] }>('DELETE', `/__admin/scenarios/active${query({ namespace })}`);
    showActivations(result.active);
  } catch (error) {
    notice((error as Error).message);
  }
}

async function reset(): Promise<void> {
  const namespace = ui.namespace.value.trim();
  try {
    await api('POST', `/__admin/reset${query({ namespace })}`);
    forget(namespace || null);
    applyFilters();
    await loadScenarios();
  } catch (error) {
    notice((error as Error).message);
  }
}

// ---- loading and the live stream --------------------------------------------------------------

async function loadAll(): Promise<void> {
  const [txs, messages] = await Promise.all([
    api<{ transactions: Transaction[] }>('GET', `/__admin/transactions${query({ limit: KEEP })}`),
    api<{ messages: Message[] }>('GET', `/__admin/messages${query({ limit: KEEP })}`),
  ]);
  for (const message of messages.messages) messagesByTx.set(message.transactionId, message);
  // Oldest first, so each card lands at the top as in a live feed.
  for (const tx of txs.transactions.reverse()) upsertTransaction(tx);
  applyFilters();
}

function setLive(state: 'connecting' | 'live' | 'reconnecting' | 'offline', text: string): void {
  ui.live.dataset.state = state;
  ui.live.textContent = text;
}

function connect(): void {
  const source = new EventSource(`/__admin/events${query({ token: token ?? undefined })}`);
  const on = <T>(type: string, handle: (data: T) => void) =>
    source.addEventListener(type, (event) => handle(JSON.parse((event as MessageEvent<string>).data) as T));

  // Sent first on every (re)connection: what happened while away (a reset too) is read again in full.
  let connectedBefore = false;
  on<{ version: string; active: Activation[] }>('hello', ({ version, active }) => {
    setLive('live', `live · v${version}`);
    showActivations(active);
    if (connectedBefore) forget(null);
    connectedBefore = true;
    loadAll().catch((error: Error) => notice(error.message));
  });
  on<Transaction>('transaction', (tx) => {
    upsertTransaction(tx);
    applyFilters();
  });
  on<Message>('message', (message) => {
    addMessage(message);
    applyFilters();
  });
  on<{ namespace: string | null }>('reset', ({ namespace }) => {
    forget(namespace);
    applyFilters();
  });
  on<{ active: Activation[] }>('scenarios', ({ active }) => {
    showActivations(active);
    loadScenarios().catch((error: Error) => notice(error.message));
  });
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CLOSED) setLive('offline', 'offline: reload the page');
    else setLive('reconnecting', 'reconnecting…');
  });
}

async function start(): Promise<void> {
  ui.phone.value = params.get('phone') ?? '';
  ui.namespace.value = params.get('namespace') ?? '';
  ui.phone.addEventListener('input', applyFilters);
  ui.namespace.addEventListener('input', applyFilters);
  $('filters').addEventListener('submit', (event) => event.preventDefault());
  ui.switcher.addEventListener('submit', (event) => void activate(event));
  ui.deactivate.addEventListener('click', () => void deactivate(ui.scenarioNamespace.value.trim()));
  ui.reset.addEventListener('click', () => void reset());
  applyFilters();
  try {
    // One plain request first: an EventSource cannot tell a missing token from a dropped line.
    await loadScenarios();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setLive('offline', 'locked');
      notice('This mock requires its admin token: open this page as /__admin/ui?token=<token>.', 'error', true);
      return;
    }
    notice((error as Error).message, 'error', true);
  }
  connect();
}

void start();
