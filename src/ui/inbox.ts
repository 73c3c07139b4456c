/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The inbox page, modelled on Mailpit: a dense list of transactions with a count and a search,
 * and a detail pane with the code, the message, the facts, and the request the app sent and the
 * answer the mock gave (from the journal), kept live by the control API's event stream.
 * Plain DOM, no framework. Every value from the mock goes through `textContent`, never markup:
 * messages hold user input.
 */
import type { components } from '../generated/admin.js';

type Message = components['schemas']['Message'];
type Transaction = components['schemas']['Transaction'];
type JournalEntry = components['schemas']['JournalEntry'];
type ScenarioList = components['schemas']['ScenarioList'];
type Activation = ScenarioList['active'][number];

/** How many transactions the page keeps; older ones fall off, as in the mock's own rings. */
const KEEP = 500;
/** How often relative times ("2 min ago") are brought up to date. */
const CLOCK_MS = 15_000;

const params = new URLSearchParams(location.search);
// The admin token, when the mock has one, comes from the page's own URL (`/__admin/ui?token=…`).
const token = params.get('token');

const transactions = new Map<number, Transaction>();
const messagesByTx = new Map<number, Message>();
const rows = new Map<number, HTMLElement>();
let scenarioNames: string[] = [];
let selected: number | null = null;
let loaded = false;

function $<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page has no #${id}`);
  return found as T;
}

const ui = {
  live: $('live'),
  list: $('list'),
  count: $('count'),
  loading: $('loading'),
  empty: $('empty'),
  notice: $('notice'),
  active: $('active'),
  search: $<HTMLInputElement>('search'),
  namespace: $<HTMLInputElement>('filter-namespace'),
  namespaces: $<HTMLDataListElement>('namespaces'),
  switcher: $<HTMLFormElement>('switcher'),
  scenario: $<HTMLSelectElement>('scenario-select'),
  scenarioNamespace: $<HTMLInputElement>('scenario-namespace'),
  deactivate: $<HTMLButtonElement>('deactivate'),
  reset: $<HTMLButtonElement>('reset'),
  detailEmpty: $('detail-empty'),
  detailBody: $('detail-body'),
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

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(text: string, className: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', className, text);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

// ---- times -----------------------------------------------------------------------------------

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });

/** "just now", "3 min ago", "2 hr ago"; a date past a day. The exact time is in the title. */
function ago(iso: string): string {
  const seconds = Math.round((Date.parse(iso) - Date.now()) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 10) return 'just now';
  if (abs < 60) return relative.format(seconds, 'second');
  if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return relative.format(Math.round(seconds / 3600), 'hour');
  return new Date(iso).toLocaleDateString();
}

function timeElement(iso: string, className = 'time'): HTMLTimeElement {
  const time = el('time', className, ago(iso));
  time.dateTime = iso;
  time.title = new Date(iso).toLocaleString();
  return time;
}

function refreshTimes(): void {
  for (const time of document.querySelectorAll<HTMLTimeElement>('time[datetime]')) time.textContent = ago(time.dateTime);
}

// ---- search and filters ------------------------------------------------------------------------

const digits = (value: string) => value.replace(/\D/g, '');

/** Every word of the search must be found in the number, text, reference, token or scenario. */
function matchesFilters(tx: Transaction): boolean {
  const namespace = ui.namespace.value.trim();
  if (namespace && tx.namespace !== namespace) return false;
  const words = ui.search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const message = messagesByTx.get(tx.id);
  const haystack = [tx.phone.e164, tx.phone.input, message?.text, tx.reference, tx.token, tx.scenario, tx.namespace, tx.outcome.detail]
    .filter(Boolean)
    .join('\n')
    .toLowerCase();
  const numbers = digits(`${tx.phone.e164 ?? ''}\n${tx.phone.input}`);
  // A number is found whatever the punctuation typed: "555-0100" finds +12015550100.
  return words.every(
    (word) => haystack.includes(word) || (digits(word).length >= 3 && /^[\d\s()+.-]+$/.test(word) && numbers.includes(digits(word))),
  );
}

