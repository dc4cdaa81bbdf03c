/**
 * How digest authentication of one request went, read from its wire records, and a message a user
 * can act on when it failed (a wrong password, no password, a challenge sip.js cannot answer, an
 * IP allowlist). sip.js answers one challenge per request and passes a second one up as the final
 * response (`UserAgentClient.authenticationGuard`), so a wrong password ends the request after two
 * round trips and never loops.
 *
 * @remarks RFC 3261 §22.2 (401 WWW-Authenticate → Authorization), §22.3 (407 Proxy-Authenticate →
 * Proxy-Authorization), §22.4 (digest), RFC 2617 §3.2.1 (challenge parameters).
 */
import type { SipMessageRecord } from '../../shared/types';
import { headerValue, isParseError, parseSipMessage } from './message';

/** One challenge received. */
export interface DigestChallenge {
  status: 401 | 407;
  realm: string | null;
  /** `MD5` when absent (RFC 2617 §3.2.1). */
  algorithm: string;
  qop: string | null;
  stale: boolean;
}

/** The authentication of one request (all its transactions: first try, retry with credentials). */
export interface DigestOutcome {
  /** Challenges received, in order. */
  challenges: DigestChallenge[];
  /** Whether we sent Authorization / Proxy-Authorization. */
  sentAuthorization: boolean;
  sentProxyAuthorization: boolean;
  /** Last final response (status), null when none came. */
  finalStatus: number | null;
  /** Authentication is not why the request failed: a 2xx, no challenge, or a failure of another kind (486…). */
  ok: boolean;
  /** Why it failed, when authentication (or an allowlist's 403) is the reason; null otherwise. */
  problem: string | null;
}

/** Who is asked, for messages: `trunk` (INVITE) or `registrar` (REGISTER). */
export type DigestPeer = 'trunk' | 'registrar';

/**
 * Reads a digest challenge parameter (`realm="x"` or `algorithm=MD5`) from a WWW-Authenticate or
 * Proxy-Authenticate value.
 */
export function challengeParam(value: string, name: string): string | null {
  const m = new RegExp(`(?:^|[\\s,])${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^\\s,]+))`, 'i').exec(value.replace(/^\s*Digest\s+/i, ' '));
  if (!m) return null;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? null);
}

/**
 * Summarises the authentication of the requests of `method` in `records` (one request and its
 * retries: pass the records of one attempt).
 * @param user - the digest user name, for messages.
 * @param hadPassword - whether credentials were configured.
 */
export function digestOutcome(
  records: readonly SipMessageRecord[],
  method: string,
  opts: { user: string | null; hadPassword: boolean; peer?: DigestPeer },
): DigestOutcome {
  const out: DigestOutcome = { challenges: [], sentAuthorization: false, sentProxyAuthorization: false, finalStatus: null, ok: true, problem: null };
  let finalReason = '';
  for (const rec of records) {
    if (rec.method !== method) continue;
    const msg = parseSipMessage(rec.raw);
    if (isParseError(msg)) continue;
    if (rec.direction === 'out' && rec.status === undefined) {
      if (headerValue(msg.headers, 'authorization') !== undefined) out.sentAuthorization = true;
      if (headerValue(msg.headers, 'proxy-authorization') !== undefined) out.sentProxyAuthorization = true;
    } else if (rec.direction === 'in' && rec.status !== undefined) {
      if (rec.status === 401 || rec.status === 407) {
        const value = headerValue(msg.headers, rec.status === 401 ? 'www-authenticate' : 'proxy-authenticate') ?? '';
        out.challenges.push({
          status: rec.status,
          realm: challengeParam(value, 'realm'),
          algorithm: challengeParam(value, 'algorithm') ?? 'MD5',
          qop: challengeParam(value, 'qop'),
          stale: /^true$/i.test(challengeParam(value, 'stale') ?? ''),
        });
      }
      if (rec.status >= 200) {
        out.finalStatus = rec.status;
        finalReason = rec.firstLine.replace(/^SIP\/2\.0\s+/, '');
      }
    }
  }
  out.problem = explain(out, finalReason, opts);
  out.ok = out.problem === null;
  return out;
}

function explain(o: DigestOutcome, finalReason: string, opts: { user: string | null; hadPassword: boolean; peer?: DigestPeer }): string | null {
  const status = o.finalStatus;
  if (status === null || status < 300) return null;
  const peer = opts.peer ?? 'trunk';
  const who = opts.user ? `user ${opts.user}` : 'the configured user';
  const last = o.challenges[o.challenges.length - 1];
  const realm = (c: DigestChallenge | undefined): string => (c?.realm ? `realm ${c.realm}` : 'no realm');
  const answered = o.sentAuthorization || o.sentProxyAuthorization;
  if (status === 401 || status === 407) {
    const asker = status === 407 ? 'proxy' : peer;
    if (!opts.hadPassword) {
      return `the ${asker} asks for digest authentication (${status}, ${realm(last)}) but no SIP password was given`;
    }
    const answeredThisKind = status === 401 ? o.sentAuthorization : o.sentProxyAuthorization;
    if (answeredThisKind) return `the ${asker} rejected the credentials of ${who} (${realm(last)}): check the SIP password`;
    if (answered) {
      return `the ${asker} sent a second challenge (${status}, ${realm(last)}) after the first was answered: the SIP stack answers one challenge per request`;
    }
    if (last && last.algorithm.toUpperCase() !== 'MD5') {
      return `the ${asker}'s challenge uses digest algorithm ${last.algorithm}, which the SIP stack cannot answer (MD5 only)`;
    }
    return `the ${asker}'s challenge (${status}, ${realm(last)}) could not be answered (unsupported qop "${last?.qop ?? ''}" or no realm/nonce)`;
  }
  if (status === 403) {
    if (answered) return `the ${peer} rejected the credentials of ${who} (${realm(last)}) with ${finalReason}: check the SIP password and user name`;
    return `the ${peer} refused with ${finalReason} without asking for credentials: it may accept only known source addresses (an IP allowlist)`;
  }
  return null;
}
