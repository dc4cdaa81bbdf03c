/**
 * The history store on real SQLite files: a full run written, closed, reopened and read back;
 * upserts; listings; cascades.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../../src/main/history/store';
import type { CallDetail } from '../../../src/shared/types';
import { SAMPLE_CHECKS, T0, sampleCall, sampleMessages, sampleSignal, tempDir } from './fixtures/sample-call';

let dir: string;
let cleanup: () => void;
let store: HistoryStore | null = null;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => {
  store?.close();
  store = null;
  cleanup();
});

function open(): HistoryStore {
  store?.close();
  store = HistoryStore.open(join(dir, 'history.db'));
  return store;
}

/** Writes a finished run with one full call; returns the ids. */
function writeFullRun(s: HistoryStore): { runId: string; callRef: string } {
  const runId = s.createRun({
    kind: 'handoff',
    profile: 'kore',
    transport: 'udp',
    options: { host: '127.0.0.1', botSignals: true },
    startedWallMs: T0 - 100,
  });
  const callRef = 'call-1';
  s.saveCall(sampleCall(callRef, runId));
  for (const m of sampleMessages()) s.addSipMessage(callRef, m);
  s.addSignal(sampleSignal('sig-1', callRef));
  for (const c of SAMPLE_CHECKS) s.addCheck({ ...c, runId, callRef });
  s.addCheck({ name: 'run completed', ok: true, detail: 'all steps ran', runId, callRef: null });
  s.finishRun(runId, { ok: false, endedWallMs: T0 + 10_000 });
  return { runId, callRef };
}

