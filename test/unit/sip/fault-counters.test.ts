import { describe, expect, it } from 'vitest';
import { SipFaultCounters, sipJsFaultKind } from '../../../src/main/sip/fault-counters';
import { thrownBySipJs } from '../../../src/main/sip/process-guard';

describe('SIP fault counters', () => {
  it('count every fault, log the first of each kind once, and add to the parent', () => {
    const logs: string[] = [];
    const parent = new SipFaultCounters();
    const c = new SipFaultCounters((l, m) => logs.push(`${l} ${m}`), parent);
    for (let i = 0; i < 5; i++) c.note('ack-timeout-after-end', `call ${i}`);
    c.note('refused-header-count', '3800 headers');
    expect(c.snapshot()).toEqual({ 'ack-timeout-after-end': 5, 'refused-header-count': 1 });
    expect(parent.snapshot()).toEqual({ 'ack-timeout-after-end': 5, 'refused-header-count': 1 });
    expect(c.total).toBe(6);
    expect(logs).toHaveLength(2);
    expect(logs[0]).toMatch(/^warn caught SIP fault 'ack-timeout-after-end'.*: call 0$/);
  });

  it("read the kind from the patched sip.js's log marker", () => {
    expect(sipJsFaultKind('sip.js fault (session-terminated-twice): Session x already Terminated')).toBe('session-terminated-twice');
    expect(sipJsFaultKind('Invitation.onAckTimeout')).toBeUndefined();
  });

  it('the process guard takes only errors thrown from inside sip.js', () => {
    const inside = new Error('Invalid state transition from Terminated to Terminated');
    inside.stack = `Error: x\n    at invalidTransition (file:///app/node_modules/sip.js/lib/api/session.js:1155:19)`;
    expect(thrownBySipJs(inside)).toBe(true);
    expect(thrownBySipJs(new Error('ours'))).toBe(false);
    expect(thrownBySipJs('a string')).toBe(false);
  });
});
