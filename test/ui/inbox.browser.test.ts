/**
 * The inbox page in a real browser: Debian's Chromium driven by playwright-core (never a
 * downloaded browser). Everything waits on page events and selectors; nothing sleeps.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMock, startMock } from '../../src/index.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RESULTS = join(import.meta.dirname, '..', '..', 'test-results');

const SMS = {
  user: 'user@company.com',
  pass: 'PASSWORD',
  service: 'PhoneMatch5.0.SMS',
  options: { outofband: { message: 'Hello {fn}, your one-time password is {pin}' } },
};

async function gateway(mock: RunningMock, phone: string, namespace: string, fn = 'Ada', exclude: string[] = []) {
  const options = { outofband: { ...SMS.options.outofband, do_not_send_to_types: exclude } };
  const response = await fetch(`${mock.url}/process/comprehensive/gateway`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-phonematch-namespace': namespace },
    body: JSON.stringify({ ...SMS, options, target: { phone, fn } }),
  });
  return (await response.json()) as Record<string, any>;
}

// A browser under a busy parallel suite: selectors wait up to Playwright's 30 s, the test a little longer.
describe('the inbox page in Chromium', { timeout: 60_000 }, () => {
  let browser: Browser;
  let context: BrowserContext;
  let mock: RunningMock;
  /** Requests the page made to anything but the mock: there must be none. */
  const foreign: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run bash scripts/ensure-chromium.sh (npm test does)`);
    mkdirSync(RESULTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
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

  it('shows a new code live, follows a scenario switched from the page, and resets', async () => {
    mock = await startMock({ watchScenarios: false, logLevel: 'silent' });
    // Something sent before the page opened is listed on load: a VoIP line, suppressed, no code.
    const suppressed = await gateway(mock, '2015550102', 'checkout', 'Ada', ['voip']);
    const page = await openInbox();
    await page.locator('#live[data-state="live"]').waitFor();
    const suppressedCard = page.locator(`.card[data-tx-id="${suppressed.meta.confirmation}"]`);
    await expect(suppressedCard.locator('.detail').textContent()).resolves.toBe('SUPPRESSED SENDING CODE');
    await expect(suppressedCard.locator('.pin').count()).resolves.toBe(0);
    // A marker that a reload would wipe: updates must arrive without one.
    await page.evaluate(() => {
      (window as unknown as { marker: string }).marker = 'same page';
    });

    const sent = await gateway(mock, '2015550100', 'checkout');
    const card = page.locator(`.card[data-tx-id="${sent.meta.confirmation}"]`);
    await card.locator('.pin', { hasText: '123456' }).waitFor();
    await expect(card.locator('.text').textContent()).resolves.toBe('Hello Ada, your one-time password is 123456');
    await expect(card.locator('.outcome').textContent()).resolves.toBe('PENDING');
    await expect(card.locator('.scenario').textContent()).resolves.toBe('happy-path');
    await expect(card.locator('.namespace').textContent()).resolves.toBe('checkout');
    // Newest first.
    await expect(page.locator('.card').first().getAttribute('data-tx-id')).resolves.toBe(String(sent.meta.confirmation));

    // The user enters the code: the same card turns PASS.
    await fetch(`${mock.url}/process/continue`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: sent.continuations.outofband.template.token, codematch: { key: '123456' } }),
    });
    await card.locator('.outcome', { hasText: 'PASS' }).waitFor();
    await expect(card.locator('.facts').textContent()).resolves.toContain('123456 → PASS');

    // Switch a scenario from the page, for one namespace.
    await page.locator('#scenario-select').selectOption('send-failure');
    await page.locator('#scenario-namespace').fill('checkout');
    await page.locator('#activate').click();
    await page.locator('.active-chip[data-scenario="send-failure"][data-namespace="checkout"]').waitFor();
    const failed = await gateway(mock, '2015106000', 'checkout', 'Grace');
    expect(failed.result.detail).toBe('FAILED TO SEND TO NUMBER');
    const failedCard = page.locator(`.card[data-tx-id="${failed.meta.confirmation}"]`);
    await failedCard.locator('.outcome', { hasText: 'FAIL' }).waitFor();
    await expect(failedCard.locator('.detail').textContent()).resolves.toBe('FAILED TO SEND TO NUMBER');
    await expect(failedCard.locator('.scenario').textContent()).resolves.toBe('send-failure');
    await failedCard.locator('.undelivered').waitFor();
    // Another namespace is not affected.
    const other = await gateway(mock, '2015106000', 'signup');
    await page.locator(`.card[data-tx-id="${other.meta.confirmation}"] .outcome`, { hasText: 'PENDING' }).waitFor();

    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('same page');
    await page.screenshot({ path: join(RESULTS, 'inbox.png'), fullPage: true });

    // Filter by namespace, and by part of a number whatever the punctuation.
    await page.locator('#filter-namespace').fill('checkout');
    await expect(page.locator('.card:visible').count()).resolves.toBe(3);
    await page.locator('#filter-namespace').fill('');
    await page.locator('#filter-phone').fill('555-0100');
    await expect(page.locator('.card:visible').count()).resolves.toBe(1);
    expect(new URL(page.url()).searchParams.get('phone')).toBe('555-0100');

    // Deactivate from its chip, then reset everything from the page.
    await page.locator('.active-chip[data-scenario="send-failure"] .chip-off').click();
    await page.locator('.active-chip').waitFor({ state: 'detached' });
    expect(mock.simulator.scenarios.activations()).toEqual([]);
    await page.locator('#filter-phone').fill('');
    await page.locator('#reset').click();
    await page.locator('.card').first().waitFor({ state: 'detached' });
    expect(await mock.messages.list()).toEqual([]);
    await page.locator('#empty:visible').waitFor();
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
      target: { phone: '2015550112' },
    });
    const call = page.locator(`.card[data-tx-id="${dialed.meta.confirmation}"]`);
    await call.locator('.call-status', { hasText: 'calling' }).waitFor();
    await expect(call.locator('.channel').textContent()).resolves.toBe('Dialer');
    await expect(call.locator('.audio').textContent()).resolves.toBe('welcome.message');
    await mock.clock.advance(60_000);
    await post('/process/continue', { token: dialed.continuations.outofband.template.token, dialer: { return: 'status' } });
    await call.locator('.call-status', { hasText: 'delivered' }).waitFor();
    await call.locator('.outcome', { hasText: 'PASS' }).waitFor();

    const checked = await post('/process/comprehensive/gateway', {
      user: 'user@company.com',
      pass: 'PASSWORD',
      service: 'PhoneMatch5.0.Validate',
      target: { phone: '2015550102', invalid_phonelinetypes: ['voip'] },
    });
    const check = page.locator(`.card[data-tx-id="${checked.meta.confirmation}"]`);
    await check.locator('.detail', { hasText: 'PHONE TYPE CHECK FAILED' }).waitFor();
    await expect(check.locator('.channel').textContent()).resolves.toBe('Validate');
    await expect(check.locator('.pin').count()).resolves.toBe(0);
    await expect(check.locator('.facts').textContent()).resolves.toContain('voip · Mock VoIP Inc.');
  });

  it('copies a pin with one click', async () => {
    mock = await startMock({ watchScenarios: false, logLevel: 'silent' });
    const page = await openInbox();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: mock.url });
    await page.locator('#live[data-state="live"]').waitFor();
    await gateway(mock, '2015550100', 'copy');
    await page.locator('.card .copy').click();
    await page.locator('.card .copy', { hasText: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('123456');
  });

  it('fits a phone screen', async () => {
    mock = await startMock({ watchScenarios: false, logLevel: 'silent' });
    await gateway(mock, '2015550100', 'a-rather-long-namespace-name-from-a-test-run', 'Alexandria-Konstantinopolis');
    const page = await openInbox('/__admin/ui', { width: 390, height: 844 });
    await page.locator('.card .pin').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const pinSize = await page.locator('.card .pin').evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
    expect(pinSize).toBeGreaterThanOrEqual(28);
    await page.screenshot({ path: join(RESULTS, 'inbox-phone.png'), fullPage: true });
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
    await page.locator('.card .pin', { hasText: '123456' }).waitFor();
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
