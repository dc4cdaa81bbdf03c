// Issue 14 item 5: seed facts about the PLACECALL as warnings where the app sees the call placed.
import { describe, expect, it } from 'vitest';
import { dialledNumber, getProfile, placeCallRuleChecks } from '../../../src/main/profiles';

describe('PLACECALL rules', () => {
  it('Kore (seed 000_d4ad4dad8823db79.txt): a leg not over TLS is a warning, never a failure', () => {
    const kore = getProfile('kore');
    const [tcp] = placeCallRuleChecks(kore, { requestUri: 'sip:+15550100@bot.example.com', transport: 'tcp' });
    expect(tcp).toMatchObject({ name: 'placecall-tls', ok: true, warn: true, source: { kind: 'seed', ref: '000_d4ad4dad8823db79.txt' } });
    expect(tcp!.detail).toContain("the leg to the bot uses TCP: Kore.ai's SIP trunk is configured for TLS");
    expect(placeCallRuleChecks(kore, { requestUri: 'sip:+15550100@bot.example.com', transport: 'tls' })).toEqual([]);
    expect(placeCallRuleChecks(kore, { requestUri: 'sips:+15550100@bot.example.com', transport: 'tcp' })).toEqual([]);
  });

  it('Kore: the PLACECALL number must be the Kore DID when it is set', () => {
    const kore = getProfile('kore');
    expect(placeCallRuleChecks(kore, { requestUri: 'sip:+15550100@h', transport: 'tls' })).toEqual([]); // the DID is not set: nothing to compare
    kore.placeCall.botNumber = '+1 555 0199';
    const other = placeCallRuleChecks(kore, { requestUri: 'sip:+15550100@h', transport: 'tls' }).find((c) => c.name === 'placecall-number')!;
    expect(other).toMatchObject({ ok: true, warn: true, detail: expect.stringContaining('PLACECALL dialled +15550100, but the SIP DID configured in the AI for Service SIP trunk is +1 555 0199') });
    const same = placeCallRuleChecks(kore, { requestUri: 'sip:%2B15550199@h', transport: 'tls' }).find((c) => c.name === 'placecall-number')!;
    expect(same.warn).toBeUndefined();
  });

  it('Synthflow (seed 001_3d23a4ce92d59cc5.txt): the pseudo number is E.164', () => {
    const s = getProfile('synthflow');
    expect(placeCallRuleChecks(s, { requestUri: 'sip:+15125550100@h', transport: 'udp' })).toEqual([]);
    const bad = placeCallRuleChecks(s, { requestUri: 'sip:15550100@h', transport: 'udp' })[0]!;
    expect(bad).toMatchObject({ name: 'placecall-e164', ok: true, warn: true, source: { kind: 'seed', ref: '001_3d23a4ce92d59cc5.txt' } });
  });

  it('Watson (seed 002_3a3aada58f5230c3.txt): the number must match the one configured in Watson', () => {
    const w = { ...getProfile('watson'), placeCall: { ...getProfile('watson').placeCall, botNumber: '+15550111' } };
    const c = placeCallRuleChecks(w, { requestUri: 'sip:+15550100@h', transport: 'udp' });
    expect(c).toEqual([expect.objectContaining({ name: 'placecall-number', ok: true, warn: true, source: expect.objectContaining({ ref: '002_3a3aada58f5230c3.txt' }) })]);
    expect(c[0]!.detail).toContain('the number configured in Watson');
  });

  it('PolyAI and custom have no PLACECALL rule', () => {
    expect(placeCallRuleChecks(getProfile('polyai'), { requestUri: 'sip:1@h', transport: 'udp' })).toEqual([]);
    expect(dialledNumber('tel:+4930123')).toBe('+4930123');
  });
});
