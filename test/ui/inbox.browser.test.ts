/**
 * The inbox page in a real browser: Debian's Chromium driven by playwright-core (never a
 * downloaded browser). Everything waits on page events and selectors; nothing sleeps.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { type RunningMock, startMock } from '../../src/index.js';
import { assertAvailable, CHROMIUM, describeWith } from '../helpers/system.js';

const ROOT = join(import.meta.dirname, '..', '..');
/** Screenshots are test artefacts (gitignored); UPDATE_DOCS_SCREENSHOT=1 also refreshes docs/inbox.png. */
const SHOTS = join(ROOT, 'test-results', 'screenshots');
const DOCS = join(ROOT, 'docs');

const SMS = {
  user: 'user@company.com',
  pass: 'PASSWORD',
  service: 'PhoneMatch5.0.SMS',
  options: { outofband: { message: 'Hello {fn}, your one-time password is {pin}' } },
};

async function gateway(mock: RunningMock, phone: string, namespace: string, fn = 'Ada', exclude: string[] = [], reference?: string) {
  const options = { outofband: { ...SMS.options.outofband, do_not_send_to_types: exclude } };
  const response = await fetch(`${mock.url}/process/comprehensive/gateway`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-phonematch-namespace': namespace },
    body: JSON.stringify({ ...SMS, ...(reference ? { reference } : {}), options, target: { phone, fn } }),
  });
  return (await response.json()) as Record<string, any>;
}

