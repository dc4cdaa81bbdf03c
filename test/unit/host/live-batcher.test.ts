import { describe, expect, it } from 'vitest';
import type { LiveBatch } from '../../../src/shared/contract';
import type { CallSummary, CheckResult, SipMessageRecord } from '../../../src/shared/types';
import { LiveBatcher } from '../../../src/main/host/live-batcher';

const call = (id: string, state: CallSummary['state']): CallSummary => ({
  id,
  runId: null,
  callId: `${id}@test`,
  role: 'uas',
  transport: 'udp',
  profile: 'kore',
  state,
  from: '',
  to: '',
  requestUri: '',
  contactId: null,
  contactIdOk: null,
  startedWallMs: 0,
  endedWallMs: null,
  end: null,
  latency: {},
});

const msg = (callId: string, firstLine: string): SipMessageRecord =>
  ({ callId, direction: 'in', transport: 'udp', local: '127.0.0.1:5060', remote: '127.0.0.1:5070', monoMs: 0, wallMs: 0, firstLine, raw: `${firstLine}\r\n\r\n` }) as unknown as SipMessageRecord;

/** A scheduler the test fires by hand. */
function manual() {
  const pending: Array<() => void> = [];
  return {
    schedule: (flush: () => void) => {
      pending.push(flush);
      return () => pending.splice(pending.indexOf(flush), 1);
    },
    fire: () => pending.splice(0).forEach((f) => f()),
    armed: () => pending.length,
  };
}

describe('LiveBatcher', () => {
  it('coalesces many changes into one batch: the latest summary per call, SIP messages counted per call', () => {
    const out: LiveBatch[] = [];
    const s = manual();
    const b = new LiveBatcher((x) => out.push(x), s.schedule);
    for (let i = 0; i < 100; i++) {
      b.call(call(`c${i}`, 'inviting'));
      b.message(`c${i}`, msg(`c${i}`, 'INVITE sip:x SIP/2.0'));
      b.call({ id: `c${i}`, state: 'ringing' });
      b.message(`c${i}`, msg(`c${i}`, 'SIP/2.0 180 Ringing'));
      b.call({ id: `c${i}`, state: 'answered' });
    }
    b.message(null, msg('stray', 'REGISTER sip:x SIP/2.0'));
    expect(s.armed()).toBe(1);
    expect(out).toEqual([]);
    s.fire();
    expect(out).toHaveLength(1);
    expect(out[0]!.calls).toHaveLength(100);
    expect(new Set(out[0]!.calls.map((c) => c.id)).size).toBe(100);
    expect(out[0]!.calls.every((c) => c.state === 'answered')).toBe(true);
    expect(Object.values(out[0]!.sipMessages)).toEqual(Array(100).fill(2));
    // Deltas: the new messages themselves, in order, and each call's merged fields (the first appearance whole).
    expect(out[0]!.messages['c7']!.map((m) => m.firstLine)).toEqual(['INVITE sip:x SIP/2.0', 'SIP/2.0 180 Ringing']);
    expect(out[0]!.calls.find((c) => c.id === 'c7')).toEqual(call('c7', 'answered'));
  });

  it('a later batch carries only what changed: fields, new messages, checks and the media report', () => {
    const out: LiveBatch[] = [];
    const s = manual();
    const b = new LiveBatcher((x) => out.push(x), s.schedule);
    b.call(call('a', 'inviting'));
    s.fire();
    b.call({ id: 'a', state: 'ended', endedWallMs: 5 });
    const check: CheckResult = { name: 'contact-id', ok: true, detail: 'ok' };
    b.check('a', check);
    b.message('a', msg('a', 'BYE sip:x SIP/2.0'));
    s.fire();
    expect(out[1]).toEqual({
      calls: [{ id: 'a', state: 'ended', endedWallMs: 5 }],
      sipMessages: { a: 1 },
      messages: { a: [msg('a', 'BYE sip:x SIP/2.0')] },
      checks: { a: [check] },
      media: {},
    });
  });

  it('starts a new batch after a flush, emits nothing when empty, flushes on stop and then ignores changes', () => {
    const out: LiveBatch[] = [];
    const s = manual();
    const b = new LiveBatcher((x) => out.push(x), s.schedule);
    b.flush();
    expect(out).toEqual([]);
    b.call(call('a', 'inviting'));
    s.fire();
    b.call(call('a', 'ended'));
    b.call(call('b', 'inviting'));
    expect(s.armed()).toBe(1);
    b.stop();
    expect(out.map((x) => x.calls.map((c) => `${c.id}:${c.state}`))).toEqual([['a:inviting'], ['a:ended', 'b:inviting']]);
    b.call(call('c', 'inviting'));
    expect(s.armed()).toBe(0);
    expect(out).toHaveLength(2);
  });

  it('lists calls in the order of their last change', () => {
    const out: LiveBatch[] = [];
    const s = manual();
    const b = new LiveBatcher((x) => out.push(x), s.schedule);
    b.call(call('a', 'inviting'));
    b.call(call('b', 'inviting'));
    b.call(call('a', 'ringing'));
    s.fire();
    expect(out[0]!.calls.map((c) => c.id)).toEqual(['b', 'a']);
  });
});
