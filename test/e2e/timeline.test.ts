// The contact timeline in the dashboard (issue 15), in real Chromium through the browser host,
// against a real Lab (CXone emulator and reference bot on loopback): a good handoff, a Signal to
// the wrong contact, a Signal after the caller hung up, and the search by contact id on the
// History screen. Hover and keyboard focus show the detail; zoom and pan move the window.
// Screenshots: test/e2e/screenshots/timeline-*.png.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath } from '../helpers/chromium';
import { root, startDashboard, type Dashboard } from './harness';

/** Moves the pointer onto the right end of an event's band (a point marker may sit on its left end). */
async function hoverBandEnd(page: Page, selector: string): Promise<void> {
  await page.getByTestId('timeline-panel').scrollIntoViewIfNeeded();
  const b = (await page.locator(selector).first().boundingBox())!;
  await page.mouse.move(b.x + b.width - 1, b.y + b.height / 2);
}

async function placeCall(page: Page, profile: string, botSignals: boolean): Promise<string> {
  await page.getByTestId('tab-calls').click();
  await page.getByTestId('call-target').fill('');
  await page.getByTestId('profile-select').selectOption(profile);
  await page.getByTestId('transport-select').selectOption('tcp');
  const box = page.getByTestId('bot-signals');
  if ((await box.isChecked()) !== botSignals) await box.click();
  const before = await page.locator('[data-testid=call-row]').count();
  await page.getByTestId('place-call').click();
  await expect.poll(() => page.locator('[data-testid=call-row]').count(), { timeout: 10_000 }).toBeGreaterThan(before);
  await page.locator('[data-testid=call-row][aria-selected=true]').waitFor({ timeout: 10_000 });
  const id = await page.getByTestId('call-detail').getAttribute('data-call-id');
  return id!;
}

async function selectedState(page: Page): Promise<string | null> {
  return page.locator('[data-testid=call-row][aria-selected=true]').getAttribute('data-state');
}

async function timelineLabels(page: Page): Promise<string[]> {
  return page.locator('[data-testid=contact-timeline] .tl-ev').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
}

