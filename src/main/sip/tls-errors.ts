/**
 * TLS failures in words a user can act on. Node reports a failed TLS connect as an OpenSSL verify
 * code (`UNABLE_TO_VERIFY_LEAF_SIGNATURE`, `CERT_HAS_EXPIRED`…), a Node code
 * (`ERR_TLS_CERT_ALTNAME_INVALID`) or a socket errno (`ECONNRESET`, `ECONNREFUSED`); this file maps
 * each to a {@link TlsConnectError} whose message names the peer, what is wrong and what to do.
 *
 * @remarks RFC 5246 / RFC 8446 (TLS), RFC 5280 §6 (path validation), RFC 5922 §7 (SIP server
 * identity from subjectAltName), RFC 6066 §3 (SNI).
 */
import type { PeerCertificate } from 'node:tls';

/** What went wrong, one value per message the user sees. */
export type TlsFailureKind =
  | 'unknown-ca'
  | 'name-mismatch'
  | 'expired'
  | 'not-yet-valid'
  | 'handshake-refused'
  | 'handshake-timeout'
  | 'connection-refused'
  | 'connect-timeout'
  | 'host-not-found'
  | 'other';

/** A failed TLS connect: `message` is meant for the user as is. */
export class TlsConnectError extends Error {
  override readonly name = 'TlsConnectError';
  /**
   * @param kind - the failure class.
   * @param target - the peer as `host:port`.
   * @param code - Node's or OpenSSL's code, when there was one.
   */
  constructor(
    message: string,
    readonly kind: TlsFailureKind,
    readonly target: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** What is known about a failed connect. */
export interface TlsFailureContext {
  /** The peer, `host:port`. */
  target: string;
  /** The name the certificate was checked against (the SIP URI host, or a configured name). */
  serverName: string;
  /** The peer's certificate, when the handshake got that far. */
  peerCert?: PeerCertificate;
  /** The handshake/connect limit (ms), for timeout messages. */
  timeoutMs?: number;
}

/** An error as Node gives it: a code, a message, and for a name mismatch a reason. */
export interface NodeErrorLike {
  code?: string;
  message: string;
  reason?: string;
}

const UNKNOWN_CA = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'INVALID_CA',
]);
const REFUSED = new Set(['ECONNRESET', 'EPIPE', 'EPROTO', 'ECONNABORTED', 'ERR_TLS_CLOSED_BEFORE_HANDSHAKE']);

/** Our own codes for failures Node reports without one. */
export const TLS_HANDSHAKE_TIMEOUT = 'ERR_LAB_TLS_HANDSHAKE_TIMEOUT';
/** See {@link TLS_HANDSHAKE_TIMEOUT}. */
export const TLS_CONNECT_TIMEOUT = 'ERR_LAB_TLS_CONNECT_TIMEOUT';
/** The socket closed before the handshake ended, without an error. */
export const TLS_CLOSED_BEFORE_HANDSHAKE = 'ERR_TLS_CLOSED_BEFORE_HANDSHAKE';

/**
 * The failure class of a Node/OpenSSL code.
 * @returns `other` for codes not listed here.
 */
export function tlsFailureKind(code: string | undefined): TlsFailureKind {
  if (!code) return 'other';
  if (UNKNOWN_CA.has(code)) return 'unknown-ca';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return 'name-mismatch';
  if (code === 'CERT_HAS_EXPIRED') return 'expired';
  if (code === 'CERT_NOT_YET_VALID') return 'not-yet-valid';
  if (code === TLS_HANDSHAKE_TIMEOUT) return 'handshake-timeout';
  if (code === TLS_CONNECT_TIMEOUT || code === 'ETIMEDOUT') return 'connect-timeout';
  if (code === 'ECONNREFUSED') return 'connection-refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host-not-found';
  if (REFUSED.has(code) || code.startsWith('ERR_SSL_')) return 'handshake-refused';
  return 'other';
}

/**
 * Turns a failed TLS connect into a {@link TlsConnectError} whose message says what to do.
 * @param err - the error Node emitted, or one built from `socket.authorizationError`.
 */
