// The HTML report in Chromium: a real handoff (and one with a lower-cased Kore header that fails)
// written from history to one HTML file, opened from disk in Chromium with nothing but the file
// requested, its ladders drawn, the verdicts and checks shown; light and dark screenshots are kept
// under test/e2e/screenshots/ (reports-*.png).
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../../src/main/history/store';
import { writeReports } from '../../../src/main/reports/write-reports';
import { runHandoff } from '../../../src/main/scenarios/handoff';
import { chromiumPath, launchChromium } from '../../helpers/chromium';

const shots = resolve(import.meta.dirname, '../screenshots');
const contexts: BrowserContext[] = [];
afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close()));
});

async function reportOf(profile: string, headersOverride?: { name: string; value: string }[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'lab-html-'));
  const dbFile = join(dir, 'history.db');
  const run = await runHandoff({ profile, transport: 'tcp', dbFile, headersOverride, dropWaitMs: 1000 });
  const store = HistoryStore.open(dbFile);
  try {
    const html = join(dir, 'report.html');
    writeReports(store, { runId: run.runId }, { html });
    return html;
  } finally {
    store.close();
  }
}

describe.skipIf(!chromiumPath())('HTML report in Chromium', () => {
  it('opens from disk with no other request, shows ladders, verdicts and checks; screenshots', async () => {
    mkdirSync(shots, { recursive: true });
    const passing = await reportOf('kore');
    const failing = await reportOf('kore', [{ name: 'x-externalcallid', value: '12345678901' }]);
    for (const scheme of ['light', 'dark'] as const) {
      const ctx = await launchChromium(scheme);
      contexts.push(ctx);
      const page = await ctx.newPage();
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      const failures: string[] = [];
      page.on('console', (m) => m.type() === 'error' && failures.push(m.text()));

      await page.goto(pathToFileURL(passing).href);
      expect(requests).toEqual([pathToFileURL(passing).href]);
      expect(failures).toEqual([]);
      await expect.poll(() => page.locator('svg.ladder').count()).toBe(2);
      expect(await page.locator('header .verdict').innerText()).toBe('PASS');
      const ladder = page.locator('#call-2 svg.ladder');
      expect(await ladder.locator('text.lbl').allTextContents()).toEqual(expect.arrayContaining(['INVITE (SDP)', '100 Trying', '180 Ringing', '200 OK (SDP)', 'ACK', 'BYE']));
      const box = await ladder.boundingBox();
      expect(box!.width).toBeGreaterThan(400);
      await page.screenshot({ path: join(shots, `reports-html-pass-${scheme}.png`), fullPage: false });
      await ladder.screenshot({ path: join(shots, `reports-html-ladder-${scheme}.png`) });

      await page.goto(pathToFileURL(failing).href);
      expect(await page.locator('header .verdict').innerText()).toBe('FAIL');
      const problems = await page.locator('#call-2 ul.problems').innerText();
      expect(problems).toMatch(/differs in case from "X-ExternalCallId"/);
      await page.locator('#call-2 h3', { hasText: 'Contact id' }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(shots, `reports-html-fail-${scheme}.png`), fullPage: false });
    }
  });
});
