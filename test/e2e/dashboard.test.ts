// The dashboard in real Chromium through the browser host, against a real Lab (SIP listeners on
// loopback, the CXone emulator, SQLite in a temp dir): place an emulated call, read its INVITE
// headers and contact-id verdict, send a Signal with p1 and p2, see it listed with its HTTP status
// and latency. Screenshots are kept under test/e2e/screenshots/.
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHost, type BrowserHost } from '../../src/main/host/browser-host';
import { Lab } from '../../src/main/lab';
import { chromiumPath, launchChromium } from '../helpers/chromium';

const root = resolve(import.meta.dirname, '../..');
const webDir = join(root, 'out/web');
const shots = join(root, 'test/e2e/screenshots');

// CI installs Chromium; elsewhere the suite is skipped with the reason in its name.
describe.skipIf(!chromiumPath() && !process.env.CI)('dashboard in Chromium (needs apt-get install chromium)', () => {
  let lab: Lab;
  let host: BrowserHost;
  let browser: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(webDir, 'index.html'))) throw new Error('out/web is not built: run "npm run build:web" (npm run test:e2e does)');
    mkdirSync(shots, { recursive: true });
    lab = await Lab.start({ dbFile: join(mkdtempSync(join(tmpdir(), 'lab-e2e-')), 'history.db'), host: 'browser' });
    host = await startBrowserHost({ lab, staticDir: webDir });
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' && !/frame-ancestors/.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await lab?.stop();
  });

  it('places an emulated call, shows its INVITE and verdict, sends a Signal with p1 and p2', async () => {
    await page.goto(host.url);
    await expect.poll(() => page.getByTestId('listeners').innerText()).toMatch(/sip:bot@127\.0\.0\.1:\d+;transport=udp/);
    await page.screenshot({ path: join(shots, '01-dashboard.png') });

    await page.getByTestId('profile-select').selectOption('watson');
    await page.getByTestId('transport-select').selectOption('udp');
    await page.getByTestId('place-call').click();

    const selected = page.locator('[data-testid=call-row][aria-selected=true]');
    await selected.waitFor();
    await expect.poll(() => selected.getAttribute('data-state'), { timeout: 10_000 }).toBe('answered');
    const headerRow = page.locator('[data-testid=header-row][data-header-name="X-ContactID"]');
    await headerRow.waitFor();
    const contactId = (await headerRow.innerText()).match(/\d{6,}/)?.[0];
    expect(contactId).toBeTruthy();
    expect(await page.getByTestId('invite-headers').innerText()).toMatch(/Call-ID/);
    await expect.poll(() => page.getByTestId('verdict').getAttribute('data-ok')).toBe('true');
    expect(await page.getByTestId('verdict').innerText()).toContain(contactId!);
    expect(await page.getByTestId('signal-contact-id').inputValue()).toBe(contactId);
    await page.screenshot({ path: join(shots, '02-call-invite-verdict.png'), fullPage: true });

    await page.getByTestId('signal-p1').fill('wa-session-key-42');
    await page.getByTestId('signal-p2').fill('priority high');
    await page.getByTestId('send-signal').click();
    const signalRow = page.locator('[data-testid=signal-row][data-status="202"]');
    await signalRow.waitFor({ timeout: 10_000 });
    const rowText = await signalRow.innerText();
    expect(rowText).toContain('p1=wa-session-key-42');
    expect(rowText).toContain('p2=priority high');
    expect(rowText).toMatch(/\d+(\.\d)? ?ms/);
    expect(await page.getByTestId('signal-result').getAttribute('data-ok')).toBe('true');

    // ONSIGNAL in the emulator drops the bot leg (Watson: CXone ends it).
    await expect.poll(() => selected.getAttribute('data-state'), { timeout: 10_000 }).toBe('ended');
    await expect.poll(() => page.getByTestId('latency').innerText()).toMatch(/signal_to_bye_ms/);
    // The detail follows: the BYE in the ladder and the checks of the finished call.
    await expect.poll(() => page.getByTestId('sip-message-row').allInnerTexts(), { timeout: 5000 }).toEqual(expect.arrayContaining([expect.stringMatching(/BYE sip:/)]));
    await expect.poll(() => page.getByTestId('check-row').count(), { timeout: 5000 }).toBeGreaterThan(0);
    expect(await page.locator('[data-testid=check-row][data-ok=false]').count()).toBe(0);
    await page.screenshot({ path: join(shots, '03-signal-sent.png'), fullPage: true });

    const stored = lab.store.listCalls({ contactId: contactId! });
    expect(stored.map((c) => c.role)).toContain('uas');
    const detail = lab.store.getCall(stored.find((c) => c.role === 'uas')!.id)!;
    expect(detail.signals.map((s) => [s.status, s.params])).toEqual([[202, { p1: 'wa-session-key-42', p2: 'priority high' }]]);
    expect(problems).toEqual([]);
  });

  it('a Signal to an unknown contact shows the actionable 404 and keeps the call up', async () => {
    await page.getByTestId('profile-select').selectOption('kore');
    await page.getByTestId('transport-select').selectOption('tcp');
    await page.getByTestId('place-call').click();
    const selected = page.locator('[data-testid=call-row][aria-selected=true][data-state=answered]');
    await selected.waitFor({ timeout: 10_000 });
    await page.getByTestId('signal-contact-id').fill('999');
    await page.getByTestId('send-signal').click();
    const row = page.locator('[data-testid=signal-row][data-status="404"]');
    await row.waitFor({ timeout: 10_000 });
    expect(await row.innerText()).toMatch(/unknown or ended/);
    expect(await selected.getAttribute('data-state')).toBe('answered');
    await page.screenshot({ path: join(shots, '04-signal-404.png'), fullPage: true });
    await page.getByTestId('hangup').click();
    await expect.poll(() => page.locator('[data-testid=call-row][aria-selected=true]').getAttribute('data-state')).toBe('ended');
  });
});
