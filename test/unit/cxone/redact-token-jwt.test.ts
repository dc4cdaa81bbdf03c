/**
 * Pure parts around secrets and tokens: redaction of exchanges, the token cache's renewal margin,
 * and the emulator's JWTs.
 */
import { describe, expect, it } from 'vitest';
import { scrub, toExchange, type HttpRequestSpec, type HttpResult } from '../../../src/main/cxone/http';
import { TokenCache, renewalMarginMs } from '../../../src/main/cxone/token';
import { createJwt, decodeJwt, verifyJwt } from '../../../src/main/emulator/jwt';

const T = { startMonoMs: 0, endMonoMs: 1, dnsMs: null, connectMs: null, tlsMs: null, firstByteMs: null, totalMs: 1 };

describe('redaction', () => {
  it('scrub replaces secrets, their URL-encoded forms, and secret-holding JSON keys', () => {
    const secret = 'abc/def==';
    expect(scrub(`x=${encodeURIComponent(secret)}&y=${secret}`, [secret])).toBe('x=[redacted]&y=[redacted]');
    const j = JSON.parse(scrub('{"access_token":"t1","id_token":"t2","token_type":"Bearer","expires_in":5,"accessKeySecret":"s"}', []));
    expect(j).toEqual({ access_token: '[redacted]', id_token: '[redacted]', token_type: 'Bearer', expires_in: 5, accessKeySecret: '[redacted]' });
  });

  it('keeps a JSON body as sent when nothing in it is secret', () => {
    expect(scrub('{ "a": 1 }', [])).toBe('{ "a": 1 }');
  });

  it('toExchange redacts Authorization to "Bearer [redacted]" and the token in bodies', () => {
    const spec: HttpRequestSpec = { method: 'POST', url: 'http://h/x', headers: { Authorization: 'Bearer tok123', Accept: 'application/json' }, timeoutMs: 1 };
    const result: HttpResult = { kind: 'response', status: 401, headers: { 'www-authenticate': 'Bearer tok123' }, body: 'bad token tok123', bodyTruncated: false, timings: T };
    const ex = toExchange(spec, result, ['tok123']);
    expect(ex.request.headers['Authorization']).toBe('Bearer [redacted]');
    expect(JSON.stringify(ex)).not.toContain('tok123');
    expect(ex.response?.status).toBe(401);
  });

  it('toExchange records the error of a failure without a response', () => {
    const spec: HttpRequestSpec = { method: 'GET', url: 'http://h/', headers: {}, timeoutMs: 5 };
    expect(toExchange(spec, { kind: 'timeout', timeoutMs: 5, phase: 'wait', sent: true, timings: T }, []).error).toBe('timeout after 5 ms');
    expect(toExchange(spec, { kind: 'timeout', timeoutMs: 5, phase: 'wait', sent: true, timings: T }, [], 'no answer').error).toBe('no answer');
  });
});

describe('token cache', () => {
  it('renews 60 s before expiry, or at 10 % of the lifetime when shorter', () => {
    expect(renewalMarginMs(3600_000)).toBe(60_000);
    expect(renewalMarginMs(2000)).toBe(200);
  });

  it('serves an entry only outside its renewal margin', () => {
    const c = new TokenCache();
    c.set('k', { token: 't', obtainedMonoMs: 0, expiresAtMonoMs: 1000 });
    expect(c.fresh('k', 899)?.token).toBe('t');
    expect(c.fresh('k', 900)).toBeUndefined();
  });

  it('delete with a token drops the entry only if it still holds that token', () => {
    const c = new TokenCache();
    c.set('k', { token: 'new', obtainedMonoMs: 0, expiresAtMonoMs: 1e9 });
    c.delete('k', 'old');
    expect(c.fresh('k', 1)?.token).toBe('new');
    c.delete('k', 'new');
    expect(c.fresh('k', 1)).toBeUndefined();
  });
});

describe('emulator JWT', () => {
  it('HS256: verifies with the right key only, carries tenantId and exp', () => {
    const t = createJwt({ tenantId: 'tid', exp: 2_000_000_000, iss: 'http://x' }, 'k1');
    expect(verifyJwt(t, 'k1')?.claims).toMatchObject({ tenantId: 'tid', exp: 2_000_000_000 });
    expect(verifyJwt(t, 'k2')).toBeNull();
    const [h, , s] = t.split('.');
    const forged = `${h}.${Buffer.from('{"tenantId":"other"}').toString('base64url')}.${s}`;
    expect(verifyJwt(forged, 'k1')).toBeNull();
  });

  it('unsigned tokens decode but never verify', () => {
    const t = createJwt({ tenantId: 'tid' });
    expect(t.endsWith('.')).toBe(true);
    expect(decodeJwt(t)?.header.alg).toBe('none');
    expect(verifyJwt(t, 'k1')).toBeNull();
  });

  it('decodeJwt returns null on garbage', () => {
    expect(decodeJwt('a.b')).toBeNull();
    expect(decodeJwt('a.b.c')).toBeNull();
    expect(decodeJwt(`${Buffer.from('[]').toString('base64url')}.e30.`)).toBeNull();
  });
});
