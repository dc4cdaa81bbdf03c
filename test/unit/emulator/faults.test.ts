/** The fault specs of the CXone emulator and the fault state's rules (pure parts). */
import { describe, expect, it } from 'vitest';
import { FaultState, faultReply, FAULT_HTML_PAGE } from '../../../src/main/emulator/fault-state';
import { formatFault, parseFault, type EmulatorFault } from '../../../src/main/emulator/faults';

describe('parseFault', () => {
  it.each<[string, EmulatorFault]>([
    ['expired-token', { kind: 'expired-token' }],
    ['unauthorized-first', { kind: 'unauthorized-first' }],
    ['rate-limit:2', { kind: 'rate-limit', retryAfterS: 2 }],
    ['server-error', { kind: 'server-error' }],
    ['server-error:503', { kind: 'server-error', status: 503 }],
    ['slow:3000', { kind: 'slow', delayMs: 3000 }],
    ['reset', { kind: 'reset' }],
    ['html-200', { kind: 'html-200' }],
    ['no-leg-drop', { kind: 'no-leg-drop' }],
    ['  Rate-Limit:5 ', { kind: 'rate-limit', retryAfterS: 5 }],
  ])('%s', (spec, fault) => {
    expect(parseFault(spec)).toEqual(fault);
  });

  it('formatFault is its inverse', () => {
    for (const s of ['expired-token', 'rate-limit:2', 'server-error', 'server-error:502', 'slow:10', 'reset', 'html-200', 'no-leg-drop']) {
      expect(formatFault(parseFault(s))).toBe(s);
    }
  });

  it.each([
    ['nope', 'unknown fault'],
    ['rate-limit', 'Retry-After seconds must be a whole number'],
    ['rate-limit:x', 'must be a whole number'],
    ['server-error:404', 'status must be 500..599'],
    ['slow:-1', 'must be a whole number'],
    ['reset:1', 'reset takes no argument'],
    ['', 'unknown fault'],
  ])('%s is refused with the list of valid specs', (spec, why) => {
    expect(() => parseFault(spec)).toThrow(why);
    expect(() => parseFault(spec)).toThrow(/valid faults: expired-token, unauthorized-first, rate-limit:<seconds>, server-error\[:<5xx status>\], slow:<ms>, reset, html-200, no-leg-drop/);
  });
});

describe('FaultState', () => {
  it('one-shot faults fire once and are armed again by set()', () => {
    const f = new FaultState([{ kind: 'unauthorized-first' }, { kind: 'expired-token' }]);
    expect([f.takeUnauthorized(), f.takeUnauthorized()]).toEqual([true, false]);
    expect([f.takeExpiredToken(), f.takeExpiredToken()]).toEqual([true, false]);
    f.set([{ kind: 'unauthorized-first' }]);
    expect(f.takeUnauthorized()).toBe(true);
    expect(f.takeExpiredToken()).toBe(false);
  });

  it('rate-limit: 429 until Retry-After has passed, then served', () => {
    const f = new FaultState([{ kind: 'rate-limit', retryAfterS: 2 }]);
    expect(f.signalAction(1000)).toEqual({ kind: 'rate-limit', retryAfterS: 2 });
    expect(f.signalAction(2500)).toEqual({ kind: 'rate-limit', retryAfterS: 1 });
    expect(f.signalAction(3000)).toBeNull();
    expect(f.signalAction(3001)).toBeNull();
    expect(f.has('rate-limit')).toBe(true);
  });

  it('persistent faults act on every Signal; slow gives a delay; no-leg-drop is only recorded', () => {
    expect(new FaultState([{ kind: 'server-error' }]).signalAction(0)).toEqual({ kind: 'server-error', status: 500 });
    const f = new FaultState([{ kind: 'reset' }, { kind: 'slow', delayMs: 50 }, { kind: 'no-leg-drop' }]);
    expect(f.signalAction(0)).toEqual({ kind: 'reset' });
    expect(f.signalAction(1)).toEqual({ kind: 'reset' });
    expect(f.signalDelayMs()).toBe(50);
    expect(new FaultState([{ kind: 'no-leg-drop' }]).signalAction(0)).toBeNull();
    expect(f.has('no-leg-drop')).toBe(true);
    expect(f.faults).toEqual([{ kind: 'reset' }, { kind: 'slow', delayMs: 50 }, { kind: 'no-leg-drop' }]);
  });

  it('faultReply: statuses, Retry-After, the HTML page', () => {
    expect(faultReply({ kind: 'rate-limit', retryAfterS: 3 }).reply).toMatchObject({ status: 429, headers: { 'Retry-After': '3' } });
    expect(faultReply({ kind: 'server-error', status: 503 }).reply.status).toBe(503);
    expect(faultReply({ kind: 'reset' }).reply.reset).toBe(true);
    expect(faultReply({ kind: 'html-200' }).reply).toMatchObject({ status: 200, text: FAULT_HTML_PAGE });
    expect(faultReply({ kind: 'unauthorized' }).reply.status).toBe(401);
  });
});
