// The dashboard's issue-6 handlers through the Lab, with real parts (SQLite in a temp dir, the
// embedded handoff over loopback SIP, the CXone emulator): a monitor's handoff run exported as
// HTML/JSON/JUnit/Markdown/pcap, that pcap imported back into history with its verdicts, and a
// monitor with the emulator's `server-error` fault failing, notified and pushed as events.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MonitorView } from '../../../src/shared/contract';
import { dispatch } from '../../../src/main/host/dispatch';
import { Lab } from '../../../src/main/lab';
import type { MonitorNotification } from '../../../src/main/monitor/notifier';

let lab: Lab;
const notified: MonitorNotification[] = [];
const updates: MonitorView[] = [];

beforeAll(async () => {
  lab = await Lab.start({
    dbFile: join(mkdtempSync(join(tmpdir(), 'lab-rim-')), 'history.db'),
    host: 'browser',
    keychainService: `cxone-sip-lab-test-${process.pid}`,
    notifier: { notify: async (n) => void notified.push(n) },
    monitorHandoff: { dropWaitMs: 500, greeting: null },
  });
  lab.onEvent((name, payload) => {
    if (name === 'monitor/updated') updates.push(payload as MonitorView);
  });
});
afterAll(async () => {
  await lab?.stop();
});

const ok = <T>(r: { ok: true; value: T } | { ok: false; error: string }): T => {
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

async function until<T>(fn: () => T | null | undefined, what: string, ms = 30_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('Lab: reports, pcap import and monitors from the dashboard', () => {
  let runId = '';
  let pcapBase64 = '';

  it('a monitor runs the handoff, pushes its run as an event, and stops', async () => {
    const started = ok(await lab.handlers['monitor/start']({ scenario: 'handoff', profile: 'kore', transport: 'udp', everyMs: 60_000, faults: [] }));
    expect(started.state).toBe('running');
    const withRun = await until(() => updates.find((u) => u.id === started.id && u.runs.length > 0), 'the first monitor run');
    expect(withRun.runs[0]).toMatchObject({ index: 1, ok: true, problems: [] });
    runId = withRun.runs[0]!.runId!;
    expect(runId).toBeTruthy();
    const stopped = ok(await lab.handlers['monitor/stop']({ id: started.id }));
    expect(stopped).toMatchObject({ state: 'stopped', passed: 1, failed: 0 });
    const list = ok(await lab.handlers['monitor/list'](null));
    expect(list.monitors.map((m) => m.id)).toContain(started.id);
    expect(list.faultSpecs).toContain('server-error[:<5xx status>]');
    const trends = ok(await lab.handlers['monitor/trends']({ profile: 'kore' }));
    expect(trends[0]).toMatchObject({ kind: 'handoff', profile: 'kore', transport: 'udp', passed: 1, failed: 0 });
    expect(trends[0]!.points[0]!.runId).toBe(runId);
    expect(notified).toEqual([]); // a passing run notifies nobody
  });

  it('exports the run in every format, redacting IP addresses on request', async () => {
    const files = ok(
      await dispatch(lab.handlers, 'reports/export', { selection: { runId }, formats: ['html', 'json', 'junit', 'markdown', 'pcap'], redact: { phoneNumbers: true, ipAddresses: true } }),
    ) as Array<{ format: string; fileName: string; mime: string; base64: string; bytes: number }>;
    expect(files.map((f) => f.format)).toEqual(['html', 'json', 'junit', 'markdown', 'pcap']);
    const text = (f: (typeof files)[number]): string => Buffer.from(f.base64, 'base64').toString('utf8');
    const [html, json, junit, md, pcap] = files as [(typeof files)[number], (typeof files)[number], (typeof files)[number], (typeof files)[number], (typeof files)[number]];
    expect(text(html).startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toMatchObject({ mime: 'text/html; charset=utf-8', fileName: `cxone-sip-lab-run-${runId}.html` });
    expect(JSON.parse(text(json))).toMatchObject({ format: 'cxone-sip-lab-report', redaction: { ipAddresses: true, phoneNumbers: true } });
    expect(text(junit)).toMatch(/^<\?xml[^>]*\?>\s*<testsuites/);
    expect(junit.fileName).toMatch(/\.junit\.xml$/);
    expect(text(md)).toMatch(/^## (✅ PASS|❌ FAIL): /);
    const bytes = Buffer.from(pcap.base64, 'base64');
    expect(bytes.length).toBe(pcap.bytes);
    expect(bytes.readUInt32LE(0)).toBe(0xa1b2c3d4); // pcap magic (microsecond stamps)
    pcapBase64 = pcap.base64;

    const missing = await lab.handlers['reports/export']({ selection: { runId: 'nope' }, formats: ['html'], redact: { phoneNumbers: false, ipAddresses: false } });
    expect(!missing.ok && missing.error).toMatch(/no run nope/);
    const callIds = ok(await lab.handlers['history/search']({ field: 'any', text: '', verdict: 'any', runId, offset: 0, limit: 10 })).calls.map((c) => c.id);
    const one = ok(await lab.handlers['reports/export']({ selection: { callIds: callIds.slice(0, 1) }, formats: ['markdown'], redact: { phoneNumbers: false, ipAddresses: false } }));
    expect(one[0]!.fileName).toBe(`cxone-sip-lab-call-${callIds[0]}.md`);
  });

  it('imports that pcap into history as an import run with its verdicts', async () => {
    const r = ok(await dispatch(lab.handlers, 'import/pcap', { fileName: '/tmp/x/handoff.pcap', profile: 'kore', base64: pcapBase64 })) as {
      ok: boolean;
      runId: string;
      file: string;
      calls: Array<{ verdictOk: boolean; contactId: string | null; callRef: string }>;
    };
    expect(r.ok).toBe(true);
    expect(r.file).toBe('handoff.pcap');
    expect(r.calls.length).toBeGreaterThan(0);
    expect(r.calls.every((c) => c.verdictOk && c.contactId)).toBe(true);
    const runs = ok(await lab.handlers['history/runs']({ limit: 10 }));
    expect(runs.find((x) => x.id === r.runId)).toMatchObject({ kind: 'import', ok: true, callCount: r.calls.length });
    const detail = ok(await lab.handlers['calls/get']({ id: r.calls[0]!.callRef }));
    expect(detail.messages.length).toBeGreaterThan(2);

    const bad = await lab.handlers['import/pcap']({ fileName: 'x.pcap', profile: 'kore', base64: Buffer.from('not a capture at all').toString('base64') });
    expect(bad.ok ? bad.value.error : bad.error).toBeTruthy();
    const notB64 = await lab.handlers['import/pcap']({ fileName: 'x.pcap', profile: 'kore', base64: '***' });
    expect(!notB64.ok && notB64.error).toMatch(/base64/);
    const unknown = await lab.handlers['import/pcap']({ fileName: 'x.pcap', profile: 'nope', base64: pcapBase64 });
    expect(unknown.ok).toBe(false);
  });

  it('a monitor with the server-error fault fails, notifies, and its failure is pushed', async () => {
    const bad = await lab.handlers['monitor/start']({ scenario: 'handoff', profile: 'kore', transport: 'udp', everyMs: 60_000, faults: ['bogus'] });
    expect(!bad.ok && bad.error).toMatch(/invalid fault "bogus".*server-error/);
    const started = ok(await lab.handlers['monitor/start']({ scenario: 'handoff', profile: 'kore', transport: 'tcp', everyMs: 60_000, faults: ['server-error'] }));
    const failed = await until(() => updates.find((u) => u.id === started.id && u.runs.length > 0), 'the failing run');
    expect(failed.runs[0]!.ok).toBe(false);
    expect(failed.runs[0]!.problems.length).toBeGreaterThan(0);
    expect(failed.faults).toEqual(['server-error']);
    await until(() => notified.length > 0, 'the notification');
    expect(notified[0]).toMatchObject({ urgency: 'critical', title: expect.stringMatching(/FAILED/) });
    ok(await lab.handlers['monitor/stop']({ id: started.id }));
    const trends = ok(await lab.handlers['monitor/trends']({ profile: 'kore', transport: 'tcp' }));
    expect(trends[0]).toMatchObject({ failed: 1 });
    expect(trends[0]!.points[0]!.faults).toEqual(['server-error']);
  });
});