export function describeTlsFailure(err: NodeErrorLike, ctx: TlsFailureContext): TlsConnectError {
  const kind = tlsFailureKind(err.code);
  const { target } = ctx;
  const cert = ctx.peerCert && Object.keys(ctx.peerCert).length > 0 ? ctx.peerCert : undefined;
  const who = cert ? certLabel(cert) : '';
  let message: string;
  switch (kind) {
    case 'unknown-ca':
      message =
        err.code === 'DEPTH_ZERO_SELF_SIGNED_CERT'
          ? `TLS to ${target}: the certificate of ${target}${who} is self-signed and this app does not trust it: if this is the right peer, give that certificate as a trusted CA with --ca-file FILE`
          : err.code === 'CERT_SIGNATURE_FAILURE'
            ? `TLS to ${target}: the certificate of ${target}${who} does not verify against the trusted CA of the same name: give the CA that really signed it with --ca-file FILE`
            : `TLS to ${target}: the certificate of ${target}${who} is signed by a CA this app does not trust: give its CA with --ca-file FILE`;
      break;
    case 'name-mismatch':
      message = `TLS to ${target}: the certificate of ${ctx.serverName} is for ${cert ? certNames(cert) : 'other names'}, not ${ctx.serverName}: check the host name in the SIP URI (use one of the certificate's names)`;
      break;
    case 'expired': {
      const end = cert ? dateOf(cert.valid_to) : undefined;
      message = end && new Date(cert!.valid_to).getTime() < Date.now()
        ? `TLS to ${target}: the certificate of ${target}${who} expired on ${end}: the peer must renew it (or check this machine's clock)`
        : `TLS to ${target}: a CA certificate in the chain of ${target}${who} has expired: the peer must renew its chain (or check this machine's clock)`;
      break;
    }
    case 'not-yet-valid':
      message = `TLS to ${target}: the certificate of ${target}${who} is not valid before ${cert ? dateOf(cert.valid_from) : 'a later date'}: check this machine's clock, or the peer's certificate`;
      break;
    case 'handshake-refused':
      message = /WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|HTTP_REQUEST/.test(err.code ?? '')
        ? `TLS to ${target}: ${target} answered the TLS handshake with something that is not TLS: is it a TLS port? (SIP over TLS is usually port 5061; 5060 is plain UDP/TCP)`
        : /CERTIFICATE_REQUIRED|HANDSHAKE_FAILURE/.test(err.code ?? '')
          ? `TLS to ${target}: ${target} refused the TLS handshake (${err.code}): it may require a client certificate or TLS settings this app does not offer`
          : `TLS to ${target}: ${target} refused the TLS handshake (${err.code === TLS_CLOSED_BEFORE_HANDSHAKE ? 'connection closed' : (err.code ?? err.message)}): is it a TLS port? (SIP over TLS is usually port 5061; 5060 is plain UDP/TCP)`;
      break;
    case 'handshake-timeout':
      message = `TLS to ${target}: ${target} accepted the TCP connection but did not finish the TLS handshake within ${ctx.timeoutMs ?? '?'} ms: is it a TLS port? (SIP over TLS is usually port 5061)`;
      break;
    case 'connect-timeout':
      message = `TLS to ${target}: no answer from ${target}${ctx.timeoutMs ? ` within ${ctx.timeoutMs} ms` : ''}: check the address and that a firewall lets TCP through`;
      break;
    case 'connection-refused':
      message = `TLS to ${target}: nothing listens on ${target} (connection refused): check the host and port, and that the peer listens for SIP over TLS`;
      break;
    case 'host-not-found':
      message = `TLS to ${target}: the host name of ${target} does not resolve (${err.code}): check its spelling and this machine's DNS`;
      break;
    default:
      message = `TLS to ${target} failed: ${err.message}${err.code ? ` (${err.code})` : ''}`;
  }
  return new TlsConnectError(message, kind, target, err.code);
}

/**
 * Describes a TLS client that failed its handshake with our listener (the server's
 * `tlsClientError` event), for the log.
 * @param remote - the client, `host:port`.
 */
export function describeTlsClientError(err: NodeErrorLike, remote: string): string {
  const code = err.code ?? '';
  if (/ALERT_UNKNOWN_CA|ALERT_BAD_CERTIFICATE|ALERT_CERTIFICATE_UNKNOWN/.test(code)) {
    return `TLS client ${remote} refused this listener's certificate (${code}): give it the listener's certificate (or its CA) as a trusted CA`;
  }
  if (/WRONG_VERSION_NUMBER|HTTP_REQUEST|PACKET_LENGTH_TOO_LONG|UNKNOWN_PROTOCOL/.test(code)) {
    return `client ${remote} sent something that is not TLS to this TLS port (${code}): it must use SIP over TLS (transport=tls) or a plain TCP/UDP port`;
  }
  if (code === 'ECONNRESET' || code === 'EPIPE') {
    return `TLS client ${remote} closed the connection during the handshake: it may not trust this listener's certificate (give it the certificate as a trusted CA) or its host name`;
  }
  if (/TIMEOUT/i.test(code) || /timeout/i.test(err.message)) {
    return `TLS client ${remote} did not finish the handshake in time: it may not speak TLS`;
  }
  return `TLS handshake with client ${remote} failed: ${err.message}${code ? ` (${code})` : ''}`;
}

/** ` (CN x, issued by y)` for messages. */
function certLabel(cert: PeerCertificate): string {
  const cn = firstOf(cert.subject?.CN);
  const issuer = firstOf(cert.issuer?.CN);
  if (!cn) return '';
  return issuer && issuer !== cn ? ` (${cn}, issued by ${issuer})` : ` (${cn})`;
}

/** `bot.other.com (names: DNS:bot.other.com, IP Address:10.0.0.5)`. */
function certNames(cert: PeerCertificate): string {
  const cn = firstOf(cert.subject?.CN) ?? '(no CN)';
  return cert.subjectaltname ? `${cn} (names: ${cert.subjectaltname})` : `${cn} (no subjectAltName)`;
}

function firstOf(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** OpenSSL's `Jan  2 00:00:00 2026 GMT` → `2026-01-02`; the text as is when unreadable. */
function dateOf(text: string): string {
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? text : d.toISOString().slice(0, 10);
}
