// The Tests screen (issue 13 item 6) in real Chromium through the browser host, against a real Lab:
// open the examples folder, edit a case (the form writes the YAML; a wrong step shows the
// validator's line live), run it and watch its steps pass, then its history. Nothing is saved:
// the examples stay as they are.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
    await page.getByTestId('theme-dark').click();
    await d.shot('tests-07-dark');
    await page.getByTestId('theme-system').click();
    // The run's HTML report is saved; opened from the file it has its own look and recordings.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('tests-open-report').click()]);
    const saved = join(mkdtempSync(join(tmpdir(), 'lab-e2e-report-')), download.suggestedFilename());
    await download.saveAs(saved);
    expect(readFileSync(saved, 'utf8')).toContain('Kore hands over on 2 (edited in the form)');
    const report = await page.context().newPage();
    await report.setViewportSize({ width: 1200, height: 900 });
    await report.goto(`file://${saved}`);
    expect(await report.locator('audio').count()).toBeGreaterThan(0);
    await report.screenshot({ path: join(root, 'test/e2e/screenshots/tests-06-report.png') });
    await report.close();
    expect(readFileSync(join(root, 'examples/tests/vendors/kore.yaml'), 'utf8')).toBe(original);
    expect(d.problems).toEqual([]);
  });

  it('the Monitor screen starts a monitor of test cases; a failing case raises the alert', async () => {
    const page = d.page;
    const dir = mkdtempSync(join(tmpdir(), 'lab-e2e-test-monitor-'));
    const text = readFileSync(join(root, 'examples/tests/faults/server-error.yaml'), 'utf8');
    writeFileSync(join(dir, 'made-to-fail.yaml'), text.replace(/^name: .*$/m, 'name: made to fail (expects a 2xx Signal)').replace('status: 503', 'status: 2xx'));
    await page.getByTestId('tab-monitor').click();
    await page.getByTestId('monitor-scenario').selectOption('test');
    await page.getByTestId('monitor-paths').fill(dir);
    await page.getByTestId('monitor-every').fill('600');
    await page.getByTestId('monitor-start').click();
    const row = page.locator('[data-testid=monitor-row][data-last-ok=false]').first();
    await row.waitFor({ timeout: 60_000 });
    expect(await row.getByTestId('monitor-last').innerText()).toMatch(/run 1 FAILED .*step 3 expect_signal/);
    expect(await page.getByTestId('monitor-alert').innerText()).toMatch(/Monitor test tmp\/lab-e2e-test-monitor-\w+: run 1 FAILED — made to fail/);
    await d.shot('tests-05-monitor-of-cases');
    await row.getByTestId('monitor-stop').click();
    await expect.poll(() => page.locator('[data-testid=monitor-row]').first().getAttribute('data-state'), { timeout: 30_000 }).toBe('stopped');
    expect(d.problems).toEqual([]);
  });
});
