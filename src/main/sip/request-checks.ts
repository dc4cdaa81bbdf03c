/**
 * The RFC 3261 checks of an incoming request that sip.js 0.21.2 leaves out (it answers most of
 * them with a 200, a 404 after our Request-URI rewrite, or a crash): each check returns the refusal
 * RFC 3261 names, or undefined. validation.ts runs them in order and builds the response.
 *
 * @remarks
 * - §8.2.1: an unknown but well-formed method gets 501 (RFC 4475 §3.1.1.2 intmeth, §3.1.2.18 mismatch02).
 * - §8.2.2.1: an unsupported Request-URI scheme gets 416 (RFC 4475 §3.3.2 unkscm, §3.3.3 novelsc):
 *   `sip:` is served, `sips:` only over TLS (§26.2.2, §21.4.17), `tel:` (RFC 3966) for a request
 *   outside a dialog; see {@link checkRequestUri}.
 * - §8.2.2.3: an unknown option tag in Require gets 420 with Unsupported (not for ACK and CANCEL).
 * - §8.2.3: an unsupported body type gets 415 with Accept; an Accept that excludes every type we can
 *   answer with gets 406 (RFC 4475 §3.3.15 sdp01).
 * - §7.3.1/§20: single-valued headers appear once (RFC 4475 §3.3.9 multi01, §3.3.10 mcl01); CSeq's
 *   number is below 2^31 and its method is the request's (§8.1.1.5; RFC 4475 §3.1.2.4 scalar02,
 *   §3.1.2.17 mismatch01); Max-Forwards is 0..255 (§20.22); Date is in GMT (§20.17, RFC 4475
 *   §3.1.2.12 baddate); a URI with `?` is in angle brackets (§20, RFC 4475 §3.1.2.13 regbadct) and a
 *   SIP Request-URI has no headers part (§19.1.5, RFC 4475 §3.1.2.11 escruri).
 * - §7.4.1: a message with a body has a Content-Type; §18.3: on TCP/TLS a request has a Content-Length.
 */
import type { SipTransportKind } from '../../shared/types';
import { headerTag, headerValue, headerValues, splitHeaderList, type ParsedSipMessage } from './message';
import { ALLOW_HEADER } from './methods';

/** A refusal: the status, its reason phrase, why (for the log), and extra response headers. */
export interface RequestRefusal {
  status: number;
  phrase: string;
  reason: string;
  /** e.g. `Unsupported: foo` for a 420, `Accept: application/sdp` for a 415. */
  extraHeaders?: string[];
}

/** Methods this endpoint knows: served (methods.ts SUPPORTED_METHODS) or answered 405 with Allow by sip.js. RFC 3261 §27.4 plus extensions. */
export const KNOWN_METHODS: ReadonlySet<string> = new Set([
  'INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'INFO', 'PRACK', 'UPDATE', 'SUBSCRIBE',
  'NOTIFY', 'REFER', 'MESSAGE', 'PUBLISH',
]);

/** Option tags a peer may Require of us (RFC 3261 §8.2.2.3). sip.js runs without 100rel, replaces, timer. */
export const SUPPORTED_OPTION_TAGS: ReadonlySet<string> = new Set<string>([]);

/** Body types we take in an INVITE, UPDATE or PRACK (the offer/answer carriers). */
export const ACCEPTED_SESSION_BODY_TYPES: readonly string[] = ['application/sdp'];

/** Headers that may appear at most once (RFC 3261 §7.3.1, §20). */
const SINGLE_VALUED = ['to', 'from', 'call-id', 'cseq', 'max-forwards', 'content-length', 'content-type'];

const SESSION_METHODS = new Set(['INVITE', 'UPDATE', 'PRACK']);

/** The method token exactly as in the start line (sip.js and RFC 3261 compare it case-sensitively). */
function startLineMethod(msg: ParsedSipMessage): string {
  return msg.startLine.slice(0, msg.startLine.indexOf(' '));
}

/** The media type of a Content-Type or Accept entry, lower case, without parameters. */
function mediaType(value: string): string {
  return value.split(';')[0]!.trim().toLowerCase();
}

/** True when a name-addr/addr-spec value has a `?` outside angle brackets (a headers part where none may be). */
function bareUriWithHeaders(value: string): boolean {
  const outside = value.replace(/<[^>]*>/g, '').replace(/"(?:[^"\\]|\\.)*"/g, '');
  return outside.includes('?');
}

/** §7.3.1: To, From, Call-ID, CSeq, Max-Forwards, Content-Length, Content-Type at most once. */
export function checkSingleValued(msg: ParsedSipMessage): RequestRefusal | undefined {
  for (const name of SINGLE_VALUED) {
    const n = headerValues(msg.headers, name).length;
    if (n > 1) {
      const label = name.replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase()).replace('Call-Id', 'Call-ID');
      return { status: 400, phrase: `Multiple ${label} Headers`, reason: `${n} ${label} headers (at most one allowed, RFC 3261 §7.3.1)` };
    }
  }
  return undefined;
}

