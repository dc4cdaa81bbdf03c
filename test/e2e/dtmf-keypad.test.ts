// The keypad of the live call view in real Chromium through the browser host, against a real Lab:
// place a call to the reference bot, key 2 by RFC 4733 and # by SIP INFO, see the INFO in the
// ladder, hang up, and find both digits in the call's media report.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath } from '../helpers/chromium';
import { startDashboard, type Dashboard } from './harness';

describe.skipIf(!chromiumPath() && !process.env.CI)('DTMF keypad in Chromium (needs apt-get install chromium)', () => {
  let d: Dashboard;
  beforeAll(async () => {
    d = await startDashboard();
  });
  afterAll(async () => {
    await d?.close();
  });

  it('keys digits by both methods on a live call; INFO shows in the ladder, both in the media report', async () => {
    const page = d.page;
    await page.goto(d.host.url);
    await page.getByTestId('tab-calls').click();
    await page.getByTestId('profile-select').selectOption('watson');
    await page.getByTestId('transport-select').selectOption('udp');
    await page.getByTestId('place-call').click();
    await page.locator('[data-testid=call-row][aria-selected=true][data-state=answered]').waitFor({ timeout: 10_000 });
    const keypad = page.getByTestId('dtmf-keypad');
    await keypad.waitFor();
    await page.getByTestId('dtmf-key-2').click();
    await expect.poll(() => page.getByTestId('dtmf-digits').innerText()).toBe('→2');
    await keypad.getByLabel('SIP INFO (dtmf-relay)').check();
    await page.getByTestId('dtmf-key-pound').click();
    await expect.poll(() => page.getByTestId('dtmf-digits').innerText()).toBe('→2 →# (INFO)');
    await expect.poll(async () => (await page.getByTestId('ladder-row').allInnerTexts()).join('\n')).toMatch(/INFO[\s\S]*200 OK/);
    await d.shot('dtmf-keypad');
    await page.getByTestId('hangup').click();
    await expect.poll(() => keypad.count()).toBe(0); // the keypad goes with the live call
    await expect.poll(() => page.locator('.panel').filter({ hasText: 'DTMF:' }).first().innerText(), { timeout: 10_000 }).toMatch(/DTMF:\s*→2 →#/);
  });
});
