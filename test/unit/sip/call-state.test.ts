import { describe, expect, it } from 'vitest';
import { SipCall } from '../../../src/main/sip/call';
import { CALL_TRANSITIONS, CallStateError, canTransition } from '../../../src/main/sip/call-state';
import type { CallState } from '../../../src/shared/types';

const ALL: CallState[] = ['idle', 'inviting', 'ringing', 'answered', 'ending', 'ended', 'failed'];
const ALLOWED: [CallState, CallState][] = [
  ['idle', 'inviting'],
  ['inviting', 'ringing'],
  ['inviting', 'failed'],
  ['ringing', 'answered'],
  ['ringing', 'failed'],
  ['answered', 'ending'],
  ['answered', 'ended'],
  ['answered', 'failed'],
  ['ending', 'ended'],
];

function callIn(path: CallState[]): SipCall {
  const call = new SipCall({ role: 'uac', callId: 'c1', transport: 'udp' });
  for (const s of path) call.transition(s);
  return call;
}

/** A path from idle to each state through allowed moves. */
const PATH: Record<CallState, CallState[]> = {
  idle: [],
  inviting: ['inviting'],
  ringing: ['inviting', 'ringing'],
  answered: ['inviting', 'ringing', 'answered'],
  ending: ['inviting', 'ringing', 'answered', 'ending'],
  ended: ['inviting', 'ringing', 'answered', 'ending', 'ended'],
  failed: ['inviting', 'failed'],
};

describe('call state machine', () => {
  it('the table holds exactly the arrows of the diagram', () => {
    const arrows = ALL.flatMap((from) => CALL_TRANSITIONS[from].map((to) => [from, to]));
    expect(arrows.sort()).toEqual([...ALLOWED].sort());
  });

  it.each(ALLOWED)('allows %s → %s and emits state (next, prev)', (from, to) => {
    const call = callIn(PATH[from]);
    const seen: [CallState, CallState][] = [];
    call.on('state', (next, prev) => seen.push([next, prev]));
    call.transition(to);
    expect(call.state).toBe(to);
    expect(seen).toEqual([[to, from]]);
  });

  const refused = ALL.flatMap((from) => ALL.filter((to) => !canTransition(from, to)).map((to) => [from, to] as const));
  it.each(refused)('refuses %s → %s with a CallStateError and keeps the state', (from, to) => {
    const call = callIn(PATH[from]);
    expect(() => call.transition(to)).toThrow(CallStateError);
    expect(call.state).toBe(from);
  });

  it('emits ended on a terminal state, and waitForState/waitForEnd settle with clear messages', async () => {
    const call = callIn(['inviting']);
    const waiting = call.waitForState('answered', 1000);
    const ends: unknown[] = [];
    call.on('ended', (e) => ends.push(e));
    call.end = { by: 'remote', reason: '486 Busy Here' };
    call.transition('failed');
    await expect(waiting).rejects.toThrow("call c1 reached 'failed' (remote: 486 Busy Here) instead of 'answered'");
    expect(ends).toEqual([{ by: 'remote', reason: '486 Busy Here' }]);
    expect(await call.waitForEnd(10)).toEqual({ by: 'remote', reason: '486 Busy Here' });
    await expect(call.waitForState('inviting', 10)).resolves.toBeUndefined();
  });

  it('waitForState rejects after the timeout naming the state reached', async () => {
    const call = callIn(['inviting']);
    await expect(call.waitForState('answered', 20)).rejects.toThrow("did not reach 'answered' within 20 ms: it is 'inviting'");
    await expect(call.waitForEnd(20)).rejects.toThrow("did not end within 20 ms: it is 'inviting'");
  });

  it('a listener that throws does not break the transition', () => {
    const call = callIn([]);
    call.on('state', () => {
      throw new Error('listener bug');
    });
    expect(() => call.transition('inviting')).not.toThrow();
    expect(call.state).toBe('inviting');
  });
});