/** §8.2.1: 501 for a method we do not know (checked before the CSeq method, as RFC 4475 mismatch02 asks). */
export function checkMethod(msg: ParsedSipMessage): RequestRefusal | undefined {
  const method = startLineMethod(msg);
  if (KNOWN_METHODS.has(method)) return undefined;
  return { status: 501, phrase: 'Not Implemented', reason: `unknown method "${method.slice(0, 40)}"`, extraHeaders: [ALLOW_HEADER] };
}

/** §8.1.1.5: the CSeq number is below 2^31 and its method equals the request's. */
export function checkCSeq(msg: ParsedSipMessage): RequestRefusal | undefined {
  const raw = headerValue(msg.headers, 'cseq') ?? '';
  const m = /^(\d+)\s+(\S+)$/.exec(raw);
  if (!m) return { status: 400, phrase: 'Bad CSeq', reason: `unreadable CSeq "${raw.slice(0, 40)}"` };
  if (m[1]!.length > 10 || Number(m[1]) > 2 ** 31 - 1) {
    return { status: 400, phrase: 'Bad CSeq', reason: `CSeq number ${m[1]!.slice(0, 24)} is not below 2^31 (RFC 3261 §8.1.1.5)` };
  }
  const method = startLineMethod(msg);
  if (m[2] !== method) {
    return { status: 400, phrase: 'CSeq Method Mismatch', reason: `CSeq method "${m[2]!.slice(0, 40)}" differs from the request method "${method.slice(0, 40)}"` };
  }
  return undefined;
}

/** §20.22 Max-Forwards is 0..255; §20.17 Date is in GMT; §20 a URI with `?` is inside `<>`. */
export function checkHeaderValues(msg: ParsedSipMessage): RequestRefusal | undefined {
  const mf = headerValue(msg.headers, 'max-forwards');
  if (mf !== undefined && (!/^\d{1,9}$/.test(mf) || Number(mf) > 255)) {
    return { status: 400, phrase: 'Bad Max-Forwards', reason: `Max-Forwards "${mf.slice(0, 30)}" is not 0..255` };
  }
  const date = headerValue(msg.headers, 'date');
  if (date !== undefined && !/\bGMT\s*$/.test(date)) {
    return { status: 400, phrase: 'Bad Date', reason: `Date "${date.slice(0, 40)}" is not in GMT (RFC 3261 §20.17)` };
  }
  for (const name of ['to', 'from', 'contact']) {
    for (const v of headerValues(msg.headers, name)) {
      for (const one of name === 'contact' ? splitHeaderList(v) : [v]) {
        if (bareUriWithHeaders(one)) {
          const label = name === 'to' ? 'To' : name === 'from' ? 'From' : 'Contact';
          return { status: 400, phrase: `Bad ${label} Header`, reason: `${label} URI with a headers part outside <> (RFC 3261 §20): "${one.slice(0, 60)}"` };
        }
      }
    }
  }
  return undefined;
}

/**
 * A `tel:` URI as RFC 3966 §3 writes it: a global number (`+` and digits, with visual separators
 * `-.()`) or a local number (hex digits, `*`, `#`, separators), then `;` parameters. Assumed here:
 * a local number without `phone-context` (RFC 3966 §5.1.5 requires it) is still taken, as
 * gateways send them.
 */
