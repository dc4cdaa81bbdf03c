import { describe, expect, it } from 'vitest';
import { lookupSipPassword, sipPasswordAccount } from '../../../src/main/secrets/sip-password';

describe('SIP password lookup', () => {
  it('names the account after the AOR, without port or brackets', () => {
    expect(sipPasswordAccount('alice', 'trunk.example')).toBe('sip:alice@trunk.example');
    expect(sipPasswordAccount('alice', '[::1]')).toBe('sip:alice@::1');
  });

  it('SIP_PASSWORD wins and never reaches the keychain', async () => {
    expect(await lookupSipPassword('alice', 'trunk.example', { SIP_PASSWORD: 'pw' })).toEqual({ password: 'pw', source: 'env', account: 'sip:alice@trunk.example', note: null });
  });
});