// A browser under a busy parallel suite: selectors wait up to Playwright's 30 s, the test a little longer.
describeWith(CHROMIUM, 'the inbox page in Chromium', { timeout: 60_000 }, () => {
  let browser: Browser;
  let context: BrowserContext;
  let mock: RunningMock;
  /** Requests the page made to anything but the mock: there must be none. */
  const foreign: string[] = [];

  beforeAll(async () => {
    assertAvailable(CHROMIUM);
    mkdirSync(SHOTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM.path,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function openInbox(path = '/__admin/ui', viewport = { width: 1280, height: 860 }): Promise<Page> {
    context = await browser.newContext({ viewport, colorScheme: 'light' });
    const page = await context.newPage();
    page.on('request', (request) => {
      if (!request.url().startsWith(mock.url) && !request.url().startsWith('data:')) foreign.push(request.url());
    });
    await page.goto(`${mock.url}${path}`);
    return page;
  }

  afterEach(async () => {
    await context?.close();
    await mock?.close();
    expect(foreign).toEqual([]);
  });

  async function continueWith(token: string, key: string) {
    await fetch(`${mock.url}/process/continue`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, codematch: { key } }),
    });
  }

  it('says it is loading until the first load is done, then lists what was sent before', async () => {
    mock = await startMock({ watchScenarios: false, logLevel: 'silent' });
    const suppressed = await gateway(mock, '2015550102', 'checkout', 'Ada', ['voip']);
    context = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
    const page = await context.newPage();
    // Hold the first list request: the page must say "loading", not "nothing sent yet".
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/__admin/transactions?*', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${mock.url}/__admin/ui`);
    await page.locator('#loading:visible').waitFor();
    await expect(page.locator('#empty').isHidden()).resolves.toBe(true);
    await expect(page.locator('#count').textContent()).resolves.toBe('loading…');
    await expect(page.title()).resolves.toBe('Inbox · phonematch-mock');
    await expect(page.locator('link[rel="icon"]').getAttribute('href')).resolves.toBe('/__admin/ui/favicon.svg');
    // The scenario picker starts on an empty choice.
    await expect(page.locator('#scenario-select').inputValue()).resolves.toBe('');
    release();
    await page.locator('#loading').waitFor({ state: 'hidden' });
    await page.locator('#count', { hasText: '1 transaction' }).waitFor();
    const row = page.locator(`.row[data-tx-id="${suppressed.meta.confirmation}"]`);
    await expect(row.locator('.detail').textContent()).resolves.toBe('SUPPRESSED SENDING CODE');
    await expect(row.locator('.pin-small').count()).resolves.toBe(0);
  });

  it('lists live, searches, shows the detail with the raw request and answer, and clears', async () => {
    mock = await startMock({ watchScenarios: false, logLevel: 'silent' });
    await gateway(mock, '2015550102', 'checkout', 'Ada', ['voip']);
    const page = await openInbox('/__admin/ui', { width: 1440, height: 1000 });
    await page.locator('#live[data-state="live"]').waitFor();
    await page.locator('#count', { hasText: '1 transaction' }).waitFor();
    // A marker that a reload would wipe: updates must arrive without one.
    await page.evaluate(() => {
      (window as unknown as { marker: string }).marker = 'same page';
    });

    const sent = await gateway(mock, '2015550100', 'checkout', 'Ada', [], 'order-42');
    const row = page.locator(`.row[data-tx-id="${sent.meta.confirmation}"]`);
    await row.locator('.pin-small', { hasText: '123456' }).waitFor();
    await expect(row.locator('.scenario').textContent()).resolves.toBe('happy-path');
    await expect(row.locator('.namespace').textContent()).resolves.toBe('checkout');
    await expect(row.locator('.time').textContent()).resolves.toBe('just now');
    // Newest first, and counted.
    await expect(page.locator('.row').first().getAttribute('data-tx-id')).resolves.toBe(String(sent.meta.confirmation));
    await page.locator('#count', { hasText: '2 transactions' }).waitFor();
    for (const n of [1, 2, 3]) await gateway(mock, `201510600${n}`, n === 3 ? 'signup' : 'checkout', 'Grace');
    await page.locator('#count', { hasText: '5 transactions' }).waitFor();

    // The detail pane: the code, the message, the facts, and the request and answer as JSON.
    await row.click();
    const detail = page.locator('#detail-body');
    await detail.locator('.pin', { hasText: '123456' }).waitFor();
    await expect(detail.locator('.text').textContent()).resolves.toBe('Hello Ada, your one-time password is 123456');
    await expect(detail.locator('.facts').textContent()).resolves.toContain('order-42');
    const token = sent.continuations.outofband.template.token as string;
    await expect(detail.locator('.facts .token').textContent()).resolves.toBe(token);
    const request = detail.locator('.exchange[data-endpoint="gateway"] .raw-request pre');
    await request.waitFor();
    const requestText = (await request.textContent()) ?? '';
    expect(JSON.parse(requestText)).toMatchObject({ pass: '[redacted]', reference: 'order-42', target: { phone: '2015550100' } });
    expect(requestText).toContain('\n  "user": "user@company.com"'); // pretty, two-space indented
    expect(requestText).not.toContain('PASSWORD');
    const answer = JSON.parse((await detail.locator('.exchange[data-endpoint="gateway"] .raw-response pre').textContent()) ?? '');
    expect(answer.result).toEqual({ action: 'PENDING', detail: 'MORE INFORMATION IS REQUIRED', issues: [] });
    expect(new URL(page.url()).searchParams.get('tx')).toBe(String(sent.meta.confirmation));

    // The user enters the code: the pane shows PASS and the continue's request and answer, live.
    await continueWith(token, '123456');
    await detail.locator('.outcome', { hasText: 'PASS' }).waitFor();
    await detail.locator('.exchange[data-endpoint="continue"]').waitFor();
    const continued = JSON.parse((await detail.locator('.exchange[data-endpoint="continue"] .raw-request pre').textContent()) ?? '');
    expect(continued).toEqual({ token, codematch: { key: '123456' } });
    await expect(detail.locator('.facts').textContent()).resolves.toContain('123456 → PASS');
    await page.screenshot({ path: join(SHOTS, 'inbox-desktop.png') });
    // The README's picture: refreshed on demand, so a test run leaves the working tree clean.
    if (process.env.UPDATE_DOCS_SCREENSHOT === '1') await page.screenshot({ path: join(DOCS, 'inbox.png') });

    // Search: by reference, token, scenario, text and a number however it is typed.
    const visible = () => page.locator('.row:visible').count();
    for (const [words, count] of [
      ['order-42', 1],
      [token.slice(0, 12), 1],
      ['happy-path', 1],
      ['Grace', 3],
      ['555-0100', 1],
      ['(201) 510-6003', 1],
      ['grace checkout', 2],
      ['nothing-like-this', 0],
    ] as const) {
      await page.locator('#search').fill(words);
      await expect(visible(), words).resolves.toBe(count);
    }
    await page.locator('#count', { hasText: '0 of 5 transactions' }).waitFor();
    await page.locator('#empty', { hasText: 'No transaction matches the search.' }).waitFor();
    expect(new URL(page.url()).searchParams.get('q')).toBe('nothing-like-this');
    await page.locator('#search').fill('');
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('same page');

    // Per-item delete, after a confirmation.
    const signup = page.locator('.row', { has: page.locator('.namespace', { hasText: 'signup' }) });
    await signup.click();
    page.once('dialog', (dialog) => void dialog.accept());
    await detail.locator('.delete').click();
    await signup.waitFor({ state: 'detached' });
    await page.locator('#count', { hasText: '4 transactions' }).waitFor();
    expect((await mock.transactions.list({ namespace: 'signup' })).length).toBe(0);

    // Reset all asks first: dismissed, nothing is lost.
    page.once('dialog', (dialog) => void dialog.dismiss());
    await page.locator('#reset').click();
    await expect(page.locator('.row').count()).resolves.toBe(4);
    // Per namespace: the filter turns the button into "Clear <namespace>".
    await gateway(mock, '2015106009', 'other', 'Lin');
    await page.locator('#count', { hasText: '5 transactions' }).waitFor();
    await page.locator('#filter-namespace').fill('checkout');
    await page.locator('#reset', { hasText: 'Clear checkout' }).waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.locator('#reset').click();
    await page.locator('#filter-namespace').fill('');
    await page.locator('#count', { hasText: '1 transaction' }).waitFor();
    expect((await mock.transactions.list()).map((tx) => tx.namespace)).toEqual(['other']);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.locator('#reset').click();
    await page.locator('#empty', { hasText: 'Nothing sent yet' }).waitFor();
    expect(await mock.messages.list()).toEqual([]);
  });

  it('follows a scenario switched from the page, for one namespace', async () => {
    mock = await startMock({ watchScenarios: false, logLevel: 'silent' });
    const page = await openInbox();
    await page.locator('#live[data-state="live"]').waitFor();
    // Nothing chosen: nothing happens.
    await page.locator('#activate').click();
    expect(mock.simulator.scenarios.activations()).toEqual([]);
    await expect(page.locator('#tools').getAttribute('open')).resolves.toBe('');
    await page.locator('#scenario-select').selectOption('send-failure');
    await page.locator('#scenario-namespace').fill('checkout');
    await page.locator('#activate').click();
    await page.locator('.active-chip[data-scenario="send-failure"][data-namespace="checkout"]').waitFor();
    const failed = await gateway(mock, '2015106000', 'checkout', 'Grace');
    expect(failed.result.detail).toBe('FAILED TO SEND TO NUMBER');
    const row = page.locator(`.row[data-tx-id="${failed.meta.confirmation}"]`);
    await row.locator('.outcome', { hasText: 'FAIL' }).waitFor();
    await expect(row.locator('.scenario').textContent()).resolves.toBe('send-failure');
    await row.locator('.detail', { hasText: 'not delivered' }).waitFor();
    const other = await gateway(mock, '2015106000', 'signup');
    await page.locator(`.row[data-tx-id="${other.meta.confirmation}"] .outcome`, { hasText: 'PENDING' }).waitFor();
    await page.locator('.active-chip[data-scenario="send-failure"] .chip-off').click();
    await page.locator('.active-chip').waitFor({ state: 'detached' });
    expect(mock.simulator.scenarios.activations()).toEqual([]);
  });

  it('shows where a number stands in its scenario sequence', async () => {
    mock = await startMock({ watchScenarios: false, logLevel: 'silent' });
    const page = await openInbox();
    await page.locator('#live[data-state="live"]').waitFor();
    const first = await gateway(mock, '2015550110', 'qa');
    const second = await gateway(mock, '2015550110', 'qa');
    await page.locator(`.row[data-tx-id="${first.meta.confirmation}"] .variation`, { hasText: 'gateway step 1 of 2' }).waitFor();
    await page.locator(`.row[data-tx-id="${second.meta.confirmation}"] .variation`, { hasText: 'gateway step 2 of 2' }).waitFor();
    await page.locator(`.row[data-tx-id="${first.meta.confirmation}"]`).click();
    await page.locator('#detail-body .exchange .variation', { hasText: 'gateway step 1 of 2' }).waitFor();
  });

  it('shows the identity verdict: the issues of a REVIEW, the test key and the V-PIN', async () => {
    mock = await startMock({ watchScenarios: false, logLevel: 'silent' });
    const page = await openInbox();
    await page.locator('#live[data-state="live"]').waitFor();
    const response = await fetch(`${mock.url}/process/comprehensive/gateway`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        user: 'user@company.com',
        pass: 'PASSWORD',
        service: 'PhoneMatch5.0.VPIN',
        target: { fn: 'Barbara', ln: 'Miller', phone: '2015106000', dob: '19740822', zip: '10001', test_key: 'general_identity' },
      }),
    });
    const verified = (await response.json()) as Record<string, any>;
    const row = page.locator(`.row[data-tx-id="${verified.meta.confirmation}"]`);
    await row.locator('.outcome', { hasText: 'REVIEW' }).waitFor();
    await expect(row.locator('.channel').textContent()).resolves.toBe('Identity');
    await expect(row.locator('.pin-small').count()).resolves.toBe(0);
    await row.click();
    const detail = page.locator('#detail-body');
    await detail.locator('.issues .issue').first().waitFor();
    await expect(detail.locator('.issues .issue').allTextContents()).resolves.toEqual([
      'ADDRESS CHECK FAILED',
      'DATE OF BIRTH CHECK FAILED',
    ]);
    await expect(detail.locator('.vpin').textContent()).resolves.toBe(verified.output.vpin.uuid);
    await expect(detail.locator('.facts').textContent()).resolves.toContain('general_identity');
    await expect(detail.locator('.pin').count()).resolves.toBe(0);
  });

  it('shows a Dialer call (its recording and where it stands) and a Validate check', async () => {
    mock = await startMock({ watchScenarios: false, logLevel: 'silent' });
    const page = await openInbox();
    await page.locator('#live[data-state="live"]').waitFor();
    const post = async (path: string, body: object) =>
      (await (
        await fetch(`${mock.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      ).json()) as Record<string, any>;
    const dialed = await post('/process/comprehensive/gateway', {
      user: 'user@company.com',
      pass: 'PASSWORD',
      service: 'PhoneMatch5.0.Dialer',
      options: { outofband: { message: 'welcome.message' } },
      target: { phone: '2015550132' },
    });
    const call = page.locator(`.row[data-tx-id="${dialed.meta.confirmation}"]`);
    await call.locator('.call-status', { hasText: 'call calling' }).waitFor();
    await expect(call.locator('.channel').textContent()).resolves.toBe('Dialer');
    await call.click();
    const detail = page.locator('#detail-body');
    await expect(detail.locator('.audio').textContent()).resolves.toBe('welcome.message');
    await mock.clock.advance(60_000);
    await post('/process/continue', { token: dialed.continuations.outofband.template.token, dialer: { return: 'status' } });
    await call.locator('.call-status', { hasText: 'call delivered' }).waitFor();
    await call.locator('.outcome', { hasText: 'PASS' }).waitFor();

    const checked = await post('/process/comprehensive/gateway', {
      user: 'user@company.com',
      pass: 'PASSWORD',
      service: 'PhoneMatch5.0.Validate',
      target: { phone: '2015550102', invalid_phonelinetypes: ['voip'] },
    });
    const check = page.locator(`.row[data-tx-id="${checked.meta.confirmation}"]`);
    await check.locator('.detail', { hasText: 'PHONE TYPE CHECK FAILED' }).waitFor();
    await expect(check.locator('.channel').textContent()).resolves.toBe('Validate');
    await expect(check.locator('.pin-small').count()).resolves.toBe(0);
  });

  it('copies a pin with one click', async () => {
    mock = await startMock({ watchScenarios: false, logLevel: 'silent' });
    const page = await openInbox();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: mock.url });
    await page.locator('#live[data-state="live"]').waitFor();
    await gateway(mock, '2015550100', 'copy');
    await page.locator('.row').click();
    await page.locator('#detail-body .copy').click();
    await page.locator('#detail-body .copy', { hasText: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('123456');
  });

  it('fits a phone screen: the list, then the detail in its place, and back', async () => {
    mock = await startMock({ watchScenarios: false, logLevel: 'silent' });
    await gateway(mock, '2015550100', 'a-rather-long-namespace-name-from-a-test-run', 'Alexandria-Konstantinopolis', [], 'signup-7');
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 9]) await gateway(mock, `201510600${n}`, 'mobile', 'Ada');
    const page = await openInbox('/__admin/ui', { width: 390, height: 844 });
    await page.locator('#count', { hasText: '10 transactions' }).waitFor();
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    // Dense: ten transactions fit in well under two screens.
    const listHeight = await page.locator('#list').evaluate((el) => el.scrollHeight);
    expect(listHeight).toBeLessThan(844);
    // The scenario tools are folded away on a phone; one tap opens them.
    await expect(page.locator('#scenario-select').isVisible()).resolves.toBe(false);
    await page.screenshot({ path: join(SHOTS, 'inbox-phone-list.png') });
    await page.locator('#tools summary').click();
    await page.locator('#scenario-select').waitFor();
    await page.locator('#tools summary').click();
    await page.locator('.row', { hasText: '123456' }).click();
    await page.locator('#detail-body .pin').waitFor();
    await expect(page.locator('.list-pane').isHidden()).resolves.toBe(true);
    const pinSize = await page.locator('#detail-body .pin').evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
    expect(pinSize).toBeGreaterThanOrEqual(28);
    await page.locator('#detail-body .exchange .raw-response pre').waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SHOTS, 'inbox-phone-detail.png'), fullPage: true });
    await page.locator('#detail-body .back').click();
    await page.locator('.list-pane').waitFor({ state: 'visible' });
  });

  it('follows the system into dark mode', async () => {
    mock = await startMock({ watchScenarios: false, logLevel: 'silent' });
    await gateway(mock, '2015550100', 'dark');
    context = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: 'dark' });
    const page = await context.newPage();
    await page.goto(`${mock.url}/__admin/ui`);
    await page.locator('.row').click();
    await page.locator('#detail-body .exchange').waitFor();
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(17, 20, 24)');
    await page.screenshot({ path: join(SHOTS, 'inbox-dark.png') });
  });

  it('asks for the admin token when the mock has one, and works with ?token=', async () => {
    mock = await startMock({ watchScenarios: false, logLevel: 'silent', adminToken: 'tok en/1' });
    const locked = await openInbox();
    await locked.locator('#notice', { hasText: 'admin token' }).waitFor();
    await expect(locked.locator('#live').getAttribute('data-state')).resolves.toBe('offline');
    await context.close();

    const page = await openInbox(`/__admin/ui?token=${encodeURIComponent('tok en/1')}`);
    await page.locator('#live[data-state="live"]').waitFor();
    await gateway(mock, '2015550100', 'locked');
    await page.locator('.row .pin-small', { hasText: '123456' }).waitFor();
    await page.locator('#scenario-select').selectOption('voip');
    await page.locator('#activate').click();
    await page.locator('.active-chip[data-scenario="voip"][data-namespace=""]').waitFor();
  });

  it('renders the API docs from local assets', async () => {
    mock = await startMock({ watchScenarios: false, logLevel: 'silent' });
    const page = await openInbox('/docs');
    await page.locator('.swagger-ui .info .title', { hasText: 'PhoneMatch' }).waitFor();
    await page.locator('.opblock-summary-path', { hasText: '/process/comprehensive/gateway' }).first().waitFor();
    // The top bar's picker holds the control API too.
    await page.locator('.topbar select').selectOption({ label: 'phonematch-mock control API' });
    await page.locator('.opblock-summary-path', { hasText: '/__admin/events' }).waitFor();
  });
});