describe('HistoryStore round trip', () => {
  it('reads back a full run after close and reopen, with the secrets redacted', () => {
    const { runId, callRef } = writeFullRun(open());
    const s = open(); // closes, reopens from the file

    expect(s.getRun(runId)).toEqual({
      id: runId,
      kind: 'handoff',
      profile: 'kore',
      transport: 'udp',
      options: { host: '127.0.0.1', botSignals: true },
      startedWallMs: T0 - 100,
      endedWallMs: T0 + 10_000,
      ok: false,
      callIds: [callRef],
      checks: [{ name: 'run completed', ok: true, detail: 'all steps ran' }],
    });
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);

    const { invite, verdict, ...summary } = sampleCall(callRef, runId);
    const signal = sampleSignal('sig-1', callRef);
    const expected: CallDetail = {
      ...summary,
      invite: invite ?? null,
      verdict: verdict ?? null,
      media: null,
      messages: sampleMessages(),
      signals: [
        {
          ...signal,
          exchange: {
            request: {
              ...signal.exchange.request,
              headers: { Authorization: '[redacted]', 'content-type': 'application/json' },
              body: '{"p1":"transfer","token":"[redacted]"}',
            },
            response: {
              status: 202,
              headers: { 'content-type': 'application/json', 'set-cookie': '[redacted]' },
              body: '{"result":"accepted","access_token":"[redacted]"}',
            },
          },
        },
      ],
      checks: SAMPLE_CHECKS,
    };
    const got = s.getCall(callRef);
    expect(got).toEqual(expected);
    // Requests carry no status key at all; SIP digest credentials stay in the raw trace.
    expect(got?.messages.map((m) => m.status)).toEqual([undefined, 100, 180, 200, undefined, undefined]);
    expect('status' in (got?.messages[0] ?? {})).toBe(false);
    expect(got?.messages[0]?.raw).toContain('response="6629fae49393a05397450978507c4ef1"');
    expect(JSON.stringify(got)).not.toContain('abc.def.ghi');
    expect(JSON.stringify(got)).not.toContain('s3cr3t');
  });

  it('keeps the INVITE and verdict when a later upsert does not carry them, and updates the rest', () => {
    const s = open();
    s.saveCall(sampleCall('c', null, { state: 'answered', endedWallMs: null, end: null, latency: {} }));
    const { invite: _i, verdict: _v, ...summary } = sampleCall('c', null);
    s.saveCall({ ...summary, state: 'ended' }); // no invite/verdict keys
    s.saveCall({ ...summary, state: 'ended', invite: null, verdict: null });
    const got = s.getCall('c');
    expect(got?.state).toBe('ended');
    expect(got?.end).toEqual({ by: 'remote', reason: 'BYE' });
    expect(got?.latency).toEqual(summary.latency);
    expect(got?.invite?.raw).toBe(sampleCall('c', null).invite?.raw);
    expect(got?.verdict?.header).toBe('X-ContactID');

    const newVerdict = { ...sampleCall('c', null).verdict!, ok: false, problems: ['case'] };
    s.saveCall({ ...summary, verdict: newVerdict, contactIdOk: false });
    expect(s.getCall('c')?.verdict).toEqual(newVerdict);
    expect(s.getCall('c')?.contactIdOk).toBe(false);
  });

  it('numbers SIP messages per call in insertion order', () => {
    const s = open();
    s.saveCall(sampleCall('a', null));
    s.saveCall(sampleCall('b', null));
    const [m0, m1, m2] = sampleMessages();
    s.addSipMessage('a', m0!);
    s.addSipMessage('b', m2!);
    s.addSipMessage('a', m2!); // later stamp
    s.addSipMessage('a', m1!); // inserted last: comes last whatever its stamp
    expect(s.getCall('a')?.messages.map((m) => m.firstLine)).toEqual([m0!.firstLine, m2!.firstLine, m1!.firstLine]);
    expect(s.getCall('b')?.messages).toEqual([m2]);
  });

  it('gives a call-less signal to no call, and a call signal to its call’s run', () => {
    const s = open();
    const { runId, callRef } = writeFullRun(s);
    s.addSignal({ ...sampleSignal('sig-early', callRef), wallMs: T0 + 1 });
    s.addSignal(sampleSignal('sig-free', null));
    expect(s.getCall(callRef)?.signals.map((x) => x.id)).toEqual(['sig-early', 'sig-1']); // time order
    expect(s.deleteRun(runId)).toBe(true);
    expect(s.getCall(callRef)).toBeNull(); // and its run-owned signals are gone with the run
  });

  it('rejects rows that point to no run or call', () => {
    const s = open();
    expect(() => s.saveCall(sampleCall('c', 'no-such-run'))).toThrow(/FOREIGN KEY/);
    expect(() => s.addSipMessage('no-such-call', sampleMessages()[0]!)).toThrow(/FOREIGN KEY/);
    expect(() => s.finishRun('no-such-run', { ok: true, endedWallMs: 1 })).toThrow(/no run no-such-run/);
    expect(s.getRun('no-such-run')).toBeNull();
    expect(s.getCall('no-such-call')).toBeNull();
  });
});

