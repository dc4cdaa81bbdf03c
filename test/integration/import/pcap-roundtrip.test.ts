// Export then import: a real embedded handoff (UDP and TCP, a passing and a failing contact id)
// is exported to pcap from history and imported again; the imported call has the same ladder and
// the same contact-id verdict as the original run's bot leg. `lab import` does the same as a process.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryStore } from '../../../src/main/history/store';
import { importCaptureFile, type ImportSummary } from '../../../src/main/import/import-capture';
import { writeReports } from '../../../src/main/reports/write-reports';
import { runHandoff } from '../../../src/main/scenarios/handoff';
import { runLab } from '../../helpers/reports/lab-process';

const tmp = () => mkdtempSync(join(tmpdir(), 'lab-import-'));

describe('pcap export → import gives the same verdicts', () => {
  it.each([
    ['udp', 'watson', undefined],
    ['tcp', 'kore', undefined],
    ['tcp', 'kore', [{ name: 'x-externalcallid', value: '12345678901' }]],
  ] as const)('%s %s %j', async (transport, profile, headersOverride) => {
    const dir = tmp();
    const dbFile = join(dir, 'history.db');
    const report = await runHandoff({ profile, transport, dbFile, headersOverride: headersOverride ? [...headersOverride] : undefined, dropWaitMs: 1000 });
    const store = HistoryStore.open(dbFile);
    try {
      const bot = store.listCalls({ runId: report.runId }).find((c) => c.role === 'uas')!;
      const original = store.getCall(bot.id)!;
      const pcap = join(dir, 'run.pcap');
      const written = writeReports(store, { runId: report.runId }, { pcap });
      expect(written.pcap!.sipMessages).toBe(original.messages.length);

      const imported: ImportSummary = importCaptureFile(pcap, { profile, store });
      expect(imported.error).toBeNull();
      expect(imported.calls).toHaveLength(1);
      const call = store.getCall(imported.calls[0]!.callRef)!;
      expect(call.verdict).toEqual(original.verdict);
      expect(imported.ok).toBe(original.verdict!.ok);
      expect(call.callId).toBe(original.callId);
      expect(call.messages.map((m) => [m.direction, m.firstLine, m.local, m.remote])).toEqual(original.messages.map((m) => [m.direction, m.firstLine, m.local, m.remote]));
      expect(call.messages.map((m) => m.raw)).toEqual(original.messages.map((m) => m.raw));
      // Each packet carries the stamp of the side that sent it (to the microsecond), as a capture would.
      const cxoneLeg = store.getCall(store.listCalls({ runId: report.runId }).find((c) => c.role === 'uac')!.id)!;
      const sent = [...cxoneLeg.messages, ...original.messages].filter((m) => m.direction === 'out');
      for (const m of call.messages) {
        const twin = sent.find((x) => x.raw === m.raw && Math.abs(x.wallMs - m.wallMs) < 0.001);
        expect(twin, m.firstLine).toBeDefined();
      }
      expect(call.latency.invite_to_200).toBeGreaterThan(0);
      expect(store.getRun(imported.runId!)).toMatchObject({ kind: 'import', ok: original.verdict!.ok, options: { file: 'run.pcap' } });
    } finally {
      store.close();
    }
  });

  it('lab import as a process: prints each verdict, exits 0, keeps the run', async () => {
    const dir = tmp();
    const dbFile = join(dir, 'history.db');
    const report = await runHandoff({ profile: 'synthflow', transport: 'udp', dbFile });
    const store = HistoryStore.open(dbFile);
    writeReports(store, { runId: report.runId }, { pcap: join(dir, 'run.pcap') });
    store.close();
    const r = await runLab(['import', join(dir, 'run.pcap'), '--profile', 'synthflow', '--db', dbFile, '--json', join(dir, 'import.json')]);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toMatch(/imported run\.pcap \(pcap\): \d+ frames, 7 SIP messages, 1 call\(s\); profile synthflow/);
    expect(r.out).toMatch(/contact id: ok X-\S+ = \d+/);
    const again = HistoryStore.open(dbFile);
    try {
      expect(again.listRuns().map((x) => x.kind).sort()).toEqual(['handoff', 'import']);
    } finally {
      again.close();
    }
    const bad = await runLab(['import', join(dir, 'missing.pcap'), '--profile', 'synthflow', '--db', dbFile]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/missing\.pcap/);
  });
});
