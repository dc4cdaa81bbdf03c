// The monitor over real embedded handoffs stored in SQLite: with a fault injected in the emulated
// CXone (the Signal gets a 500) every run fails, a notification goes out for each, the trend read
// back from history shows the failed runs and their failed checks; without a fault runs pass and
// nothing is notified. The notifier here records what it is given (the desktop one, notify-send on
// D-Bus, is tested in test/interop/monitor). `lab monitor` runs as a process too.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFault } from '../../../src/main/emulator/faults';
import { HistoryStore } from '../../../src/main/history/store';
import { runMonitor, startMonitor } from '../../../src/main/monitor/monitor';
import type { MonitorNotification, Notifier } from '../../../src/main/monitor/notifier';
import { formatTrend, scenarioTrends } from '../../../src/main/monitor/trend';
import { runLab } from '../../helpers/reports/lab-process';

/** A notifier that keeps the notifications (a named fake: the real one needs a desktop bus). */
class RecordingNotifier implements Notifier {
  readonly got: MonitorNotification[] = [];
  async notify(n: MonitorNotification): Promise<void> {
    this.got.push(n);
  }
}

const dbIn = () => join(mkdtempSync(join(tmpdir(), 'lab-monitor-')), 'history.db');

describe('monitor', () => {
  it('a fault in the emulator: each run fails, is stored, and is notified; the trend shows it', async () => {
    const dbFile = dbIn();
    const notifier = new RecordingNotifier();
    const seen: number[] = [];
    const summary = await runMonitor({
      scenario: 'handoff', profile: 'kore', transport: 'udp', everyMs: 50, runs: 2, dbFile,
      faults: [parseFault('server-error:503')], notifier, handoff: { dropWaitMs: 500 }, onRun: (r) => seen.push(r.index),
    });
    expect(seen).toEqual([1, 2]);
    expect(summary).toMatchObject({ passed: 0, failed: 2 });
    for (const r of summary.runs) {
      expect(r.ok).toBe(false);
      expect(r.notified).toBe(true);
      expect(r.failedChecks.map((k) => k.name)).toContain('signal-accepted');
    }
    expect(notifier.got).toHaveLength(2);
    expect(notifier.got[0]).toMatchObject({ title: 'CXone SIP Lab: handoff kore (udp) FAILED', urgency: 'critical' });
    expect(notifier.got[0]!.body).toMatch(/✗ signal-accepted: .*503/);

    const store = HistoryStore.open(dbFile);
    try {
      const [trend] = scenarioTrends(store, { kind: 'handoff', profile: 'kore' });
      expect(trend).toMatchObject({ kind: 'handoff', profile: 'kore', transport: 'udp', passed: 0, failed: 2 });
      expect(trend!.points.map((p) => p.runId)).toEqual(summary.runs.map((r) => r.report!.runId));
      expect(trend!.points[0]).toMatchObject({ ok: false, faults: ['server-error:503'] });
      expect(trend!.points[0]!.failedChecks).toContain('signal-accepted');
      expect(trend!.marks.invite_to_200?.count).toBe(2);
      expect(formatTrend(trend!)).toMatch(/handoff kore udp: 0 passed, 2 failed of 2 run\(s\)\n.*FAIL .*\(faults server-error:503; failed: .*signal-accepted/);
    } finally {
      store.close();
    }
  });

  it('without a fault runs pass and nothing is notified; stop() ends a background monitor', async () => {
    const dbFile = dbIn();
    const notifier = new RecordingNotifier();
    const handle = startMonitor({ scenario: 'handoff', profile: 'watson', transport: 'tcp', everyMs: 60_000, dbFile, notifier });
    // The first run starts at once (synchronously); stop() ends the monitor after it instead of waiting a minute.
    const summary = await handle.stop();
    expect(summary.runs).toHaveLength(1);
    expect(summary.runs[0]!.ok).toBe(true);
    expect(notifier.got).toEqual([]);
    const store = HistoryStore.open(dbFile);
    try {
      expect(scenarioTrends(store)[0]).toMatchObject({ profile: 'watson', passed: 1, failed: 0 });
    } finally {
      store.close();
    }
  });

  it('lab monitor as a process: verdict and trend printed, exit 1 on a failed run', async () => {
    const dbFile = dbIn();
    const r = await runLab(['monitor', '--every', '100ms', '--runs', '1', '--profile', 'kore', '--transport', 'udp', '--fault', 'server-error', '--no-notify', '--drop-wait', '500', '--db', dbFile]);
    expect(r.code, r.out + r.err).toBe(1);
    expect(r.out).toMatch(/monitoring handoff kore \(udp\) every 100ms, 1 run\(s\)/);
    expect(r.out).toMatch(/run 1 .* FAIL /);
    expect(r.out).toMatch(/handoff kore udp: 0 passed, 1 failed of 1 run\(s\)/);
    const bad = await runLab(['monitor', '--every', 'often', '--profile', 'kore', '--db', dbFile]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/interval "often"/);
  });
});