function applyFilters(): void {
  let shown = 0;
  for (const [id, row] of rows) {
    const tx = transactions.get(id);
    row.hidden = !tx || !matchesFilters(tx);
    if (!row.hidden) shown += 1;
  }
  ui.loading.hidden = loaded;
  const filtered = shown !== transactions.size;
  ui.count.textContent = !loaded
    ? 'loading…'
    : filtered
      ? `${shown} of ${transactions.size} transactions`
      : `${transactions.size} transaction${transactions.size === 1 ? '' : 's'}`;
  ui.empty.hidden = !loaded || shown > 0;
  ui.empty.textContent =
    transactions.size === 0
      ? 'Nothing sent yet. Send POST /process/comprehensive/gateway and the code shows up here, live.'
      : 'No transaction matches the search.';
  const namespace = ui.namespace.value.trim();
  ui.reset.textContent = namespace ? `Clear ${namespace}` : 'Reset all';
  // Keep the view in the address so it can be shared or reloaded.
  const next = new URLSearchParams(location.search);
  for (const [key, value] of [
    ['q', ui.search.value.trim()],
    ['namespace', namespace],
    ['tx', selected === null ? '' : String(selected)],
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
  ui.namespaces.replaceChildren(
    ...[...names].sort().map((name) => {
      const option = document.createElement('option');
      option.value = name;
      return option;
    }),
  );
}

// ---- the list ----------------------------------------------------------------------------------

function outcomeChip(tx: Transaction): HTMLElement {
  return el('span', `chip outcome outcome-${tx.outcome.action.toLowerCase()}`, tx.outcome.action);
}

/** How the service reached the number; Validate reaches nobody. */
function channelLabel(tx: Transaction): string {
  // No channel: a service that sends nothing, Validate or one that checks an identity.
  if (tx.channel === null) return tx.identity ? 'Identity' : 'Validate';
  return { sms: 'SMS', call: 'Call', dialer: 'Dialer' }[tx.channel] ?? tx.channel;
}

/** A Dialer call: the recording it plays and where the call stands. */
function renderCall(call: NonNullable<Transaction['call']>): HTMLElement {
  const row = el('div', 'call-row');
  const audio = el('span', 'audio', call.audio);
  audio.title = 'the recorded audio file the call plays';
  row.append(el('span', 'call-label', 'plays'), audio, el('span', `chip call-status call-${call.status}`, call.status));
  return row;
}

function renderRow(tx: Transaction): HTMLElement {
  const message = messagesByTx.get(tx.id);
  const row = el('li', 'row');
  row.dataset.txId = String(tx.id);
  row.dataset.outcome = tx.outcome.action;
  row.dataset.state = tx.state;
  row.tabIndex = 0;
  row.setAttribute('role', 'button');
  row.setAttribute('aria-current', String(tx.id === selected));

  const top = el('div', 'row-top');
  top.append(el('span', 'phone', tx.phone.e164 ?? tx.phone.input), timeElement(tx.createdAt));
  const middle = el('div', 'row-middle');
  middle.append(outcomeChip(tx));
  if (tx.pin !== null) middle.append(el('span', 'pin-small', tx.pin));
  middle.append(el('span', 'detail', message?.status === 'failed' ? `${tx.outcome.detail} · not delivered` : tx.outcome.detail));
  const bottom = el('div', 'row-bottom');
  bottom.append(
    el('span', `scenario${tx.scenario ? '' : ' muted'}`, tx.scenario ?? 'base rules'),
    el('span', 'namespace', tx.namespace),
    el('span', 'channel', channelLabel(tx)),
  );
  if (tx.call) bottom.append(el('span', `call-status call-${tx.call.status}`, `call ${tx.call.status}`));
  if (tx.variation) bottom.append(el('span', 'variation', tx.variation));
  row.append(top, middle, bottom);
  row.addEventListener('click', () => select(tx.id));
  row.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      select(tx.id);
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      let next = event.key === 'ArrowDown' ? row.nextElementSibling : row.previousElementSibling;
      while (next && (next as HTMLElement).hidden) next = event.key === 'ArrowDown' ? next.nextElementSibling : next.previousElementSibling;
      (next as HTMLElement | null)?.focus();
    }
  });
  return row;
}

