// The dashboard in real Chromium through the browser host, against a real Lab: place a call to the
// reference bot, open its ladder and raw INVITE, read the contact-id verdict, send a Signal and see
// the leg dropped on the timeline, find the Signal with its redacted HTTP exchange on the Signals
// screen, and the marks on the Latency charts. Screenshots go to test/e2e/screenshots/.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath } from '../helpers/chromium';
import { startDashboard, type Dashboard } from './harness';

async function placeBotCall(page: Page, profile: string, transport: 'udp' | 'tcp'): Promise<void> {
  await page.getByTestId('tab-calls').click();
  await page.getByTestId('call-target').fill('');
  await page.getByTestId('profile-select').selectOption(profile);
  await page.getByTestId('transport-select').selectOption(transport);
  await page.getByTestId('place-call').click();
  await page.locator('[data-testid=call-row][aria-selected=true][data-state=answered]').waitFor({ timeout: 10_000 });
}

// CI installs Chromium; elsewhere the suite is skipped with the reason in its name.
describe.skipIf(!chromiumPath() && !process.env.CI)('dashboard in Chromium (needs apt-get install chromium)', () => {
  let d: Dashboard;
  let page: Page;
  let contactId = '';

  beforeAll(async () => {
    d = await startDashboard();
    page = d.page;
  });
  afterAll(async () => {
    await d?.close();
  });

  it('Calls: shows the listeners to give CXone, places a call to the reference bot', async () => {
    await page.goto(d.host.url);
    await expect.poll(() => page.getByTestId('listeners').innerText()).toMatch(/sip:bot@127\.0\.0\.1:\d+;transport=udp[\s\S]*transport=tcp/);
    await page.getByTestId('edit-headers').click();
    await page.getByTestId('profile-select').selectOption('watson');
    expect(await page.getByTestId('header-name-0').inputValue()).toBe('X-ContactID');
    expect(await page.getByTestId('header-value-0').inputValue()).toBe('{contactId}');
    await page.getByTestId('add-header').click();
    await page.getByTestId('header-name-1').fill('X-Lab-Test');
    await page.getByTestId('header-value-1').fill('master {masterId}');
    await placeBotCall(page, 'watson', 'udp');
    await d.shot('01-calls');
  });

  it('Call detail: the ladder of every SIP message, the raw INVITE, the headers with the verdict', async () => {
    const rows = page.getByTestId('ladder-row');
    await expect.poll(async () => (await rows.allInnerTexts()).join('\n')).toMatch(/INVITE[\s\S]*100 Trying[\s\S]*180 Ringing[\s\S]*200 OK[\s\S]*ACK/);
    const labels = await rows.allInnerTexts();
    expect(labels[1]).toMatch(/\+\d+\.\d/); // delta to the previous message
    await rows.first().click();
    const raw = page.getByTestId('raw-message');
    await raw.waitFor();
    expect(await raw.innerText()).toMatch(/^INVITE sip:15550100@/m);
    contactId = (await page.locator('[data-testid=header-row][data-header-name="X-ContactID"]').innerText()).match(/\d{6,}/)![0];
    expect(await raw.locator('.contact-id-line').innerText()).toContain(contactId);
    expect(await page.locator('[data-testid=header-row][data-header-name="X-Lab-Test"]').innerText()).toMatch(/master \d{6,}/);
    await expect.poll(() => page.getByTestId('verdict').getAttribute('data-ok')).toBe('true');
    await rows.first().focus();
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate('document.activeElement?.getAttribute("aria-label")')).toMatch(/100 Trying/);
    await d.shot('02-call-ladder');
  });

  it('Signal from the call: 202, the leg dropped by ONSIGNAL, the marks on the timeline', async () => {
    expect(await page.getByTestId('signal-contact-id').inputValue()).toBe(contactId);
    await page.getByTestId('signal-p1').fill('wa-session-key-42');
    await page.getByTestId('signal-p2').fill('priority high');
    await page.getByTestId('send-signal').click();
    const row = page.locator('[data-testid=call-detail] [data-testid=signal-row][data-status="202"]');
    await row.waitFor({ timeout: 10_000 });
    expect(await row.innerText()).toContain('p1=wa-session-key-42');
    await expect.poll(() => page.locator('[data-testid=call-row][aria-selected=true]').getAttribute('data-state'), { timeout: 10_000 }).toBe('ended');
    await expect.poll(() => page.locator('[data-testid=latency] [data-mark]').evaluateAll((els) => els.map((e) => e.getAttribute('data-mark')))).toEqual(
      expect.arrayContaining(['invite_to_200', 'signal_http_ms', 'signal_to_bye_ms']),
    );
    await expect.poll(() => page.getByTestId('ladder-row').allInnerTexts(), { timeout: 5000 }).toEqual(expect.arrayContaining([expect.stringMatching(/BYE/)]));
    await expect.poll(() => page.getByTestId('check-row').count(), { timeout: 5000 }).toBeGreaterThan(0);
    expect(await page.locator('[data-testid=check-row][data-ok=false]').count()).toBe(0);
    // The detail scrolls inside its pane: a tall window shows all of it in one picture.
    await page.setViewportSize({ width: 1400, height: 1900 });
    await d.shot('03-call-signal-timeline');
    await page.setViewportSize({ width: 1400, height: 900 });
  });

  it('Signals: the history with status, latency and the redacted HTTP exchange; presets; a 404', async () => {
    await page.getByTestId('tab-signals').click();
    const history = page.getByTestId('signal-history');
    await history.locator('[data-testid=signal-row][data-status="202"]').first().waitFor();
    await history.locator('[data-testid=signal-row] button').first().click();
    const exchange = history.getByTestId('http-exchange').first();
    await exchange.waitFor();
    const text = await exchange.innerText();
    expect(text).toMatch(/POST http:\/\/127\.0\.0\.1:\d+\/incontactapi\/services\/v30\.0\/interactions\/\d+\/signal\?p1=wa-session-key-42/);
    expect(text).toMatch(/Authorization: \[redacted\]/i);
    expect(text).toMatch(/HTTP 202/);

    await page.getByTestId('signal-call').selectOption('');
    await page.getByTestId('signal-profile').selectOption('kore');
    await page.getByTestId('signal-preset-0').click();
    expect(await page.getByTestId('signal-p1').inputValue()).toBe('AgentHandoff');
    await page.getByTestId('signal-profile').selectOption('watson');
    await page.getByTestId('signal-preset-1').click();
    expect(await page.getByTestId('signal-p1').inputValue()).toBe('hangup');
    await page.getByTestId('signal-contact-id').fill('999');
    await page.getByTestId('send-signal').click();
    const r404 = history.locator('[data-testid=signal-row][data-status="404"]');
    await r404.waitFor({ timeout: 10_000 });
    expect(await r404.innerText()).toMatch(/unknown or ended/);
    expect(await page.getByTestId('signal-result').getAttribute('data-ok')).toBe('false');
    await d.shot('04-signals');
  });

  it('a Signal to an unknown contact keeps the call up; Hang up ends it', async () => {
    await placeBotCall(page, 'kore', 'tcp');
    await page.getByTestId('signal-contact-id').fill('999');
    await page.getByTestId('send-signal').click();
    await page.locator('[data-testid=call-detail] [data-testid=signal-row][data-status="404"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid=call-row][aria-selected=true]').getAttribute('data-state')).toBe('answered');
    await page.getByTestId('hangup').click();
    await expect.poll(() => page.locator('[data-testid=call-row][aria-selected=true]').getAttribute('data-state')).toBe('ended');
  });

  it('Latency: p50/p95 by profile and each mark across calls and runs', async () => {
    await page.getByTestId('tab-latency').click();
    await expect.poll(() => page.locator('[data-testid=chart-by-profile]').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    const marks = await page.locator('[data-testid=chart-by-profile]').evaluateAll((els) => els.map((e) => e.getAttribute('data-mark')));
    expect(marks).toEqual(expect.arrayContaining(['invite_to_100', 'invite_to_200', 'signal_http_ms']));
    await expect.poll(() => page.locator('[data-testid=chart-by-profile][data-mark=invite_to_200] .recharts-bar-rectangle').count()).toBeGreaterThanOrEqual(2);
    await expect.poll(() => page.locator('[data-testid=chart-across-calls] .recharts-line-curve').count()).toBe(1);
    await d.shot('05-latency');
    expect(d.problems).toEqual([]);
  });
});
