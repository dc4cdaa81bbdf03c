import { describe, expect, it } from 'vitest';
import type { SipMessageRecord } from '../../../src/shared/types';
import { challengeParam, digestOutcome } from '../../../src/main/sip/digest-outcome';

function rec(direction: 'in' | 'out', firstLine: string, headers: string[], method = 'INVITE'): SipMessageRecord {
  const status = /^SIP\/2\.0 (\d{3})/.exec(firstLine)?.[1];
  return {
    callId: 'c1', direction, transport: 'udp', local: '127.0.0.1:1', remote: '127.0.0.1:2', monoMs: 0, wallMs: 0, firstLine, method,
    ...(status ? { status: Number(status) } : {}),
    raw: [firstLine, 'Call-ID: c1', `CSeq: 1 ${method}`, ...headers, 'Content-Length: 0', '', ''].join('\r\n'),
  };
}
const invite = (...h: string[]): SipMessageRecord => rec('out', 'INVITE sip:1@t SIP/2.0', h);
const www = rec('in', 'SIP/2.0 401 Unauthorized', ['WWW-Authenticate: Digest realm="sipp.test", nonce="n1", algorithm=MD5, qop="auth"']);
const proxy = rec('in', 'SIP/2.0 407 Proxy Authentication Required', ['Proxy-Authenticate: Digest nonce="n2", realm="edge"']);
const opts = { user: 'alice', hadPassword: true };

describe('digestOutcome', () => {
  it('a challenge answered and a 200: ok', () => {
    const o = digestOutcome([invite(), www, invite('Authorization: Digest [redacted]'), rec('in', 'SIP/2.0 200 OK', [])], 'INVITE', opts);
    expect(o).toEqual({
      challenges: [{ status: 401, realm: 'sipp.test', algorithm: 'MD5', qop: 'auth', stale: false }],
      sentAuthorization: true,
      sentProxyAuthorization: false,
      finalStatus: 200,
      ok: true,
      problem: null,
    });
  });

  it('a second challenge after credentials: the password', () => {
    const o = digestOutcome([invite(), www, invite('Authorization: Digest [redacted]'), www], 'INVITE', opts);
    expect(o.problem).toBe('the trunk rejected the credentials of user alice (realm sipp.test): check the SIP password');
    const p = digestOutcome([invite(), proxy, invite('Proxy-Authorization: Digest [redacted]'), proxy], 'INVITE', opts);
    expect(p.problem).toBe('the proxy rejected the credentials of user alice (realm edge): check the SIP password');
  });

  it('403 after credentials, and 403 without a challenge', () => {
    expect(digestOutcome([invite(), www, invite('Authorization: Digest x'), rec('in', 'SIP/2.0 403 Bad credentials', [])], 'INVITE', opts).problem).toBe(
      'the trunk rejected the credentials of user alice (realm sipp.test) with 403 Bad credentials: check the SIP password and user name',
    );
    expect(digestOutcome([invite(), rec('in', 'SIP/2.0 403 Forbidden', [])], 'INVITE', opts).problem).toMatch(/^the trunk refused with 403 Forbidden without asking for credentials/);
  });

  it('no password, an unsupported algorithm, a second challenge of the other kind', () => {
    expect(digestOutcome([invite(), www], 'INVITE', { user: 'alice', hadPassword: false }).problem).toBe(
      'the trunk asks for digest authentication (401, realm sipp.test) but no SIP password was given',
    );
    const sha = rec('in', 'SIP/2.0 401 Unauthorized', ['WWW-Authenticate: Digest realm="r", nonce="n", algorithm=SHA-256']);
    expect(digestOutcome([invite(), sha], 'INVITE', opts).problem).toBe("the trunk's challenge uses digest algorithm SHA-256, which the SIP stack cannot answer (MD5 only)");
    expect(digestOutcome([invite(), www, invite('Authorization: Digest x'), proxy], 'INVITE', opts).problem).toBe(
      'the proxy sent a second challenge (407, realm edge) after the first was answered: the SIP stack answers one challenge per request',
    );
  });

  it('failures of another kind are not authentication problems', () => {
    const o = digestOutcome([invite(), rec('in', 'SIP/2.0 486 Busy Here', [])], 'INVITE', opts);
    expect(o).toMatchObject({ ok: true, problem: null, finalStatus: 486 });
  });

  it('looks only at the given method, and names the registrar for REGISTER', () => {
    const reg = rec('out', 'REGISTER sip:t SIP/2.0', [], 'REGISTER');
    const regWww = rec('in', 'SIP/2.0 401 Unauthorized', ['WWW-Authenticate: Digest realm="r"'], 'REGISTER');
    expect(digestOutcome([reg, regWww, invite()], 'REGISTER', { ...opts, hadPassword: false, peer: 'registrar' }).problem).toBe(
      'the registrar asks for digest authentication (401, realm r) but no SIP password was given',
    );
  });
});

describe('challengeParam', () => {
  it('reads quoted and token values', () => {
    const v = 'Digest realm="a, \\"b\\"", nonce=abc, stale=TRUE';
    expect(challengeParam(v, 'realm')).toBe('a, "b"');
    expect(challengeParam(v, 'nonce')).toBe('abc');
    expect(challengeParam(v, 'stale')).toBe('TRUE');
    expect(challengeParam(v, 'opaque')).toBeNull();
  });
});
