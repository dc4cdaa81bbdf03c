// Replay against a bot on loopback: a stored handoff's INVITE (and an imported one) is sent again
// with the same X- headers (exact case, order) and From user; the bot receives them, answers, and
// the replayed verdict equals the original's — a failing one too. The replay is kept in history.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../../src/main/history/store';
import { importCaptureFile } from '../../../src/main/import/import-capture';
import { replayCall } from '../../../src/main/replay/replay-call';
import { writeReports } from '../../../src/main/reports/write-reports';
import { runHandoff } from '../../../src/main/scenarios/handoff';
import type { SipCall } from '../../../src/main/sip/call';
import { SipEndpoint } from '../../../src/main/sip/endpoint';
import { runLab } from '../../helpers/reports/lab-process';

const endpoints: SipEndpoint[] = [];
afterEach(async () => {
  await Promise.all(endpoints.splice(0).map((e) => e.stop()));
});

/** A bot that answers every INVITE and hangs up when told; it keeps what it received. */
async function startBot(transport: 'udp' | 'tcp') {
  const ep = await SipEndpoint.start({ transport, host: '127.0.0.1', port: 0, user: 'bot' });
  endpoints.push(ep);
  const received: SipCall[] = [];
  ep.onInvite = (c) => {
    received.push(c);
    void c.accept().catch(() => {});
  };
  return { ep, received, target: `sip:${ep.listener.host}:${ep.listener.port};transport=${transport}` };
}

async function storedHandoff(profile: string, headersOverride?: { name: string; value: string }[]) {
  const dbFile = join(mkdtempSync(join(tmpdir(), 'lab-replay-')), 'history.db');
  const report = await runHandoff({ profile, transport: 'udp', dbFile, headersOverride, dropWaitMs: 1000 });
  return { dbFile, report, store: HistoryStore.open(dbFile) };
}

describe('replay', () => {
  it('sends the stored X- headers and From user again; the bot gets them; same verdict; kept as a replay run', async () => {
    const { store, report } = await storedHandoff('kore');
    try {
      const bot = await startBot('tcp');
      const original = store.getCall(report.calls[0]!.callRef)!;
      const r = await replayCall({ store, call: original.id, target: bot.target, transport: 'tcp', holdMs: 100 });
      expect(r.checks.filter((k) => !k.ok)).toEqual([]);
      expect(r.ok).toBe(true);
      expect(r.answer).toEqual({ status: 200, reason: 'OK' });
      expect(r.verdict).toEqual(original.verdict);
      expect(r.target).toMatch(/^sip:15550100@127\.0\.0\.1:\d+;transport=tcp$/);
      const got = bot.received[0]!.invite!.parsed;
      const x = original.invite!.headers.filter((h) => /^x-/i.test(h.name));
      expect(got.headers.filter((h) => /^x-/i.test(h.name))).toEqual(x);
      expect(got.headers.find((h) => h.name === 'From')!.value).toMatch(/^<sip:cxone@/);
      expect(got.requestUri).toMatch(/^sip:15550100@/);
      const run = store.getRun(r.runId!)!;
      expect(run).toMatchObject({ kind: 'replay', ok: true, options: { sourceCall: original.id, sourceCallId: original.callId } });
      const replayed = store.getCall(r.callRef)!;
      expect(replayed.role).toBe('uac');
      expect(replayed.checks.map((k) => k.name)).toEqual(['replay-headers-sent', 'call-answered', 'same-verdict']);
    } finally {
      store.close();
    }
  });

  it("reproduces a failing customer call: Kore's lower-cased header fails again, the same way", async () => {
    const { store, report } = await storedHandoff('kore', [{ name: 'x-externalcallid', value: '12345678901' }]);
    try {
      const bot = await startBot('udp');
      const r = await replayCall({ store, call: report.calls[0]!.callId, target: bot.target, transport: 'udp', holdMs: 50 });
      expect(r.verdict.ok).toBe(false);
      expect(r.verdict.nearMisses.map((n) => n.kind)).toContain('case');
      expect(r.sameVerdict).toBe(true);
      expect(r.ok).toBe(true);
      expect(bot.received[0]!.invite!.parsed.headers.some((h) => h.name === 'x-externalcallid' && h.value === '12345678901')).toBe(true);
    } finally {
      store.close();
    }
  });

  it('replays an imported call, and says when the far end refuses', async () => {
    const { store, report, dbFile } = await storedHandoff('watson');
    const pcap = join(dbFile, '..', 'run.pcap');
    writeReports(store, { runId: report.runId }, { pcap });
    const imported = importCaptureFile(pcap, { profile: 'watson', store });
    try {
      const refusing = await SipEndpoint.start({ transport: 'udp', host: '127.0.0.1', port: 0 });
      endpoints.push(refusing);
      refusing.onInvite = (c) => void c.reject(486);
      const r = await replayCall({ store, call: imported.calls[0]!.callRef, target: `sip:bot@127.0.0.1:${refusing.listener.port}`, transport: 'udp' });
      expect(r.answer).toEqual({ status: 486, reason: 'Busy Here' });
      expect(r.sameVerdict).toBe(true);
      expect(r.ok).toBe(false);
      expect(r.checks.find((k) => k.name === 'call-answered')).toMatchObject({ ok: false, detail: '486 Busy Here' });
    } finally {
      store.close();
    }
  });

  it('lab replay as a process', async () => {
    const { store, report, dbFile } = await storedHandoff('synthflow');
    store.close();
    const bot = await startBot('udp');
    const r = await runLab(['replay', '--call', report.calls[0]!.callRef, '--target', bot.target, '--hold', '0.1', '--db', dbFile]);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toMatch(/answer: 200 OK/);
    expect(r.out).toMatch(/contact id: ok X-\S+ = \d+ \(same as the original\)/);
    const unknown = await runLab(['replay', '--call', 'nope', '--target', bot.target, '--db', dbFile]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/no call nope/);
  });
});
