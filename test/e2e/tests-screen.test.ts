// The Tests screen (issue 13 item 6) in real Chromium through the browser host, against a real Lab:
// open the examples folder, edit a case (the form writes the YAML; a wrong step shows the
// validator's line live), run it and watch its steps pass, then its history. Nothing is saved:
// the examples stay as they are.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath } from '../helpers/chromium';
import { root, startDashboard, type Dashboard } from './harness';

describe.skipIf(!chromiumPath() && !process.env.CI)('Tests screen in Chromium (needs apt-get install chromium)', () => {
  let d: Dashboard;
  beforeAll(async () => {
    d = await startDashboard();
  });
  afterAll(async () => {
    await d?.close();
  });

  it('opens the examples, shows a live validation error with its line, runs a case and its steps pass', async () => {
    const page = d.page;
    await page.setViewportSize({ width: 1440, height: 1000 });
    await page.goto(d.host.url);
    await page.getByTestId('tab-calls').waitFor();
    await page.keyboard.press('Alt+7');
    const kore = page.locator('[data-testid=tests-case][data-rel="vendors/kore.yaml"]');
    await kore.waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('tests-folder').inputValue()).toBe(join(root, 'examples', 'tests'));
    expect(await page.getByTestId('tests-case').count()).toBeGreaterThanOrEqual(10);
    await kore.click();
    const yaml = page.getByTestId('tests-yaml');
    const original = readFileSync(join(root, 'examples/tests/vendors/kore.yaml'), 'utf8');
    await expect.poll(() => yaml.inputValue()).toBe(original);
    await expect.poll(() => page.getByTestId('tests-validity').getAttribute('data-ok')).toBe('true');
    expect(await page.getByTestId('tests-form-steps').locator('li').count()).toBe(6);
    await d.shot('tests-01-case');

    // The form writes into the YAML (comments kept).
    await page.getByTestId('tests-form-name').fill('Kore hands over on 2 (edited in the form)');
    await expect.poll(() => yaml.inputValue()).toContain('name: Kore hands over on 2 (edited in the form)');
    expect(await yaml.inputValue()).toContain('# Kore.ai: the bot reads X-ExternalCallId');

    // A wrong DTMF method: the validator's line, shown live and marked in the gutter.
    const broken = (await yaml.inputValue()).replace('- dtmf: "2"', '- dtmf: { digits: "2", method: smoke }');
    const line = broken.split('\n').findIndex((l) => l.includes('method: smoke')) + 1;
    await yaml.fill(broken);
    await expect.poll(() => page.getByTestId('tests-validity').getAttribute('data-ok')).toBe('false');
    expect(await page.getByTestId('tests-problem').innerText()).toMatch(new RegExp(`^line ${line}, column \\d+: step 4`));
    expect(await page.locator('.tests-gutter-line.error').innerText()).toBe(String(line));
    expect(await page.getByTestId('tests-run-case').isDisabled()).toBe(true);
    await d.shot('tests-02-validation-error');

    // Fixed again; run the editor's case: its steps tick to passed.
    await yaml.fill(broken.replace('- dtmf: { digits: "2", method: smoke }', '- dtmf: "2"'));
    await expect.poll(() => page.getByTestId('tests-validity').getAttribute('data-ok')).toBe('true');
    await page.getByTestId('tests-run-case').click();
    await page.locator('[data-testid=tests-step][data-status=running]').first().waitFor({ timeout: 10_000 });
    await page.locator('[data-testid=tests-run-state][data-state=passed]').waitFor({ timeout: 60_000 });
    const statuses = await page.getByTestId('tests-step').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
    expect(statuses).toEqual(['passed', 'passed', 'passed', 'passed', 'passed', 'passed']);
    await page.getByTestId('tests-pass-rate').waitFor();
    expect(await page.getByTestId('tests-pass-rate').innerText()).toBe('100% passed (1/1)');
    await page.getByTestId('tests-trend').waitFor();
    await d.shot('tests-03-run-passed');
    await page.locator('.tests-history').scrollIntoViewIfNeeded();
    await d.shot('tests-04-history');
    expect(readFileSync(join(root, 'examples/tests/vendors/kore.yaml'), 'utf8')).toBe(original);
    expect(d.problems).toEqual([]);
  });
});
