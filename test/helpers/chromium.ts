/**
 * Debian's Chromium driven by playwright-core (toolchain.md "Browser tests"): headless, with the
 * flags that keep it off this machine's closed network, and a fresh profile per launch.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Where Chromium is, or null. `CHROMIUM_PATH` overrides. */
export function chromiumPath(): string | null {
  for (const p of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (p && existsSync(p)) return p;
  }
  return null;
}

/** Launches headless Chromium with a new empty profile. */
export async function launchChromium(colorScheme: 'light' | 'dark' = 'light'): Promise<BrowserContext> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('Chromium not found: apt-get install chromium (or set CHROMIUM_PATH)');
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'lab-chromium-')), {
    executablePath,
    headless: true,
    viewport: { width: 1400, height: 900 },
    colorScheme,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
    ],
  });
}
