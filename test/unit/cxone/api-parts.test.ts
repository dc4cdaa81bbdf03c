/**
 * Pure parts of the CXone client added for discovery, OAuth, Retry-After, contact checks and the
 * wrong-leg verdict.
 */
import { describe, expect, it } from 'vitest';
import { legCheck, legOf } from '../../../src/main/cxone/contact-checks';
import { readActiveContacts, readContactDetails } from '../../../src/main/cxone/contact-reads';
import { formatTimings } from '../../../src/main/cxone/http';
import { readTenantClaims } from '../../../src/main/cxone/jwt-claims';
import { basicAuthorization, passwordGrantBody } from '../../../src/main/cxone/oauth-token';
import { RetryAfterGate } from '../../../src/main/cxone/rate-limit';
import { withEmulatorOnSignal, type Outcome } from '../../../src/main/cxone/signal-outcome';
import { apiUrlParts, contactUrl, cxoneConfigurationUrl, endContactUrl, formatApiUrl, openIdConfigurationUrl } from '../../../src/main/cxone/urls';
import { createJwt } from '../../../src/main/emulator/jwt';
import { getProfile } from '../../../src/main/profiles';

describe('token claims', () => {
  it('reads tenantId, iss and exp from the first JWT that has a tenantId', () => {
    const access = createJwt({ iss: 'https://cxone.niceincontact.com', tenantId: '11eb-aa', exp: 2000 });
    expect(readTenantClaims(access)).toEqual({ tenantId: '11eb-aa', issuer: 'https://cxone.niceincontact.com', expiresWallMs: 2_000_000 });
    const noTenant = createJwt({ iss: 'x' });
    expect(readTenantClaims(noTenant, access)?.tenantId).toBe('11eb-aa');
    expect(readTenantClaims('opaque-token', undefined)).toBeNull();
  });
});

describe('URLs', () => {
  it('discovery, contact and end URLs', () => {
    expect(openIdConfigurationUrl('https://cxone.niceincontact.com/')).toBe('https://cxone.niceincontact.com/.well-known/openid-configuration');
    expect(cxoneConfigurationUrl('https://cxone.niceincontact.com', 'a b')).toBe('https://cxone.niceincontact.com/.well-known/cxone-configuration?tenantId=a%20b');
    expect(contactUrl('https://api-na1.niceincontact.com', 'incontactapi', 'v28.0', '12/3')).toBe('https://api-na1.niceincontact.com/incontactapi/services/v28.0/contacts/12%2F3');
    expect(endContactUrl('https://h', 'inContactAPI', 'v30.0', '5')).toBe('https://h/inContactAPI/services/v30.0/contacts/5/end');
  });

  it('apiUrlParts and formatApiUrl name host, version and path', () => {
    const url = 'https://api-na1.niceincontact.com/incontactapi/services/v28.0/interactions/1/signal?p1=x';
    expect(apiUrlParts(url)).toEqual({ host: 'api-na1.niceincontact.com', apiVersion: 'v28.0', path: '/incontactapi/services/v28.0/interactions/1/signal' });
    expect(formatApiUrl(url)).toBe('host api-na1.niceincontact.com, API v28.0, path /incontactapi/services/v28.0/interactions/1/signal');
    expect(apiUrlParts('/relative')).toBeNull();
  });
});

describe('OAuth password grant', () => {
  it('URL-encodes the access key id and secret ("====" → %3D) and sends the app by Basic', () => {
    const body = passwordGrantBody({ accessKeyId: 'AKID+/x====', accessKeySecret: 's e/c+r====' });
    expect(body).toBe('grant_type=password&username=AKID%2B%2Fx%3D%3D%3D%3D&password=s+e%2Fc%2Br%3D%3D%3D%3D');
    expect(new URLSearchParams(body).get('password')).toBe('s e/c+r====');
    // RFC 6749 §2.3.1: id and secret form-urlencoded before Base64 (issue 14; the old expectation,
    // Base64 of the raw values, was the unsourced behaviour the issue names).
    expect(basicAuthorization({ clientId: 'app@vendor', clientSecret: 'sec:ret' })).toBe(`Basic ${Buffer.from('app%40vendor:sec%3Aret').toString('base64')}`);
  });
});

describe('RetryAfterGate', () => {
  it('refuses a host until Retry-After has passed, per host', () => {
    let now = 0;
    const g = new RetryAfterGate(() => now);
    g.note('api.example:443', 2);
    expect(g.check('other:443')).toBeNull();
    const r = g.check('API.example:443');
    expect(r?.waitMs).toBe(2000);
    expect(r?.message).toBe('not sent: api.example:443 answered 429 with Retry-After: 2; calls to it are refused for 2 s more (not delayed, not retried): try again then');
    now = 1500;
    expect(g.check('api.example:443')?.message).toContain('refused for 0.5 s more');
    now = 2000;
    expect(g.check('api.example:443')).toBeNull();
    g.note('h', null);
    g.note('h', 0);
    expect(g.check('h')).toBeNull();
  });
});

