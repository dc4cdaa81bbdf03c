import type { PeerCertificate } from 'node:tls';
import { describe, expect, it } from 'vitest';
import {
  describeTlsClientError,
  describeTlsFailure,
  TLS_CLOSED_BEFORE_HANDSHAKE,
  TLS_CONNECT_TIMEOUT,
  TLS_HANDSHAKE_TIMEOUT,
  TlsConnectError,
  tlsFailureKind,
} from '../../../src/main/sip/tls-errors';

const target = '10.0.0.5:5061';
const ctx = { target, serverName: '10.0.0.5' };

/** The parts of a PeerCertificate the messages read. */
function peer(p: { cn: string; issuer?: string; san?: string; validFrom?: string; validTo?: string }): PeerCertificate {
  return {
    subject: { CN: p.cn },
    issuer: { CN: p.issuer ?? p.cn },
    subjectaltname: p.san,
    valid_from: p.validFrom ?? 'Jan  1 00:00:00 2020 GMT',
    valid_to: p.validTo ?? 'Jan  2 00:00:00 2026 GMT',
  } as unknown as PeerCertificate;
}

describe('tlsFailureKind', () => {
  it('classes each Node/OpenSSL code', () => {
    for (const c of ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY']) {
      expect(tlsFailureKind(c)).toBe('unknown-ca');
    }
    expect(tlsFailureKind('ERR_TLS_CERT_ALTNAME_INVALID')).toBe('name-mismatch');
    expect(tlsFailureKind('CERT_HAS_EXPIRED')).toBe('expired');
    expect(tlsFailureKind('CERT_NOT_YET_VALID')).toBe('not-yet-valid');
    for (const c of ['ECONNRESET', 'EPROTO', 'ERR_SSL_WRONG_VERSION_NUMBER', TLS_CLOSED_BEFORE_HANDSHAKE]) expect(tlsFailureKind(c)).toBe('handshake-refused');
    expect(tlsFailureKind(TLS_HANDSHAKE_TIMEOUT)).toBe('handshake-timeout');
    expect(tlsFailureKind(TLS_CONNECT_TIMEOUT)).toBe('connect-timeout');
    expect(tlsFailureKind('ECONNREFUSED')).toBe('connection-refused');
    expect(tlsFailureKind('ENOTFOUND')).toBe('host-not-found');
    expect(tlsFailureKind('EWHATEVER')).toBe('other');
    expect(tlsFailureKind(undefined)).toBe('other');
  });
});