describe.skipIf(!chromiumPath() && !process.env.CI)('contact timeline in the dashboard (Chromium)', () => {
  let d: Dashboard;
  let page: Page;
  let goodContact = '';

  let caseContact = '';
  beforeAll(async () => {
    // A test case with speech, DTMF and a Signal (examples/tests/vendors/watson-transfer.yaml), run by
    // `lab test` into the history the dashboard then opens.
    d = await startDashboard({
      prepare: (dataDir) => {
        const r = spawnSync(join(root, 'node_modules/.bin/tsx'), [join(root, 'src/main/cli/index.ts'), 'test', join(root, 'examples/tests/vendors/watson-transfer.yaml'), '--db', join(dataDir, 'history.db')], { cwd: root, encoding: 'utf8', timeout: 120_000 });
        if (r.status !== 0) throw new Error(`lab test failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
        caseContact = /to (\d{6,}) \(MasterId\)/.exec(r.stdout)?.[1] ?? '';
      },
    });
    page = d.page;
    await page.setViewportSize({ width: 1500, height: 1000 });
    await page.goto(d.host.url);
  });
  afterAll(async () => {
    await d?.close();
  });

  it('a good handoff: both legs, SIPPUTHEADER/PLACECALL, token and Signal, ONSIGNAL → REQAGENT, the agent gets the transcript link', async () => {
    await placeCall(page, 'watson', true);
    await expect.poll(() => selectedState(page), { timeout: 15_000 }).toBe('ended');
    const panel = page.getByTestId('timeline-panel');
    await expect.poll(async () => (await timelineLabels(page)).join('\n'), { timeout: 10_000 }).toMatch(/REQAGENT/);
    // The script's last step (the agent answers) is stored after the call ended, on the CXone leg:
    // the panel draws it because the step came as a `script/step` event (no timer, no change of this call).
    await expect.poll(async () => (await timelineLabels(page)).join('\n'), { timeout: 10_000 }).toMatch(/^agent answered/m);
    goodContact = (await panel.getAttribute('data-contact-id'))!;
    const labels = await timelineLabels(page);
    expect(labels.some((l) => l.startsWith('SIPPUTHEADER X-ContactID'))).toBe(true);
    expect(labels.some((l) => /^token /.test(l) || l.startsWith('token (cached)'))).toBe(true);
    expect(labels.some((l) => l.startsWith('Signal 202 → ' + goodContact))).toBe(true);
    expect(await page.getByTestId('timeline-outcome').innerText()).toBe('REQAGENT');
    expect(await page.getByTestId('timeline-screen-pop').innerText()).toMatch(/loadAgentAppFrame\.html\?session_history_key=/);

    // Hover shows the HTTP exchange of the Signal.
    await hoverBandEnd(page, '[data-testid=contact-timeline] .tl-ev[data-kind=signal] rect');
    await expect.poll(() => page.getByTestId('timeline-detail').innerText()).toMatch(/POST http:\/\/127\.0\.0\.1:\d+\/.*\/signal\?p1=[\s\S]*Authorization: \[redacted\]/);
    // Keyboard: focus the first event, then → moves to the next; the detail follows.
    await page.locator('[data-testid=contact-timeline] .tl-ev[data-kind=script]').first().focus();
    expect(await page.getByTestId('timeline-detail').innerText()).toMatch(/SIPPUTHEADER X-ContactID = \d+/);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await page.getByTestId('timeline-detail').innerText()).toMatch(/^INVITE/m);
    await d.shot('timeline-01-good-handoff');

    // Zoom in twice and pan: the window shrinks and moves; Fit restores it.
    const full = await page.getByTestId('timeline-window').innerText();
    await page.getByTestId('timeline-zoom-in').click();
    await page.getByTestId('timeline-zoom-in').click();
    const zoomed = await page.getByTestId('timeline-window').innerText();
    expect(zoomed).not.toBe(full);
    const box = (await page.getByTestId('contact-timeline').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.6, box.y + 8);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.4, box.y + 8, { steps: 4 });
    await page.mouse.up();
    expect(await page.getByTestId('timeline-window').innerText()).not.toBe(zoomed);
    await d.shot('timeline-02-zoomed');
    await page.getByTestId('timeline-fit').click();
    expect(await page.getByTestId('timeline-window').innerText()).toBe(full);
  });

  it('a Signal to the wrong contact: 404 on the API lane, no ONSIGNAL, the finding names the contact', async () => {
    await placeCall(page, 'watson', false);
    await expect.poll(() => selectedState(page), { timeout: 10_000 }).toBe('answered');
    await page.getByTestId('signal-contact-id').fill('999');
    await page.getByTestId('send-signal').click();
    await page.locator('[data-testid=call-detail] [data-testid=signal-row][data-status="404"]').waitFor({ timeout: 10_000 });
    await page.getByTestId('hangup').click();
    await expect.poll(() => selectedState(page)).toBe('ended');
    await expect.poll(async () => (await timelineLabels(page)).join('\n'), { timeout: 10_000 }).toMatch(/Signal 404 → 999/);
    const labels = await timelineLabels(page);
    expect(labels.some((l) => l.startsWith('ONSIGNAL'))).toBe(false);
    expect(await page.getByTestId('timeline-notes').innerText()).toMatch(/named contact 999, not \d+/);
    // The dashboard's Hang up on the bot's leg is the bot's BYE: with no ONSIGNAL, ONRELEASE transfers to an agent [IBM].
    expect(await page.getByTestId('timeline-outcome').innerText()).toBe('ONRELEASE → agent');
    // The script waits ~300 ms after the bot's BYE for a Signal in flight, then stores ONRELEASE and
    // the agent's answer on the CXone leg: drawn because each stored step is a `script/step` event.
    await expect.poll(async () => (await timelineLabels(page)).join('\n'), { timeout: 10_000 }).toMatch(/^agent answered/m);
    expect((await timelineLabels(page)).filter((l) => l.startsWith('ONRELEASE'))).toEqual([expect.stringMatching(/^ONRELEASE, /), expect.stringMatching(/^ONRELEASE → agent, /)]);
    await page.locator('[data-testid=contact-timeline] .tl-ev[data-kind=signal]').first().focus();
    await page.getByTestId('timeline-panel').scrollIntoViewIfNeeded();
    await d.shot('timeline-03-wrong-contact');
  });

  it('a Signal after the caller hung up: the finding says how late it was', async () => {
    await placeCall(page, 'watson', false);
    await expect.poll(() => selectedState(page), { timeout: 10_000 }).toBe('answered');
    // The caller hangs up: Hang up on the CXone side's leg (UAC) of the same Call-ID.
    const botRow = page.locator('[data-testid=call-row][aria-selected=true]');
    const callId = (await botRow.locator('code').getAttribute('title'))!;
    const cxoneRow = page.locator(`[data-testid=call-row]:has(code[title="${callId}"])`).filter({ hasText: 'UAC/' });
    await cxoneRow.click();
    await page.getByTestId('hangup').click();
    await expect.poll(() => cxoneRow.getAttribute('data-state')).toBe('ended');
    await expect.poll(() => botRow.getAttribute('data-state').catch(() => null)).not.toBe('answered');
    // Then the bot signals, late.
    await page.locator(`[data-testid=call-row]:has(code[title="${callId}"])`).filter({ hasText: 'UAS/' }).click();
    await page.getByTestId('send-signal').click();
    await page.locator('[data-testid=call-detail] [data-testid=signal-row]').first().waitFor({ timeout: 10_000 });
    await expect.poll(() => page.getByTestId('timeline-notes').innerText().catch(() => ''), { timeout: 10_000 }).toMatch(/sent \d+ ms after CXone ended the call/);
    // The timeline is redrawn as live deltas arrive: wait for the contact's end to be drawn.
    await expect
      .poll(async () => (await timelineLabels(page)).some((l) => l.startsWith('contact ended')), { timeout: 10_000 })
      .toBe(true);
    await hoverBandEnd(page, '[data-testid=contact-timeline] .tl-ev[data-kind=signal] rect');
    await d.shot('timeline-04-signal-after-hangup');
  });

  it('History: the timeline of a contact id typed in the search', async () => {
    await page.getByTestId('tab-history').click();
    await page.getByTestId('contact-search').fill(goodContact);
    await page.getByTestId('contact-search-go').click();
    const panel = page.locator(`[data-testid=timeline-panel][data-contact-id="${goodContact}"]`);
    await panel.waitFor({ timeout: 10_000 });
    expect(await timelineLabels(page)).toEqual(expect.arrayContaining([expect.stringMatching(/^REQAGENT/)]));
    await page.getByTestId('contact-search').fill('4242424242');
    await page.getByTestId('contact-search-go').click();
    await page.getByTestId('timeline-empty').waitFor();
    await page.getByTestId('contact-search').fill(goodContact);
    await page.getByTestId('contact-search-go').click();
    await panel.waitFor();
    await d.shot('timeline-05-history-search');
  });

  it('a test case with speech, DTMF and a Signal: its steps on their own lane, with the audio and the handoff', async () => {
    expect(caseContact).toMatch(/^\d{6,}$/);
    await page.getByTestId('contact-search').fill(caseContact);
    await page.getByTestId('contact-search-go').click();
    await page.locator(`[data-testid=timeline-panel][data-contact-id="${caseContact}"]`).waitFor({ timeout: 10_000 });
    const lanes = await page.locator('[data-testid=contact-timeline] text.tl-lane').allTextContents();
    expect(lanes).toEqual(['Caller / CXone leg', 'CXone script', 'CXone API', 'Bot', 'Test case', 'Latency marks']);
    const labels = await timelineLabels(page);
    for (const re of [/^expect_speech within 5s/, /^dtmf 0,/, /^expect_signal status 2xx/, /^expect_hangup/, /^DTMF 0/, /^bot (voice starts|speaks)/, /^Signal 202/, /^ONSIGNAL p1=sessionhistory-/, /^REQAGENT/]) {
      expect(labels.some((l) => re.test(l)), `${re} in ${labels.join(' | ')}`).toBe(true);
    }
    await page.locator('[data-testid=contact-timeline] .tl-ev[data-kind=step]').nth(1).focus();
    expect(await page.getByTestId('timeline-detail').innerText()).toMatch(/step 2: dtmf 0 at 158|step 2: dtmf 0 at \d+/);
    await page.getByTestId('timeline-panel').scrollIntoViewIfNeeded();
    await d.shot('timeline-06-test-case');
    expect(d.problems).toEqual([]);
  });
});
