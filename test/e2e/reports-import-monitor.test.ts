// Issue 6 from the dashboard, in real Chromium through the browser host against a real Lab: a
// handoff run exported from History as HTML, JUnit and pcap (blob: downloads), that pcap imported
// back (file picker + profile) and found in History as an imported run with its verdict and
// ladder, and a monitor with the emulator's `server-error` fault failing, shown on the Monitor
// screen and in the in-app alert (no notification permission asked). Screenshots under
// test/e2e/screenshots/.
import { readFileSync } from 'node:fs';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHandoff } from '../../src/main/scenarios/handoff';
import { chromiumPath } from '../helpers/chromium';
import { startDashboard, type Dashboard } from './harness';

describe.skipIf(!chromiumPath() && !process.env.CI)('reports, pcap import and monitoring in Chromium (needs apt-get install chromium)', () => {
  let d: Dashboard;
  let page: Page;
  let runId = '';
  let pcapPath = '';

  beforeAll(async () => {
    d = await startDashboard({ lab: { monitorHandoff: { dropWaitMs: 500, greeting: null } } });
    page = d.page;
    const report = await runHandoff({ profile: 'kore', transport: 'udp', dbFile: d.lab.store.file, dropWaitMs: 2000, greeting: null });
    expect(report.ok).toBe(true);
    runId = report.runId;
  });
  afterAll(async () => {
    await d?.close();
  });

  /** Clicks Export and collects the `n` downloads it makes, by file name. */
  async function exportFiles(n: number): Promise<Map<string, Download>> {
    const got = new Map<string, Download>();
    const all = new Promise<void>((resolve) => {
      const on = (dl: Download): void => {
        got.set(dl.suggestedFilename(), dl);
        if (got.size === n) {
          page.off('download', on);
          resolve();
        }
      };
      page.on('download', on);
    });
    await page.getByTestId('export-go').click();
    await all;
    return got;
  }

  it('History: exports a run as HTML, JUnit and pcap through blob: downloads', async () => {
    await page.goto(d.host.url);
    await page.getByTestId('tab-history').click();
    await expect.poll(() => page.locator(`[data-testid=history-run] option[value="${runId}"]`).count()).toBe(1);
    await page.getByTestId('history-run').selectOption(runId);
    await expect.poll(() => page.getByTestId('history-count').getAttribute('data-total')).toBe('2');
    await page.getByTestId('export-open').first().click();
    await page.getByTestId('export-format-junit').check();
    await page.getByTestId('export-format-pcap').check();
    await page.getByTestId('export-redact-ips').check();
    const files = await exportFiles(3);
    const html = readFileSync((await files.get(`cxone-sip-lab-run-${runId}.html`)!.path())!, 'utf8');
    const junit = readFileSync((await files.get(`cxone-sip-lab-run-${runId}.junit.xml`)!.path())!, 'utf8');
    pcapPath = (await files.get(`cxone-sip-lab-run-${runId}.pcap`)!.path())!;
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain(runId);
    expect(junit).toMatch(/^<\?xml[^>]*\?>\s*<testsuites/);
    expect(junit).toContain('failures="0"');
    expect(readFileSync(pcapPath).readUInt32LE(0)).toBe(0xa1b2c3d4);
    expect(await page.getByTestId('export-status').innerText()).toMatch(/saved .*\.html.*\.junit\.xml.*\.pcap/);
    await d.shot('20-history-export');
    await page.getByTestId('export-open').first().click(); // closes the menu
  });

  it('History: imports the exported pcap; the imported run and its calls open with their ladders', async () => {
    await page.getByTestId('import-toggle').locator('summary').click();
    await page.getByTestId('import-file').setInputFiles({ name: 'handoff.pcap', mimeType: 'application/vnd.tcpdump.pcap', buffer: readFileSync(pcapPath) });
    await page.getByTestId('import-profile').selectOption('kore');
    await page.getByTestId('import-go').click();
    const result = page.getByTestId('import-result');
    await result.waitFor({ timeout: 10_000 });
    expect(await result.getAttribute('data-ok')).toBe('true');
    const importedRun = (await result.getAttribute('data-run-id'))!;
    expect(importedRun).toBeTruthy();
    // The CXone leg and the bot leg of the embedded handoff share one Call-ID: one dialog in the capture.
    expect(await result.innerText()).toMatch(/handoff\.pcap \(pcap\): \d+ frames, \d+ SIP messages, 1 call\(s\)/);
    await expect.poll(() => page.getByTestId('history-run').inputValue()).toBe(importedRun);
    expect(await page.locator(`[data-testid=history-run] option[value="${importedRun}"]`).innerText()).toMatch(/imported · kore · 1 calls · ok/);
    await expect.poll(() => page.getByTestId('history-count').getAttribute('data-total')).toBe('1');
    await d.shot('21-history-import');
    await page.getByTestId('history-row').first().click();
    await page.locator('[data-testid=call-detail]').waitFor();
    await expect.poll(() => page.locator('[data-testid=call-detail] svg').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid=call-detail]').innerText()).toMatch(/INVITE/);
  });

  it('Monitor: a monitor with the server-error fault fails; the run, the trend and the alert show it', async () => {
    await page.getByTestId('tab-monitor').click();
    await page.getByTestId('monitor-profile').selectOption('kore');
    await page.getByTestId('monitor-transport').selectOption('udp');
    await page.getByTestId('monitor-every').fill('1');
    await page.getByTestId('monitor-faults').fill('server-error');
    await page.getByTestId('monitor-start').click();
    const alert = page.getByTestId('monitor-alert');
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.innerText()).toMatch(/handoff kore \(udp\) \(faults: server-error\): run 1 FAILED/);
    const row = page.getByTestId('monitor-row').first();
    expect(await row.getAttribute('data-last-ok')).toBe('false');
    expect(await row.getByTestId('monitor-last').innerText()).toMatch(/run 1 FAILED/);
    await expect.poll(() => page.locator('[data-testid=trend-card][data-profile=kore][data-transport=udp] [data-testid=trend-counts]').innerText()).toMatch(/1 passed · [1-9]\d* failed/);
    const permission = await page.evaluate(() => (globalThis as unknown as { Notification: { permission: string } }).Notification.permission);
    expect(permission).toBe('default'); // never asked
    await d.shot('22-monitor-failing');
    await row.getByTestId('monitor-stop').click();
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 30_000 }).toBe('stopped');
    await page.getByTestId('monitor-alert-dismiss').click();
    await alert.waitFor({ state: 'detached' });
    expect(d.problems).toEqual([]);
  });
});
