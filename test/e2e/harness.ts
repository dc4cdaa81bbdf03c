/**
 * What every dashboard e2e file needs: a real Lab on loopback (SQLite in a temp data dir, SIP
 * listeners, the CXone emulator), the browser host serving out/web, Debian Chromium driven by
 * playwright-core, and the page's problems collected (console errors, page errors, CSP
 * violations), plus every WebSocket frame the page received (to look for secrets).
 */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { startBrowserHost, type BrowserHost } from '../../src/main/host/browser-host';
import { Lab, type LabOptions } from '../../src/main/lab';
import { launchChromium } from '../helpers/chromium';

export const root = resolve(import.meta.dirname, '../..');
export const webDir = join(root, 'out/web');
export const shots = join(root, 'test/e2e/screenshots');

/** A running dashboard. */
export interface Dashboard {
  dataDir: string;
  lab: Lab;
  host: BrowserHost;
  browser: BrowserContext;
  page: Page;
  /** Console errors, page errors and CSP violations seen so far. */
  problems: string[];
  /** Every WebSocket frame the page received (responses and events). */
  framesIn: string[];
  /** Saves a full-page screenshot under test/e2e/screenshots/. */
  shot(name: string, opts?: { fullPage?: boolean }): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a dashboard.
 * @param prepare - runs on the data dir before the Lab opens it (e.g. seeding history).
 */
export async function startDashboard(opts: { prepare?: (dataDir: string) => void; lab?: Partial<LabOptions> } = {}): Promise<Dashboard> {
  if (!existsSync(join(webDir, 'index.html'))) throw new Error('out/web is not built: run "npm run build:web" (npm run test:e2e does)');
  mkdirSync(shots, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'lab-e2e-'));
  opts.prepare?.(dataDir);
  const lab = await Lab.start({
    dbFile: join(dataDir, 'history.db'),
    host: 'browser',
    keychainService: `cxone-sip-lab-e2e-${process.pid}`,
    ...opts.lab,
  });
  const host = await startBrowserHost({ lab, staticDir: webDir });
  const browser = await launchChromium();
  const page = await browser.newPage();
  const problems: string[] = [];
  const framesIn: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !/frame-ancestors/.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('websocket', (ws) => ws.on('framereceived', (f) => framesIn.push(String(f.payload))));
  // Injected by the DevTools protocol, so the page's CSP does not apply to it; reports violations as console errors.
  await page.addInitScript(
    "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));",
  );
  return {
    dataDir,
    lab,
    host,
    browser,
    page,
    problems,
    framesIn,
    shot: async (name, o = {}) => {
      await page.screenshot({ path: join(shots, `${name}.png`), fullPage: o.fullPage ?? false });
    },
    close: async () => {
      await browser.close().catch(() => {});
      await host.close().catch(() => {});
      await lab.stop().catch(() => {});
    },
  };
}