/** Puts a row in place: rows are ordered by confirmation number, newest (highest) first. */
function placeRow(tx: Transaction): void {
  const row = renderRow(tx);
  row.hidden = !matchesFilters(tx);
  const existing = rows.get(tx.id);
  rows.set(tx.id, row);
  if (existing) {
    existing.replaceWith(row);
  } else {
    let before: Element | null = null;
    for (const other of ui.list.children) {
      if (Number((other as HTMLElement).dataset.txId) < tx.id) {
        before = other;
        break;
      }
    }
    ui.list.insertBefore(row, before);
  }
  if (tx.id === selected) renderDetail(tx);
}

function upsertTransaction(tx: Transaction): void {
  const known = transactions.get(tx.id);
  // The first load and the stream can cross: never let an older copy replace a newer one.
  if (known && known.updatedAt > tx.updatedAt) return;
  transactions.set(tx.id, tx);
  placeRow(tx);
  if (!known) {
    refreshNamespaces();
    while (transactions.size > KEEP) drop(Math.min(...transactions.keys()));
  }
}

function addMessage(message: Message): void {
  messagesByTx.set(message.transactionId, message);
  // The message may come before its transaction: its row is drawn when the transaction arrives.
  const tx = transactions.get(message.transactionId);
  if (tx) placeRow(tx);
}

function drop(id: number): void {
  transactions.delete(id);
  messagesByTx.delete(id);
  rows.get(id)?.remove();
  rows.delete(id);
  if (selected === id) select(null);
}

function forget(namespace: string | null): void {
  for (const [id, tx] of transactions) if (namespace === null || tx.namespace === namespace) drop(id);
  refreshNamespaces();
}

// ---- the detail pane ---------------------------------------------------------------------------

function select(id: number | null): void {
  const previous = selected === null ? undefined : rows.get(selected);
  previous?.setAttribute('aria-current', 'false');
  selected = id;
  document.body.dataset.view = id === null ? 'list' : 'detail';
  const tx = id === null ? undefined : transactions.get(id);
  if (!tx) {
    selected = null;
    document.body.dataset.view = 'list';
    ui.detailBody.hidden = true;
    ui.detailBody.replaceChildren();
    ui.detailEmpty.hidden = false;
  } else {
    rows.get(tx.id)?.setAttribute('aria-current', 'true');
    renderDetail(tx);
    void loadExchanges(tx.id);
  }
  applyFilters();
}

async function copy(text: string, target: HTMLButtonElement, source: HTMLElement): Promise<void> {
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
  target.textContent = 'Copied';
  window.setTimeout(() => (target.textContent = 'Copy'), 1500);
}

function fact(list: HTMLDListElement, name: string, value: string | null | undefined, className?: string): void {
  if (value === null || value === undefined || value === '') return;
  list.append(el('dt', undefined, name), el('dd', className, value));
}

