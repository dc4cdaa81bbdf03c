// A monitor of test cases (issue 13 item 7) on the runtime, with real parts (loopback SIP, the
// embedded CXone emulator, SQLite): a folder of two example cases where one is made to fail — the
// failing case fails its run, is notified with the failing step named, and /metrics (prom-client,
// served over HTTP on loopback) shows each case's pass/fail counts, up gauge, duration and latency.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MonitorMetrics, parseMetricsListen, serveMetrics } from '../../../src/main/monitor/metrics';
import type { MonitorNotification, Notifier } from '../../../src/main/monitor/notifier';
import type { MonitorReport } from '../../../src/main/runs/monitor';
import { runHeadless } from '../../../src/main/runtime/headless';
import { runLab } from '../../helpers/reports/lab-process';

/** A notifier that keeps the notifications (the desktop one, notify-send on D-Bus, is tested in test/interop/monitor). */
class RecordingNotifier implements Notifier {
  readonly got: MonitorNotification[] = [];
  async notify(n: MonitorNotification): Promise<void> {
    this.got.push(n);
  }
}

const example = resolve('examples/tests/faults/server-error.yaml');

/** A folder with the example case as it is (passes) and a copy that expects a 2xx Signal (fails). */
function caseFolder(): { dir: string; good: string; bad: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lab-test-monitor-'));
  const text = readFileSync(example, 'utf8');
  writeFileSync(join(dir, 'a-good.yaml'), text);
  const bad = text.replace(/^name: .*$/m, 'name: "made to fail: expects a 2xx Signal"').replace('status: 503', 'status: 2xx');
  expect(bad).not.toBe(text);
  writeFileSync(join(dir, 'b-bad.yaml'), bad);
  return { dir, good: /^name: "?(.*?)"?$/m.exec(text)![1]!, bad: 'made to fail: expects a 2xx Signal' };
}

/** Value of one sample line of the exposition text, or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);
  for (const line of text.split('\n')) {
    const m = /^([a-z_:]+)\{(.*)\} (\S+)$/.exec(line);
    if (m && m[1] === name && want.every((w) => m[2]!.split(/,(?=[a-z_]+=")/).includes(w))) return Number(m[3]);
  }
  return undefined;
}

describe('monitor of test cases', () => {
  it('runs the cases on the runtime, notifies the failing one, and serves the figures on /metrics', async () => {
    const { dir, good, bad } = caseFolder();
    const notifier = new RecordingNotifier();
    const metrics = new MonitorMetrics();
    const server = await serveMetrics(metrics, 0);
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const summary = await runHeadless<MonitorReport>('monitor', { scenario: 'test', paths: [dir], everyMs: 1000, runs: 1, notifier, metrics }, { dbFile: join(dir, 'history.db') });
      expect(summary.failed).toBe(1);
      const run = summary.runs[0]!;
      expect(run.report?.calls.map((c) => [c.name, c.ok])).toEqual([
        [good, true],
        [bad, false],
      ]);
      expect(notifier.got).toHaveLength(1);
      expect(notifier.got[0]!.title).toContain('FAILED');
      expect(notifier.got[0]!.body).toMatch(/step 3 expect_signal/);

      const res = await fetch(server.url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      const text = await res.text();
      expect(sample(text, 'cxlab_case_runs_total', { case: good, result: 'pass' })).toBe(1);
      expect(sample(text, 'cxlab_case_runs_total', { case: bad, result: 'fail' })).toBe(1);
      expect(sample(text, 'cxlab_case_up', { case: good })).toBe(1);
      expect(sample(text, 'cxlab_case_up', { case: bad })).toBe(0);
      expect(sample(text, 'cxlab_case_duration_seconds_count', { case: good })).toBe(1);
      expect(sample(text, 'cxlab_case_duration_seconds_sum', { case: good })).toBeGreaterThan(0);
      expect(sample(text, 'cxlab_case_latency_seconds', { case: good, mark: 'invite_to_200' })).toBeGreaterThan(0);
      expect((await fetch(server.url.replace('/metrics', '/other'))).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('--metrics-listen takes host:port or a port (loopback)', () => {
    expect(parseMetricsListen('9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseMetricsListen('[::1]:9464')).toEqual({ host: '::1', port: 9464 });
    expect(parseMetricsListen('0.0.0.0:80')).toEqual({ host: '0.0.0.0', port: 80 });
    expect(() => parseMetricsListen('host:99999')).toThrow(/host:port/);
  });

  it('lab monitor runs a case as a process, prints its verdict and where /metrics is served', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-test-monitor-cli-'));
    const r = await runLab(['monitor', '--every', '1s', '--runs', '1', '--no-notify', '--db', join(dir, 'h.db'), '--metrics-listen', '127.0.0.1:0', example]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/monitoring 1 case\(s\) of .*server-error\.yaml every 1s, 1 run\(s\); history .*; metrics http:\/\/127\.0\.0\.1:\d+\/metrics/);
    expect(r.out).toMatch(/run 1 .* PASS {2}1\/1 case\(s\) passed/);
    const usage = await runLab(['monitor', '--every', '1s', '--scenario', 'handoff', '--profile', 'kore', '--metrics-listen', '9464']);
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/--metrics-listen goes with test cases/);
  });

  it('lab monitor with a bad case file exits 2 naming the file and line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-test-monitor-bad-'));
    writeFileSync(join(dir, 'bad.yaml'), 'name: x\nmode: embedded\nprofile: kore\nsteps:\n  - frobnicate: 1\n');
    const r = await runLab(['monitor', '--every', '1s', '--runs', '1', '--no-notify', '--db', join(dir, 'h.db'), dir]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad\.yaml:5/);
  });
});
