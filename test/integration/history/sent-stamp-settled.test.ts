/**
 * A sent UDP message is stored with the stamp the SIP wire thread took as it went to the kernel
 * (sip/udp-wire.ts, sip/wire-record.ts withStampToSettle): the recorder (scenarios/call-recorder.ts)
 * stores and announces it once that stamp is in, never with the main thread's first guess, and
 * exactly once. A real SipCall, a real SQLite file; the message records are made as the transport
 * makes them (wireRecord).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../../src/main/history/store';
import { CallRecorder } from '../../../src/main/scenarios/call-recorder';
import { SipCall } from '../../../src/main/sip/call';
import { parseSipMessage } from '../../../src/main/sip/message';
import { wireRecord, withStampToSettle } from '../../../src/main/sip/wire-record';
import type { SipMessageRecord } from '../../../src/shared/types';

let store: HistoryStore | null = null;
afterEach(() => {
  store?.close();
  store = null;
});

const INVITE = [
  'INVITE sip:bot@127.0.0.1:5062 SIP/2.0',
  'Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-1',
  'From: <sip:cxone@127.0.0.1>;tag=a',
  'To: <sip:bot@127.0.0.1>',
  'Call-ID: settle-1',
  'CSeq: 1 INVITE',
  'Content-Length: 0',
  '',
  '',
].join('\r\n');
const TRYING = ['SIP/2.0 100 Trying', 'Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-1', 'From: <sip:cxone@127.0.0.1>;tag=a', 'To: <sip:bot@127.0.0.1>', 'Call-ID: settle-1', 'CSeq: 1 INVITE', 'Content-Length: 0', '', ''].join('\r\n');

const rec = (raw: string, direction: 'in' | 'out', monoMs: number) =>
  wireRecord(raw, parseSipMessage(raw), { direction, transport: 'udp', local: '127.0.0.1:5062', remote: '127.0.0.1:5060', stamp: { monoMs, wallMs: 1_700_000_000_000 + monoMs } });

/**
 * A uas call tracked by `recorder` that received an INVITE (stamped 100) and sent a 100 Trying whose
 * stamp is still to settle: handed over at 101.0 (the main thread's guess), out at 103.5 (the wire
 * thread's) once `settle()` is called.
 */
function callWithUnsettledTrying(recorder: CallRecorder): { call: SipCall; id: string; trying: SipMessageRecord; settle: () => Promise<void> } {
  const call = new SipCall({ role: 'uas', callId: 'settle-1', transport: 'udp', log: () => {} });
  const t = recorder.track(call, { runId: null, profile: 'watson' });
  call._onWire(rec(INVITE, 'in', 100));
  let release!: () => void;
  const trying = rec(TRYING, 'out', 101);
  const settled = new Promise<void>((r) => (release = r)).then(() => {
    trying.monoMs = 103.5;
    trying.wallMs = 1_700_000_000_103.5;
  });
  call._onWire(withStampToSettle(trying, settled));
  return { call, id: t.call.id, trying, settle: () => (release(), settled) };
}

describe('a sent UDP message waits for its wire-thread stamp', () => {
  it('is stored and announced once, with the settled stamp', async () => {
    store = HistoryStore.open(join(mkdtempSync(join(tmpdir(), 'lab-settle-')), 'history.db'));
    const announced: Array<{ firstLine: string; monoMs: number }> = [];
    const recorder = new CallRecorder(store, {
      emit: (name, payload) => {
        if (name === 'sip/message') {
          const m = (payload as { message: { firstLine: string; monoMs: number } }).message;
          announced.push({ firstLine: m.firstLine, monoMs: m.monoMs });
        }
      },
    });
    const { call, id, trying, settle } = callWithUnsettledTrying(recorder); // our 100 Trying: handed over at 101.0, out at 103.5
    expect(call.messages.map((m) => m.firstLine)).toEqual([INVITE.split('\r\n')[0], 'SIP/2.0 100 Trying']); // the call has it at once
    expect(store.getCall(id)!.messages).toHaveLength(1); // the store does not, yet
    expect(announced).toHaveLength(1);

    await settle();
    await Promise.resolve();
    const stored = store.getCall(id)!.messages;
    expect(stored.map((m) => [m.firstLine, m.monoMs])).toEqual([
      [INVITE.split('\r\n')[0], 100],
      ['SIP/2.0 100 Trying', 103.5],
    ]);
    expect(announced).toEqual([
      { firstLine: INVITE.split('\r\n')[0], monoMs: 100 },
      { firstLine: 'SIP/2.0 100 Trying', monoMs: 103.5 },
    ]);
    // A record of the call in JSON does not carry the promise.
    expect(JSON.stringify(trying)).not.toContain('settled');
  });

  it('a call that ends while its last sent message waits for its stamp is released only once that message is stored', async () => {
    store = HistoryStore.open(join(mkdtempSync(join(tmpdir(), 'lab-settle-')), 'history.db'));
    const events: string[] = [];
    const recorder = new CallRecorder(store, {
      emit: (name, payload) => {
        if (name === 'sip/message') events.push(`message ${(payload as { message: { firstLine: string } }).message.firstLine}`);
        if (name === 'call/released') events.push('released');
      },
    });
    const { call, id, settle } = callWithUnsettledTrying(recorder);
    call.transition('inviting');
    call._abandon('the test ends it');
    expect(call.state).toBe('failed');
    expect(recorder.get(id)?.call).toBe(call); // still followed: its 100 Trying is not stored yet
    expect(recorder.liveMapSizes()['recorder.unstamped']).toBe(1);
    let allStored = false;
    const waiting = recorder.settled().then(() => (allStored = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(allStored).toBe(false);

    await settle();
    await waiting;
    expect(events).toEqual([`message ${INVITE.split('\r\n')[0]}`, 'message SIP/2.0 100 Trying', 'released']);
    expect(store.getCall(id)!.messages.map((m) => m.monoMs)).toEqual([100, 103.5]);
    expect(store.getCall(id)!.endedWallMs).toBe(1_700_000_000_103.5); // the row's end is the last message's socket stamp
    expect(recorder.get(id)).toBeUndefined();
    expect(recorder.liveMapSizes()).toMatchObject({ 'recorder.tracked': 0, 'recorder.unstamped': 0 });
  });

  it('settled() gives up after its timeout when a stamp never comes', async () => {
    const recorder = new CallRecorder(null, null);
    const call = new SipCall({ role: 'uas', callId: 'settle-2', transport: 'udp', log: () => {} });
    recorder.track(call, { runId: null, profile: 'watson' });
    call._onWire(withStampToSettle(rec(TRYING, 'out', 101), new Promise<void>(() => {})));
    await recorder.settled(30); // resolves, never hangs a run's end
    expect(recorder.liveMapSizes()['recorder.unstamped']).toBe(1);
  });
});
