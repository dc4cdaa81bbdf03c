import { describe, expect, it } from 'vitest';
import { checkSignalParams, getProfile, listProfiles } from '../../../src/main/profiles';
import type { CheckResult, SignalParams } from '../../../src/shared/types';

const byName = (rs: CheckResult[]): Record<string, CheckResult> => Object.fromEntries(rs.map((r) => [r.name, r]));
const failed = (rs: CheckResult[]): string[] => rs.filter((r) => !r.ok).map((r) => r.name);

describe('checkSignalParams', () => {
  it.each(listProfiles().map((p) => [p.id, p] as const))("passes every check on %s's default signal", (_id, p) => {
    const rs = checkSignalParams(p.defaultSignal, p);
    expect(failed(rs)).toEqual([]);
    for (const r of rs) expect(r.detail.length).toBeGreaterThan(0);
  });

  it('Kore: p1=AgentHandoff passes and says what it means; another p1 fails', () => {
    const kore = getProfile('kore');
    const good = byName(checkSignalParams({ p1: 'AgentHandoff', p3: 's-1' }, kore));
    expect(good['signal.p1-expected']).toMatchObject({ ok: true });
    expect(good['signal.p1-expected']!.detail).toMatch(/transfer to a live agent \[KORE\]/);
    const bad = byName(checkSignalParams({ p1: 'Escalate' }, kore));
    expect(bad['signal.p1-expected']).toMatchObject({ ok: false });
    expect(bad['signal.p1-expected']!.detail).toBe('p1 "Escalate" is not one of Kore.ai\'s expected values "AgentHandoff"');
  });

  it('Kore: a case-only difference in p1 fails', () => {
    const r = byName(checkSignalParams({ p1: 'agenthandoff' }, getProfile('kore')))['signal.p1-expected']!;
    expect(r.ok).toBe(false);
    expect(r.detail).toMatch(/differs in case from "AgentHandoff"/);
  });

  it('Watson: p1=hangup means HANGUP, any other key is a session history key', () => {
    const w = getProfile('watson');
    const hang = byName(checkSignalParams({ p1: 'hangup' }, w))['signal.p1-expected']!;
    expect(hang).toMatchObject({ ok: true });
    expect(hang.detail).toMatch(/HANGUP/);
    const key = byName(checkSignalParams({ p1: 'a1b2c3::session', p2: 'vip' }, w))['signal.p1-expected']!;
    expect(key).toMatchObject({ ok: true });
    expect(key.detail).toMatch(/session history key/);
  });

  it('Watson: p1=Hangup would be taken as a session key, so it fails', () => {
    const r = byName(checkSignalParams({ p1: 'Hangup' }, getProfile('watson')))['signal.p1-expected']!;
    expect(r.ok).toBe(false);
    expect(r.detail).toMatch(/differs in case from "hangup".*free value/);
  });

  it('Watson and Synthflow: a missing or blank p1 fails', () => {
    for (const id of ['watson', 'synthflow']) {
      const p = getProfile(id);
      expect(failed(checkSignalParams({ p2: 'x' }, p))).toContain('signal.p1-present');
      const blank = byName(checkSignalParams({ p1: '  ' }, p))['signal.p1-present']!;
      expect(blank).toMatchObject({ ok: false });
      expect(blank.detail).toMatch(/empty or blank/);
    }
    expect(byName(checkSignalParams({}, getProfile('watson')))['signal.p1-present']!.detail).toMatch(/p1 is missing/);
  });

  it('has no p1-expected check when the profile accepts any p1', () => {
    expect(byName(checkSignalParams({ p1: 'Sales' }, getProfile('synthflow')))['signal.p1-expected']).toBeUndefined();
  });

  it('accepts all nine parameters', () => {
    const all: SignalParams = { p1: '1', p2: '2', p3: '3', p4: '4', p5: '5', p6: '6', p7: '7', p8: '8', p9: '9' };
    expect(failed(checkSignalParams(all, getProfile('polyai')))).toEqual([]);
  });

  it('rejects p10, a tenth parameter and upper-case names', () => {
    const params = { p1: '1', p2: '2', p3: '3', p4: '4', p5: '5', p6: '6', p7: '7', p8: '8', p9: '9', p10: '10', P2: 'x' };
    const rs = byName(checkSignalParams(params as SignalParams, getProfile('polyai')));
    expect(rs['signal.param-names']).toMatchObject({ ok: false });
    expect(rs['signal.param-names']!.detail).toMatch(/"p10", "P2".*only p1\.\.p9/);
    expect(rs['signal.param-count']).toMatchObject({ ok: false });
    expect(rs['signal.param-count']!.detail).toMatch(/11 parameters; .* at most 9/);
  });

  it('rejects CR, LF and NUL in any value, and non-string values', () => {
    const custom = getProfile('custom');
    for (const bad of ['a\r\nX-Evil: 1', 'a\nb', 'a\0b']) {
      const r = byName(checkSignalParams({ p1: 'transfer', p4: bad }, custom))['signal.values-clean']!;
      expect(r).toMatchObject({ ok: false, detail: 'p4 contains CR, LF or NUL' });
    }
    const r = byName(checkSignalParams({ p1: 'x', p2: 5 } as unknown as SignalParams, custom))['signal.values-clean']!;
    expect(r).toMatchObject({ ok: false, detail: 'p2 is not a string' });
  });

  it('does not throw on input that is not an object', () => {
    const rs = checkSignalParams(null as unknown as SignalParams, getProfile('kore'));
    expect(failed(rs)).toEqual(['signal.p1-present', 'signal.p1-expected']);
  });
});