const TEL_URI = /^tel:(?:\+[-.()]*\d[-.()\d]*|[-.()]*[\dA-Fa-f*#][-.()\dA-Fa-f*#]*)(?:;[^;?\s]+)*$/i;

/**
 * The Request-URI scheme (RFC 3261 §8.2.2.1, §19.1, §26.2.2):
 * - `sip:` is served;
 * - `sips:` only over TLS: received over UDP or TCP it gets 416 (§26.2.2: a sips: Request-URI
 *   asks for TLS on every hop; §21.4.17 names 416 for a scheme the server does not serve);
 * - `tel:` (RFC 3966; RFC 3261 §19.1.6) is served for a request outside a dialog (the transport
 *   hands sip.js our own SIP URI in its place, node-transport.ts) and for an ACK (it copies the
 *   INVITE's Request-URI, §17.1.1.3, and is matched by its transaction); inside a dialog (a To
 *   tag) the Request-URI is the remote target we gave, a sip: Contact (§12.2.1.1), so a tel: one
 *   does not point to us: 404, as sip.js answers a sip: Request-URI that is not ours (§8.2.2.1).
 *   A tel: URI that is not RFC 3966 syntax is malformed: 400;
 * - any other scheme gets 416.
 * A Request-URI in angle brackets or without a scheme, or a SIP one with a headers part (`?`,
 * §19.1.5), is malformed (400).
 */
export function checkRequestUri(msg: ParsedSipMessage, transport: SipTransportKind): RequestRefusal | undefined {
  const uri = msg.requestUri ?? '';
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(uri)?.[1]?.toLowerCase();
  if (!scheme) return { status: 400, phrase: 'Bad Request-URI', reason: `Request-URI "${uri.slice(0, 60)}" has no scheme (RFC 3261 §19.1)` };
  if (scheme === 'tel') {
    if (!TEL_URI.test(uri)) return { status: 400, phrase: 'Bad Request-URI', reason: `Request-URI "${uri.slice(0, 60)}" is not a tel: URI of RFC 3966 §3` };
    if (startLineMethod(msg) !== 'ACK' && headerTag(headerValue(msg.headers, 'to')) !== undefined) {
      return { status: 404, phrase: 'Not Found', reason: `a tel: Request-URI inside a dialog ("${uri.slice(0, 60)}"): it must be our sip: Contact (RFC 3261 §12.2.1.1)` };
    }
    return undefined;
  }
  if (scheme !== 'sip' && scheme !== 'sips') {
    return { status: 416, phrase: 'Unsupported URI Scheme', reason: `Request-URI scheme "${scheme.slice(0, 30)}" is not sip, sips or tel (RFC 3261 §8.2.2.1)` };
  }
  if (scheme === 'sips' && transport !== 'tls') {
    return { status: 416, phrase: 'Unsupported URI Scheme', reason: `a sips: Request-URI arrived over ${transport} (sips needs TLS, RFC 3261 §26.2.2)` };
  }
  if (uri.includes('?')) return { status: 400, phrase: 'Bad Request-URI', reason: `Request-URI "${uri.slice(0, 60)}" has a headers part (RFC 3261 §19.1.5)` };
  return undefined;
}

/**
 * §18.3 and §7.4.1: on TCP/TLS a Content-Length is present; a body has a Content-Type.
 * @param body - the body after any UDP cut to Content-Length.
 */
export function checkBodyHeaders(msg: ParsedSipMessage, transport: SipTransportKind, body: string): RequestRefusal | undefined {
  if (transport !== 'udp' && headerValues(msg.headers, 'content-length').length === 0) {
    return { status: 400, phrase: 'Missing Content-Length', reason: `no Content-Length on ${transport} (required on a stream, RFC 3261 §18.3)` };
  }
  if (body.length > 0 && !headerValue(msg.headers, 'content-type')) {
    return { status: 400, phrase: 'Missing Content-Type', reason: `a body of ${Buffer.byteLength(body)} bytes without Content-Type (RFC 3261 §7.4.1)` };
  }
  return undefined;
}

/** §8.2.2.3: 420 with Unsupported for option tags of Require we do not support (never for ACK or CANCEL). */
export function checkRequire(msg: ParsedSipMessage): RequestRefusal | undefined {
  const method = startLineMethod(msg);
  if (method === 'ACK' || method === 'CANCEL') return undefined;
  const tags = headerValues(msg.headers, 'require').flatMap((v) => v.split(',')).map((t) => t.trim()).filter((t) => t !== '');
  const unknown = tags.filter((t) => !SUPPORTED_OPTION_TAGS.has(t.toLowerCase()));
  if (unknown.length === 0) return undefined;
  return { status: 420, phrase: 'Bad Extension', reason: `Require names unsupported option(s): ${unknown.join(', ').slice(0, 120)}`, extraHeaders: [`Unsupported: ${unknown.join(', ')}`] };
}

/**
 * §8.2.3: in an INVITE, UPDATE or PRACK, a body other than SDP gets 415 with Accept; an INVITE whose
 * Accept excludes SDP gets 406 (we can answer only with SDP).
 */
export function checkSessionBody(msg: ParsedSipMessage, body: string): RequestRefusal | undefined {
  const method = startLineMethod(msg);
  if (!SESSION_METHODS.has(method)) return undefined;
  const accept = `Accept: ${ACCEPTED_SESSION_BODY_TYPES.join(', ')}`;
  const ct = headerValue(msg.headers, 'content-type');
  if (body.length > 0 && ct !== undefined && !ACCEPTED_SESSION_BODY_TYPES.includes(mediaType(ct))) {
    return { status: 415, phrase: 'Unsupported Media Type', reason: `${method} body of type "${mediaType(ct).slice(0, 60)}"`, extraHeaders: [accept] };
  }
  const encoding = headerValue(msg.headers, 'content-encoding');
  if (body.length > 0 && encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
    return { status: 415, phrase: 'Unsupported Media Type', reason: `${method} body with Content-Encoding "${encoding.slice(0, 30)}"`, extraHeaders: [accept, 'Accept-Encoding: identity'] };
  }
  const accepts = headerValues(msg.headers, 'accept').flatMap((v) => v.split(',')).map(mediaType).filter((t) => t !== '');
  if (method === 'INVITE' && accepts.length > 0 && !accepts.some((t) => t === '*/*' || t === 'application/*' || ACCEPTED_SESSION_BODY_TYPES.includes(t))) {
    return { status: 406, phrase: 'Not Acceptable', reason: `Accept "${accepts.join(', ').slice(0, 60)}" excludes application/sdp`, extraHeaders: ['Warning: 399 - "only application/sdp can be answered"'] };
  }
  return undefined;
}