describe('HistoryStore listings', () => {
  function seed(s: HistoryStore): { r1: string; r2: string } {
    const r1 = s.createRun({ id: 'run-1', kind: 'handoff', profile: 'kore', transport: 'udp', startedWallMs: T0 });
    const r2 = s.createRun({ id: 'run-2', kind: 'answer', profile: 'synthflow', transport: 'tcp', startedWallMs: T0 + 50 });
    const calls: [string, string | null, number, string | null][] = [
      ['c1', r1, T0 + 10, '111'],
      ['c2', r1, T0 + 30, '222'],
      ['c3', r2, T0 + 20, '111'],
      ['c4', null, T0 + 40, null],
      ['c5', r2, T0 + 5, '111'],
    ];
    for (const [id, runId, startedWallMs, contactId] of calls) {
      s.saveCall(sampleCall(id, runId, { startedWallMs, contactId, callId: `sip-${id}` }));
    }
    return { r1, r2 };
  }

  it('lists calls newest first, filtered by run and/or ContactId, limited', () => {
    const s = open();
    const { r1, r2 } = seed(s);
    const ids = (xs: { id: string }[]) => xs.map((x) => x.id);
    expect(ids(s.listCalls())).toEqual(['c4', 'c2', 'c3', 'c1', 'c5']);
    expect(ids(s.listCalls({ limit: 2 }))).toEqual(['c4', 'c2']);
    expect(ids(s.listCalls({ limit: 0 }))).toEqual([]);
    expect(ids(s.listCalls({ runId: r1 }))).toEqual(['c2', 'c1']);
    expect(ids(s.listCalls({ contactId: '111' }))).toEqual(['c3', 'c1', 'c5']);
    expect(ids(s.listCalls({ runId: r2, contactId: '111' }))).toEqual(['c3', 'c5']);
    expect(ids(s.listCalls({ runId: r2, contactId: '111', limit: 1 }))).toEqual(['c3']);
    expect(ids(s.listCalls({ contactId: 'none' }))).toEqual([]);
    expect(s.listCalls({ runId: r1 })[0]).not.toHaveProperty('invite');
  });

  it('lists runs newest first with their call ids oldest first', () => {
    const s = open();
    seed(s);
    const runs = s.listRuns();
    expect(runs.map((r) => r.id)).toEqual(['run-2', 'run-1']);
    expect(runs[0]?.callIds).toEqual(['c5', 'c3']);
    expect(runs[1]?.callIds).toEqual(['c1', 'c2']);
    expect(runs[0]?.ok).toBeNull();
    expect(runs[0]?.endedWallMs).toBeNull();
    expect(s.listRuns({ limit: 1 }).map((r) => r.id)).toEqual(['run-2']);
  });

  it('finds a call by SIP Call-ID, choosing the leg by role', () => {
    const s = open();
    s.saveCall(sampleCall('uac-leg', null, { role: 'uac', startedWallMs: T0 }));
    s.saveCall(sampleCall('uas-leg', null, { role: 'uas', startedWallMs: T0 + 1 }));
    const callId = sampleCall('x', null).callId;
    expect(s.findCallBySipCallId(callId)?.id).toBe('uas-leg');
    expect(s.findCallBySipCallId(callId, 'uac')?.id).toBe('uac-leg');
    expect(s.findCallBySipCallId('unknown@host')).toBeNull();
  });
});

describe('deleting a run', () => {
  it('cascades to its calls, their SIP messages and checks, and its signals', () => {
    const s = open();
    const { runId, callRef } = writeFullRun(s);
    const other = s.createRun({ kind: 'answer', profile: 'kore', transport: 'udp', startedWallMs: T0 });
    s.saveCall(sampleCall('other-call', other));
    s.addSipMessage('other-call', sampleMessages()[0]!);

    expect(s.deleteRun(runId)).toBe(true);
    expect(s.deleteRun(runId)).toBe(false);
    const after = open(); // what is on disk
    expect(after.getRun(runId)).toBeNull();
    expect(after.getCall(callRef)).toBeNull();
    expect(after.listCalls().map((c) => c.id)).toEqual(['other-call']);
    expect(after.getCall('other-call')?.messages).toHaveLength(1);
    expect(after.getRun(other)?.callIds).toEqual(['other-call']);

    // No orphan rows left behind (looked at through a second connection).
    const db = new Database(after.file, { readonly: true });
    const count = (sql: string, ...args: string[]) => (db.prepare(sql).get(...args) as { n: number }).n;
    expect(count('SELECT count(*) AS n FROM sip_messages WHERE call_ref = ?', callRef)).toBe(0);
    expect(count('SELECT count(*) AS n FROM checks WHERE run_id = ? OR call_ref = ?', runId, callRef)).toBe(0);
    expect(count('SELECT count(*) AS n FROM signals WHERE run_id = ? OR call_ref = ?', runId, callRef)).toBe(0);
    expect(count('SELECT count(*) AS n FROM sip_messages')).toBe(1);
    db.close();
  });
});