function renderDetail(tx: Transaction): void {
  const message = messagesByTx.get(tx.id);
  const body = ui.detailBody;
  const exchanges = body.dataset.txId === String(tx.id) ? body.querySelector('.exchanges') : null;
  body.replaceChildren();
  body.dataset.txId = String(tx.id);
  body.hidden = false;
  ui.detailEmpty.hidden = true;

  const head = el('header', 'detail-head');
  head.append(
    button('← All', 'back secondary', () => select(null)),
    el('h2', 'phone', tx.phone.e164 ?? tx.phone.input),
    outcomeChip(tx),
    el('span', 'detail', tx.outcome.detail),
  );
  body.append(head);
  if (tx.identity && tx.identity.issues.length > 0) {
    // The identity verdict's issues (a REVIEW), one chip each: what did not match.
    const issues = el('ul', 'issues');
    issues.setAttribute('aria-label', 'identity issues');
    for (const issue of tx.identity.issues) issues.append(el('li', 'chip issue', issue));
    body.append(issues);
  }

  if (tx.pin !== null) {
    const row = el('div', 'pin-row');
    const pin = el('output', 'pin', tx.pin);
    pin.setAttribute('aria-label', `code ${tx.pin.split('').join(' ')}`);
    const copyButton = button('Copy', 'copy', () => void copy(tx.pin ?? '', copyButton, pin));
    row.append(pin, copyButton);
    if (message?.status === 'failed') row.append(el('span', 'chip undelivered', 'not delivered'));
    body.append(row);
  }
  if (tx.call) body.append(renderCall(tx.call));
  else if (message) body.append(el('p', 'text', message.text));

  const facts = el('dl', 'facts');
  fact(facts, 'state', tx.state, `state state-${tx.state}`);
  fact(facts, 'scenario', tx.scenario ?? 'base rules', tx.scenario ? 'scenario' : 'scenario muted');
  fact(facts, 'sequence · chance', tx.variation, 'variation');
  fact(facts, 'namespace', tx.namespace, 'namespace');
  fact(facts, 'sent', `${new Date(tx.createdAt).toLocaleString()} (${ago(tx.createdAt)})`);
  const line = [tx.phone.lineType, tx.phone.carrier, tx.phone.country].filter(Boolean).join(' · ');
  fact(facts, 'line', line || (tx.phone.valid ? null : 'invalid number'));
  fact(facts, 'sent as', tx.phone.input);
  fact(facts, 'service', `${tx.service} (${channelLabel(tx)})`);
  fact(facts, 'reference', tx.reference);
  fact(facts, 'token', tx.token, 'token');
  fact(facts, 'confirmation', String(tx.id));
  fact(facts, 'test key', tx.identity?.testKey);
  fact(facts, 'V-PIN', tx.identity?.vpin, 'vpin');
  fact(facts, 'entries left', tx.token && tx.maxAttempts > 0 ? `${tx.attemptsLeft} of ${tx.maxAttempts}` : null);
  if (tx.attempts.length > 0) fact(facts, 'entries', tx.attempts.map((a) => `${a.key} → ${a.action}`).join(', '), 'attempts');
  body.append(facts);

  const actions = el('div', 'detail-actions');
  actions.append(
    button('Delete', 'danger secondary delete', () => void removeOne(tx)),
    button(`Clear namespace ${tx.namespace}`, 'secondary clear-namespace', () => void clearNamespace(tx.namespace)),
  );
  body.append(actions);
  body.append(exchanges ?? el('section', 'exchanges'));
}

function pretty(value: unknown): string {
  if (value === null || value === undefined) return '(no body)';
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

function renderExchange(entry: JournalEntry): HTMLElement {
  const section = el('article', 'exchange');
  section.dataset.endpoint = entry.endpoint;
  const title = el('h3');
  const status = entry.status === 0 ? `connection ${entry.fault ?? 'broken'}` : `${entry.status}${entry.fault ? ` (${entry.fault})` : ''}`;
  title.append(el('span', 'method', entry.method), ` ${entry.url} → `, el('span', 'status', status), ` · ${entry.durationMs} ms`);
  section.append(title);
  if (entry.variation) section.append(el('p', 'variation', entry.variation));
  const request = el('details', 'raw raw-request');
  request.open = true;
  request.append(el('summary', undefined, 'Request the app sent (pass redacted)'), el('pre', 'json', pretty(entry.body)));
  const answer = el('details', 'raw raw-response');
  answer.open = true;
  answer.append(el('summary', undefined, 'Answer the mock gave'), el('pre', 'json', pretty(entry.response)));
  section.append(request, answer);
  return section;
}

async function loadExchanges(id: number): Promise<void> {
  try {
    const journal = await api<{ requests: JournalEntry[] }>('GET', `/__admin/requests${query({ transaction: id, limit: 50 })}`);
    if (selected !== id) return;
    const target = ui.detailBody.querySelector('.exchanges');
    if (!target) return;
    target.replaceChildren(
      el('h3', 'exchanges-title', journal.requests.length === 0 ? 'No request kept in the journal' : 'Requests and answers'),
      // Oldest first: the gateway, then each continue, as they happened.
      ...journal.requests.reverse().map(renderExchange),
    );
  } catch (error) {
    notice((error as Error).message);
  }
}

async function removeOne(tx: Transaction): Promise<void> {
  if (!confirm(`Delete the transaction to ${tx.phone.e164 ?? tx.phone.input} (confirmation ${tx.id})?`)) return;
  try {
    await api('DELETE', `/__admin/transactions${query({ id: tx.id })}`);
    drop(tx.id);
    applyFilters();
  } catch (error) {
    notice((error as Error).message);
  }
}

async function clearNamespace(namespace: string): Promise<void> {
  if (!confirm(`Clear namespace ${namespace}: its transactions, messages, journal, activations and clock?`)) return;
  try {
    await api('POST', `/__admin/reset${query({ namespace })}`);
    forget(namespace);
    applyFilters();
  } catch (error) {
    notice((error as Error).message);
  }
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
    const off = button('×', 'chip-off', () => void deactivate(activation.namespace ?? ''));
    off.title = 'Deactivate';
    off.setAttribute('aria-label', `Deactivate ${activation.name}`);
    chip.append(off);
    ui.active.append(chip);
  }
}