describe('contact reads', () => {
  it('reads active contacts and a contact in the shapes seen', () => {
    expect(readActiveContacts('{"resultSet":{"activeContacts":[{"contactId":1,"masterContactId":"0","toAddr":"+1"},{"x":1}]}}')).toEqual([
      { contactId: '1', masterContactId: '0', toAddr: '+1', fromAddr: null },
    ]);
    expect(readActiveContacts('<html>')).toBeNull();
    expect(readContactDetails('{"contactId":5,"masterContactId":4,"state":"Active","isActive":true}')).toMatchObject({ contactId: '5', masterContactId: '4', active: true });
    expect(readContactDetails('{"contacts":[{"contactId":"5","endDate":"2024-01-01T00:00:00Z"}]}')).toMatchObject({ contactId: '5', active: false, end: '2024-01-01T00:00:00Z' });
    expect(readContactDetails('{"resultSet":{"contacts":[{"contactId":7,"contactStateName":"Ended"}]}}')).toMatchObject({ contactId: '7', active: false, state: 'Ended' });
    expect(readContactDetails('{"nothing":1}')).toBeNull();
    expect(readContactDetails('nope')).toBeNull();
  });
});

describe('leg checks', () => {
  const list = [
    { contactId: '100', masterContactId: '100', toAddr: '+1800', fromAddr: null },
    { contactId: '101', masterContactId: '100', toAddr: '+1555', fromAddr: null },
  ];
  const synthflow = getProfile('synthflow');

  it('finds the leg of an id', () => {
    expect(legOf(list, '101')).toEqual({ leg: 'child', masterId: '100' });
    expect(legOf(list, '100')).toEqual({ leg: 'master', childIds: ['101'] });
    expect(legOf(list.slice(1), '100')).toEqual({ leg: 'master', childIds: ['101'] });
    expect(legOf(list, '999')).toEqual({ leg: 'unknown' });
  });

  // Issue 14: explained from the profile's topology (Synthflow's: seed 001), not a fixed signalTarget.
  it('under Synthflow (parent/child, seed 001: the parent waits in ONSIGNAL) the child id is the wrong leg', () => {
    const c = legCheck(legOf(list, '101'), '101', synthflow);
    expect(c).toEqual({
      name: 'signal-leg',
      ok: false,
      detail:
        "wrong leg: this id, 101, is the child leg's (MasterId 100); the script waiting in ONSIGNAL is the parent script's: signal the MasterId 100 " +
        "(parent/child: the header holds the parent script's ContactId; the parent script waits in ONSIGNAL [seed 001_3d23a4ce92d59cc5.txt])",
      source: { kind: 'seed', ref: '001_3d23a4ce92d59cc5.txt', why: expect.any(String) },
    });
    expect(legCheck(legOf(list, '100'), '100', synthflow)?.ok).toBe(true);
  });

  it('when the child script waits in ONSIGNAL (NICE backchannel, [COG]), the MasterId is the wrong leg', () => {
    const spawned = { name: 'Spawned', topology: { kind: 'parent-child', headerHolds: 'placer', onSignalIn: 'placer' } as const, sources: { topology: { kind: 'nice' as const, ref: 'H-COG' } } };
    const c = legCheck(legOf(list, '100'), '100', spawned);
    expect(c?.ok).toBe(false);
    expect(c?.detail).toContain("the script waiting in ONSIGNAL is the child script's, 101: signal 101");
    expect(legCheck({ leg: 'unknown' }, '1', synthflow)).toBeNull();
  });

  it('under Kore (main + spawn, assumed here) a Signal to the spawned leg is a warning, never a failure', () => {
    const c = legCheck(legOf(list, '101'), '101', getProfile('kore'));
    expect(c).toMatchObject({ ok: true, warn: true, source: { kind: 'assumed' } });
    expect(c?.detail).toContain("this id, 101, is the spawned leg's (MasterId 100); the script waiting in ONSIGNAL is the Main script's: signal the MasterId 100");
  });
});

describe('withEmulatorOnSignal', () => {
  const ok: Outcome = { ok: true, status: 202, class: 'accepted', message: 'accepted (202)', renewToken: false };
  it('turns an accepted Signal to a leg without ONSIGNAL into "wrong leg"', () => {
    const o = withEmulatorOnSignal(ok, { 'x-cxone-emulator-onsignal': 'none; owner=100; owner-role=master' }, '101');
    expect(o).toMatchObject({ ok: false, status: 202, class: 'wrong-leg' });
    expect(o.message).toBe("wrong leg: accepted (202) but contact 101's script has no ONSIGNAL, so nothing happens; the parent script holds the ONSIGNAL: signal the MasterId 100 (emulator)");
    expect(withEmulatorOnSignal(ok, { 'x-cxone-emulator-onsignal': 'none; owner=101; owner-role=child' }, '100').message).toContain('signal the child contact id 101');
  });

  it('leaves other outcomes alone; "none" without an owner stays accepted with a note', () => {
    expect(withEmulatorOnSignal(ok, {}, '1')).toBe(ok);
    expect(withEmulatorOnSignal(ok, { 'x-cxone-emulator-onsignal': 'here' }, '1')).toBe(ok);
    const none = withEmulatorOnSignal(ok, { 'x-cxone-emulator-onsignal': 'none' }, '1');
    expect(none).toMatchObject({ ok: true, class: 'accepted' });
    expect(none.message).toContain('nothing happens');
  });
});

describe('formatTimings', () => {
  it('prints every phase, "-" for those that did not happen', () => {
    expect(formatTimings({ dnsMs: null, connectMs: 0.25, tlsMs: null, firstByteMs: 3, totalMs: 4.04 })).toBe('dns -, connect 0.3 ms, tls -, first byte 3.0 ms, total 4.0 ms');
  });
});
