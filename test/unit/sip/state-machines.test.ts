import { TransportState } from 'sip.js';
import { describe, expect, it } from 'vitest';
import { NodeSipTransport } from '../../../src/main/sip/node-transport';
import { REGISTRATION_TRANSITIONS } from '../../../src/main/sip/registration-state';
import { checkMove, StateMachineError, strictStateMachines } from '../../../src/main/sip/state-machine';
import { TRANSPORT_TRANSITIONS } from '../../../src/main/sip/transport-state';

describe('checked state machines', () => {
  it('are strict under the test runner: an illegal move throws, naming the allowed ones', () => {
    expect(strictStateMachines()).toBe(true);
    expect(() => checkMove('transport UDP', TRANSPORT_TRANSITIONS, TransportState.Disconnected, TransportState.Connected, () => {})).toThrow(
      new StateMachineError('transport UDP', 'Disconnected', 'Connected', ['Connecting']),
    );
    expect(() => checkMove('registration', REGISTRATION_TRANSITIONS, 'registering', 'unregistered', () => {})).toThrow(
      /invalid registration state transition registering → unregistered \(allowed from registering: registered, failed\)/,
    );
  });

  it('in production an illegal move is a logged warning, never silent', () => {
    const logs: string[] = [];
    const ok = checkMove('registration', REGISTRATION_TRANSITIONS, 'idle', 'registered', (l, m) => logs.push(`${l} ${m}`), false);
    expect(ok).toBe(false);
    expect(logs).toEqual(['warn invalid registration state transition idle → registered (allowed from idle: registering, unregistering); moving anyway']);
  });

  it('allow every arrow of their diagrams', () => {
    for (const [from, tos] of Object.entries(TRANSPORT_TRANSITIONS)) {
      for (const to of tos) expect(checkMove('t', TRANSPORT_TRANSITIONS, from as TransportState, to, () => {})).toBe(true);
    }
    for (const [from, tos] of Object.entries(REGISTRATION_TRANSITIONS)) {
      for (const to of tos) expect(checkMove('r', REGISTRATION_TRANSITIONS, from as keyof typeof REGISTRATION_TRANSITIONS, to, () => {})).toBe(true);
    }
  });

  it('a real transport goes Disconnected → Connecting → Connected → Disconnecting → Disconnected, and a failed bind back to Disconnected', async () => {
    const t = new NodeSipTransport(undefined, { protocol: 'UDP', host: '127.0.0.1', port: 0, user: 'u' });
    const seen: string[] = [t.state];
    t.stateChange.addListener((s) => seen.push(s));
    await t.connect();
    const busy = new NodeSipTransport(undefined, { protocol: 'UDP', host: '127.0.0.1', port: t.port, user: 'u' });
    const busySeen: string[] = [];
    busy.stateChange.addListener((s) => busySeen.push(s));
    await expect(busy.connect()).rejects.toThrow();
    await t.disconnect();
    expect(seen).toEqual(['Disconnected', 'Connecting', 'Connected', 'Disconnecting', 'Disconnected']);
    expect(busySeen).toEqual(['Connecting', 'Disconnected']);
  });
});