async function loadScenarios(): Promise<void> {
  const list = await api<ScenarioList>('GET', '/__admin/scenarios');
  const names = list.scenarios.map((s) => s.name);
  if (names.join('\n') !== scenarioNames.join('\n')) {
    scenarioNames = names;
    const chosen = ui.scenario.value;
    // The picker starts on an empty choice: activating needs a deliberate pick.
    const placeholder = el('option', undefined, 'Choose a scenario…');
    placeholder.value = '';
    ui.scenario.replaceChildren(
      placeholder,
      ...list.scenarios.map((s) => {
        const option = el('option', undefined, s.name);
        option.value = s.name;
        option.title = s.description;
        return option;
      }),
    );
    ui.scenario.value = names.includes(chosen) ? chosen : '';
  }
  showActivations(list.active);
  if (list.errors.length > 0) notice(`Scenario file errors: ${list.errors.map((e) => `${e.file}: ${e.message}`).join('; ')}`);
}

async function activate(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const name = ui.scenario.value;
  if (!name) return;
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
  if (namespace) return clearNamespace(namespace);
  if (!confirm('Reset all: forget every transaction, message and journal entry, every activation and clock offset?')) return;
  try {
    await api('POST', '/__admin/reset');
    forget(null);
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
  // Oldest first, so each row lands at the top as in a live feed.
  for (const tx of txs.transactions.reverse()) upsertTransaction(tx);
  loaded = true;
  const wanted = Number(params.get('tx'));
  if (selected === null && transactions.has(wanted)) select(wanted);
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
  on<JournalEntry>('journal', (entry) => {
    if (entry.transactionId !== null && entry.transactionId !== undefined && entry.transactionId === selected) void loadExchanges(selected);
  });
  on<{ namespace: string | null }>('reset', ({ namespace }) => {
    forget(namespace);
    applyFilters();
  });
  on<{ id: number }>('removed', ({ id }) => {
    drop(id);
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
  ui.search.value = params.get('q') ?? '';
  ui.namespace.value = params.get('namespace') ?? '';
  ui.search.addEventListener('input', applyFilters);
  ui.namespace.addEventListener('input', applyFilters);
  $('filters').addEventListener('submit', (event) => event.preventDefault());
  ui.switcher.addEventListener('submit', (event) => void activate(event));
  ui.deactivate.addEventListener('click', () => void deactivate(ui.scenarioNamespace.value.trim()));
  ui.reset.addEventListener('click', () => void reset());
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && selected !== null) select(null);
    if (event.key === '/' && document.activeElement?.tagName !== 'INPUT') {
      event.preventDefault();
      ui.search.focus();
    }
  });
  window.setInterval(refreshTimes, CLOCK_MS);
  // On a phone the scenario tools fold away: the list comes first.
  if (matchMedia('(max-width: 800px)').matches) $<HTMLDetailsElement>('tools').open = false;
  applyFilters();
  try {
    // One plain request first: an EventSource cannot tell a missing token from a dropped line.
    await loadScenarios();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setLive('offline', 'locked');
      ui.loading.hidden = true;
      notice('This mock requires its admin token: open this page as /__admin/ui?token=<token>.', 'error', true);
      return;
    }
    notice((error as Error).message, 'error', true);
  }
  connect();
}

void start();
