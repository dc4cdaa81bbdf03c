import { describe, expect, it } from 'vitest';
import { ANY_P1, BUILTIN_PROFILES, getProfile, listProfiles } from '../../../src/main/profiles';

describe('built-in profiles', () => {
  it('are kore, synthflow, watson, polyai, custom in that order', () => {
    expect(listProfiles().map((p) => p.id)).toEqual(['kore', 'synthflow', 'watson', 'polyai', 'custom']);
  });

  it('Kore follows its guide', () => {
    expect(getProfile('kore')).toMatchObject({
      contactIdHeaders: ['X-ExternalCallId'],
      headerCaseSensitive: true,
      expectedP1: ['AgentHandoff'],
      defaultSignal: { p1: 'AgentHandoff', p3: expect.any(String) },
      auth: 'access-key',
      apiVersion: 'v28.0',
      pathStyle: 'incontactapi',
      hangsUp: 'bot',
      topology: { kind: 'main-spawn', headerHolds: 'main', onSignalIn: 'main' },
      placeCall: { requireTls: true },
    });
  });

  it('Synthflow, Watson, PolyAI and custom follow design.md §3', () => {
    // Issue 14: topologies replace the old fixed signalTarget 'master' (the unsourced fact it names).
    expect(getProfile('synthflow')).toMatchObject({ headerCaseSensitive: true, hangsUp: 'cxone', topology: { kind: 'parent-child', headerHolds: 'main', onSignalIn: 'main' }, placeCall: { e164: true } });
    expect(getProfile('watson')).toMatchObject({
      // Seed 002: exactly X-ContactID (the old second name X-Contact-ID is in no seed).
      contactIdHeaders: ['X-ContactID'],
      topology: { kind: 'single' },
      headerCaseSensitive: false,
      expectedP1: ['hangup', ANY_P1],
      hangsUp: 'cxone',
    });
    expect(getProfile('polyai')).toMatchObject({ auth: 'oauth-password', hangsUp: 'cxone' });
    expect(getProfile('custom')).toMatchObject({ contactIdHeaders: ['X-ContactID'], headerCaseSensitive: false, expectedP1: [] });
  });

  it('use a numeric contact-id pattern and cite their sources', () => {
    for (const p of listProfiles()) {
      const re = new RegExp(p.valuePattern);
      expect(re.test('5723498123')).toBe(true);
      expect(re.test('{ContactId}')).toBe(false);
      expect(p.notes).toMatch(/\[[A-Z-]+\]/);
      expect(p.notes).toContain('docs/cxone-facts.md');
    }
  });

  it('getProfile returns copies that cannot change the built-ins', () => {
    const a = getProfile('kore');
    a.contactIdHeaders.push('X-Other');
    a.defaultSignal.p1 = 'changed';
    expect(getProfile('kore').contactIdHeaders).toEqual(['X-ExternalCallId']);
    expect(getProfile('kore').defaultSignal.p1).toBe('AgentHandoff');
    listProfiles()[0]!.name = 'changed';
    expect(listProfiles()[0]!.name).toBe('Kore.ai');
    expect(Object.isFrozen(BUILTIN_PROFILES[0]!.contactIdHeaders)).toBe(true);
  });

  it('getProfile throws naming the known ids', () => {
    expect(() => getProfile('genesys')).toThrow('unknown profile "genesys"; known profiles: kore, synthflow, watson, polyai, custom');
  });
});