describe('describeTlsFailure', () => {
  it('unknown CA: names the peer, the certificate and --ca-file', () => {
    const e = describeTlsFailure({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', message: 'x' }, { ...ctx, peerCert: peer({ cn: 'sbc.example.com', issuer: 'Corp CA' }) });
    expect(e).toBeInstanceOf(TlsConnectError);
    expect(e.kind).toBe('unknown-ca');
    expect(e.target).toBe(target);
    expect(e.code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect(e.message).toBe(
      'TLS to 10.0.0.5:5061: the certificate of 10.0.0.5:5061 (sbc.example.com, issued by Corp CA) is signed by a CA this app does not trust: give its CA with --ca-file FILE',
    );
  });

  it('self-signed: says so, and to trust that certificate', () => {
    const e = describeTlsFailure({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'x' }, { ...ctx, peerCert: peer({ cn: 'bot' }) });
    expect(e.message).toBe(
      'TLS to 10.0.0.5:5061: the certificate of 10.0.0.5:5061 (bot) is self-signed and this app does not trust it: if this is the right peer, give that certificate as a trusted CA with --ca-file FILE',
    );
  });

  it('name mismatch: the name asked for and the names the certificate holds', () => {
    const e = describeTlsFailure(
      { code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: 'x', reason: 'y' },
      { target: 'sip.example.com:5061', serverName: 'sip.example.com', peerCert: peer({ cn: 'bot.other.com', san: 'DNS:bot.other.com, DNS:www.other.com' }) },
    );
    expect(e.kind).toBe('name-mismatch');
    expect(e.message).toBe(
      "TLS to sip.example.com:5061: the certificate of sip.example.com is for bot.other.com (names: DNS:bot.other.com, DNS:www.other.com), not sip.example.com: check the host name in the SIP URI (use one of the certificate's names)",
    );
  });

  it('expired: the date it expired; a still-valid leaf means a CA in the chain expired', () => {
    const e = describeTlsFailure({ code: 'CERT_HAS_EXPIRED', message: 'x' }, { ...ctx, peerCert: peer({ cn: 'bot', issuer: 'CA', validTo: 'Jan  2 00:00:00 2026 GMT' }) });
    expect(e.message).toBe("TLS to 10.0.0.5:5061: the certificate of 10.0.0.5:5061 (bot, issued by CA) expired on 2026-01-02: the peer must renew it (or check this machine's clock)");
    const chain = describeTlsFailure({ code: 'CERT_HAS_EXPIRED', message: 'x' }, { ...ctx, peerCert: peer({ cn: 'bot', validTo: 'Jan  2 00:00:00 2999 GMT' }) });
    expect(chain.message).toMatch(/a CA certificate in the chain of 10\.0\.0\.5:5061 \(bot\) has expired/);
  });

  it('not yet valid: the date it starts', () => {
    const e = describeTlsFailure({ code: 'CERT_NOT_YET_VALID', message: 'x' }, { ...ctx, peerCert: peer({ cn: 'bot', validFrom: 'Mar  4 00:00:00 2031 GMT' }) });
    expect(e.message).toMatch(/is not valid before 2031-03-04: check this machine's clock/);
  });

  it('handshake refused, not TLS, timeout, connection refused, host not found: each its own words', () => {
    expect(describeTlsFailure({ code: 'ECONNRESET', message: 'read ECONNRESET' }, ctx).message).toBe(
      'TLS to 10.0.0.5:5061: 10.0.0.5:5061 refused the TLS handshake (ECONNRESET): is it a TLS port? (SIP over TLS is usually port 5061; 5060 is plain UDP/TCP)',
    );
    expect(describeTlsFailure({ code: TLS_CLOSED_BEFORE_HANDSHAKE, message: 'x' }, ctx).message).toMatch(/refused the TLS handshake \(connection closed\)/);
    expect(describeTlsFailure({ code: 'ERR_SSL_WRONG_VERSION_NUMBER', message: 'x' }, ctx).message).toMatch(/answered the TLS handshake with something that is not TLS: is it a TLS port\?/);
    expect(describeTlsFailure({ code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', message: 'x' }, ctx).message).toMatch(/may require a client certificate/);
    expect(describeTlsFailure({ code: TLS_HANDSHAKE_TIMEOUT, message: 'x' }, { ...ctx, timeoutMs: 3000 }).message).toBe(
      'TLS to 10.0.0.5:5061: 10.0.0.5:5061 accepted the TCP connection but did not finish the TLS handshake within 3000 ms: is it a TLS port? (SIP over TLS is usually port 5061)',
    );
    expect(describeTlsFailure({ code: TLS_CONNECT_TIMEOUT, message: 'x' }, { ...ctx, timeoutMs: 3000 }).message).toMatch(/no answer from 10\.0\.0\.5:5061 within 3000 ms/);
    expect(describeTlsFailure({ code: 'ECONNREFUSED', message: 'x' }, ctx).message).toMatch(/nothing listens on 10\.0\.0\.5:5061 \(connection refused\)/);
    expect(describeTlsFailure({ code: 'ENOTFOUND', message: 'x' }, { target: 'nope.invalid:5061', serverName: 'nope.invalid' }).message).toMatch(/does not resolve \(ENOTFOUND\)/);
    expect(describeTlsFailure({ code: 'EODD', message: 'odd thing' }, ctx).message).toBe('TLS to 10.0.0.5:5061 failed: odd thing (EODD)');
  });

  it('works without a peer certificate (or an empty one from Node)', () => {
    expect(describeTlsFailure({ code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', message: 'x' }, { ...ctx, peerCert: {} as PeerCertificate }).message).toBe(
      'TLS to 10.0.0.5:5061: the certificate of 10.0.0.5:5061 is signed by a CA this app does not trust: give its CA with --ca-file FILE',
    );
    expect(describeTlsFailure({ code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: 'x' }, ctx).message).toMatch(/is for other names, not 10\.0\.0\.5/);
  });
});

describe('describeTlsClientError (listener side)', () => {
  it('says what the client did wrong', () => {
    expect(describeTlsClientError({ code: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', message: 'x' }, '1.2.3.4:999')).toMatch(/refused this listener's certificate/);
    expect(describeTlsClientError({ code: 'ERR_SSL_HTTP_REQUEST', message: 'x' }, '1.2.3.4:999')).toMatch(/not TLS to this TLS port/);
    expect(describeTlsClientError({ code: 'ECONNRESET', message: 'x' }, '1.2.3.4:999')).toMatch(/closed the connection during the handshake/);
    expect(describeTlsClientError({ code: 'ERR_TLS_HANDSHAKE_TIMEOUT', message: 'x' }, '1.2.3.4:999')).toMatch(/did not finish the handshake in time/);
    expect(describeTlsClientError({ message: 'boom' }, '1.2.3.4:999')).toBe('TLS handshake with client 1.2.3.4:999 failed: boom');
  });
});
