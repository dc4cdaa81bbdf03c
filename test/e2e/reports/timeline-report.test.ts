// The contact timeline in the HTML report, in Chromium: a real embedded handoff written to history,
// the report of its contact id (`lab report --contact`'s path) opened from disk, the SVG drawn with
// every lane, each event carrying its detail as a <title>, reachable by the keyboard (Tab);
// light and dark screenshots under test/e2e/screenshots/ (timeline-report-*.png).
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

describe.skipIf(!chromiumPath())('contact timeline in the HTML report (Chromium)', () => {
  it('draws the lanes, the Signal and ONSIGNAL with their detail, and the agent side; keyboard focus; screenshots', async () => {
    mkdirSync(shots, { recursive: true });
    const dir = mkdtempSync(join(tmpdir(), 'lab-timeline-html-'));
    const dbFile = join(dir, 'history.db');
    const run = await runHandoff({ profile: 'watson', transport: 'tcp', dbFile, dropWaitMs: 1000 });
    const cid = run.calls.map((c) => c.contactId?.value).find((x): x is string => !!x)!;
    const html = join(dir, 'contact.html');
    const store = HistoryStore.open(dbFile);
    try {
      const callIds = store.contactHistory(cid).calls.map((c) => c.id);
      expect(callIds).toHaveLength(2);
      writeReports(store, { callIds }, { html }, { title: `Contact ${cid}` });
    } finally {
      store.close();
    }
    for (const scheme of ['light', 'dark'] as const) {
      const ctx = await launchChromium(scheme);
      contexts.push(ctx);
      const page = await ctx.newPage();
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(html).href);
      expect(requests).toEqual([pathToFileURL(html).href]);
      const section = page.locator('section.contact-timeline');
      expect(await section.count(), await page.content().then((c) => c.slice(0, 300))).toBe(1);
      const svg = section.locator('svg.timeline');
      const laneTitles = await svg.locator('text.lane').allTextContents();
      expect(laneTitles).toEqual(['Caller / CXone leg', 'CXone script', 'CXone API', 'Bot', 'Latency marks']);
      const titles = await svg.locator('g.ev > title').allTextContents();
      expect(titles.some((t) => t.startsWith('Signal 202') && t.includes('POST http://127.0.0.1') && t.includes('[redacted]'))).toBe(true);
      expect(titles.some((t) => t.startsWith('ONSIGNAL p1=') && t.includes('Studio variables'))).toBe(true);
      expect(titles.some((t) => t.startsWith('INVITE') && t.includes('X-ContactID: ' + cid))).toBe(true);
      expect(titles.some((t) => t.startsWith('signal_to_bye_ms'))).toBe(true);
      await expect.poll(() => section.locator('table.facts').textContent()).toContain('loadAgentAppFrame.html?session_history_key=');
      // Keyboard: Tab reaches the timeline's events.
      await svg.locator('g.ev').first().focus();
      const focused = await page.evaluate(() => {
        const el = (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null; querySelector(s: string): { textContent: string | null } | null } | null } }).document.activeElement;
        return el ? { cls: el.getAttribute('class'), title: el.querySelector('title')?.textContent ?? null } : null;
      });
      expect(focused?.cls).toBe('ev');
      expect(focused?.title).toBeTruthy();
      await section.screenshot({ path: join(shots, `timeline-report-${scheme}.png`) });
      await page.close();
    }
  }, 60_000);
});
