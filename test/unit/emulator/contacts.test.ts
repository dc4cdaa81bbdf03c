/**
 * The emulator's contact registry (src/main/emulator/contacts.ts) stays bounded over a long run:
 * an ended contact drops its ONSIGNAL and is remembered (404 "ended") up to MAX_ENDED_CONTACTS;
 * the ONSIGNAL owner of a call is found among that call's contacts.
 */
import { describe, expect, it } from 'vitest';
import { ContactRegistry, MAX_ENDED_CONTACTS } from '../../../src/main/emulator/contacts';

describe('ContactRegistry', () => {
  it('an ended contact keeps no ONSIGNAL; beyond the bound the oldest ended ones are forgotten', () => {
    const r = new ContactRegistry();
    r.add({ contactId: 'first', role: 'master', onSignal: () => {} });
    r.end('first');
    expect(r.get('first')).toMatchObject({ endedWallMs: expect.any(Number) });
    expect(r.get('first')?.onSignal).toBeUndefined();
    for (let i = 0; i < MAX_ENDED_CONTACTS + 10; i++) {
      r.add({ contactId: `c${i}`, role: 'master', onSignal: () => {} });
      r.end(`c${i}`);
    }
    r.add({ contactId: 'live', role: 'master' });
    expect(r.get('first')).toBeUndefined();
    expect(r.get('c9')).toBeUndefined();
    expect(r.get(`c${MAX_ENDED_CONTACTS + 9}`)).toBeDefined();
    expect(r.sizes()).toEqual({ active: 1, endedRemembered: MAX_ENDED_CONTACTS });
    expect(r.active().map((c) => c.contactId)).toEqual(['live']);
  });

  it('finds the ONSIGNAL owner among the contacts of the same call only', () => {
    const r = new ContactRegistry();
    const fired: string[] = [];
    r.add({ contactId: 'm1', role: 'master', onSignal: () => fired.push('m1') });
    r.add({ contactId: 'k1', masterId: 'm1', role: 'child' });
    r.add({ contactId: 'm2', role: 'master', onSignal: () => fired.push('m2') });
    r.add({ contactId: 'k2', masterId: 'm2', role: 'child' });
    expect(r.onSignalOwner('k1')?.contactId).toBe('m1');
    expect(r.onSignalOwner('k2')?.contactId).toBe('m2');
    expect(r.onSignalOwner('m1')).toBeUndefined(); // has its own
    r.end('m1');
    expect(r.onSignalOwner('k1')).toBeUndefined(); // the owner's script is over
    // Adding an id again replaces the earlier contact, also in its call's index.
    r.add({ contactId: 'k2', masterId: 'm1', role: 'child' });
    expect(r.onSignalOwner('k2')).toBeUndefined();
    r.add({ contactId: 'm1', role: 'master', onSignal: () => {} });
    expect(r.onSignalOwner('k2')?.contactId).toBe('m1');
  });
});
