/**
 * Checks every incoming SIP message before sip.js sees it, and decides: deliver it, answer it with
 * a `400 Bad Request` naming the problem, or drop it. sip.js drops most malformed messages silently
 * (or throws on some, e.g. a response without a readable CSeq); this module makes the decision
 * explicit and loggable.
 *
 * @remarks
 * RFC 3261 §8.2.2 / §8.1.1 (mandatory headers), §18.3 (Content-Length: on UDP a body shorter than
 * Content-Length is an error and a longer one is truncated), §8.2.6 (building a response to a
 * request: copy Via, From, To, Call-ID, CSeq), §17.1.1.3 (never answer an ACK), §21.4.27 (505),
 * §21.5.14 (513 Message Too Large; the size cap is assumed here, as is the header-count cap).
 * The other RFC 3261 request checks are in request-checks.ts.
 */
import { Core } from 'sip.js';
import type { SipTransportKind } from '../../shared/types';
import {
  checkBodyHeaders,
  checkCSeq,
  checkHeaderValues,
  checkMethod,
  checkRequestUri,
  checkRequire,
  checkSessionBody,
  checkSingleValued,
  type RequestRefusal,
} from './request-checks';
import {
  headerValue,
  headerValues,
  isParseError,
  missingMandatoryHeaders,
  parseSipMessage,
  type ParsedSipMessage,
  type SipParseError,
} from './message';

/** What to do with one incoming message. */
export type InboundDecision =
  /** Hand `text` to sip.js (`text` is the message, with a UDP body longer than Content-Length cut). */
  | { action: 'deliver'; parsed: ParsedSipMessage; text: string }
  /**
   * Answer `response` (`<status> <phrase>` built from the request) and do not hand it to sip.js.
   * `cap` names the cap that refused it (`message-size`, `header-count`) for counting.
   */
  | { action: 'reject'; reason: string; status: number; phrase: string; response: string; cap?: InboundCap }
  /** Drop it: a response, an ACK, or a request without a usable Via cannot be answered. */
  | { action: 'drop'; reason: string };

/** Which cap refused a message. */
export type InboundCap = 'message-size' | 'header-count';

/** Caps on one incoming message (assumed here: no RFC sets them). */
export interface InboundLimits {
  /** Largest message taken (bytes, headers and body); larger ones get 513. Default 65,535. */
  maxMessageBytes: number;
  /** Most header lines taken; more get 400 Too Many Headers. Default 256. */
  maxHeaders: number;
}

/** Default {@link InboundLimits}: a UDP datagram's maximum size, and 256 headers (a real INVITE has 10–40). */
export const DEFAULT_INBOUND_LIMITS: InboundLimits = { maxMessageBytes: 65_535, maxHeaders: 256 };

/** A header line as read by the lenient scanner (used when the strict parser failed). */
interface LooseHeader {
  name: string;
  value: string;
}

/** A request line however badly spaced (LWS in or around the Request-URI, any SIP version). */
const LOOSE_REQUEST_LINE = /^([A-Za-z0-9.!%*_+`'~-]+)[ \t]+.*[ \t]SIP\/\d+\.\d+[ \t]*$/;
/** A request line with a well-formed but unknown version, e.g. `OPTIONS sip:a@b SIP/7.0`. */
const OTHER_VERSION_LINE = /^[A-Za-z0-9.!%*_+`'~-]+ \S+ SIP\/(\d+\.\d+)$/;
const ANSWERABLE_VIA = /^SIP\s*\/\s*\d+\.\d+\s*\/\s*[A-Za-z]+\s+[^\s;,]+/i;
const USABLE_VIA = /^SIP\s*\/\s*2\.0\s*\/\s*[A-Za-z]+\s+[^\s;,]+/i;

/**
 * Splits the header block loosely: any `name: value` line, ignoring what does not fit; folded lines
 * (starting with SP/HT) are joined to the header before them (RFC 3261 §7.3.1).
 */
function looseHeaders(raw: string): { startLine: string; headers: LooseHeader[] } {
  const end = raw.search(/\r?\n\r?\n/);
  const lines = (end === -1 ? raw : raw.slice(0, end)).split(/\r?\n/);
  const headers: LooseHeader[] = [];
  let last: LooseHeader | undefined;
  for (const line of lines.slice(1)) {
    if (/^[ \t]/.test(line)) {
      if (last) last.value = `${last.value} ${line.trim()}`.trim();
      continue;
    }
    const m = /^([^:\s]+)\s*:\s*(.*)$/.exec(line);
    last = m ? { name: m[1]!, value: m[2]!.trim() } : undefined;
    if (last) headers.push(last);
  }
  return { startLine: lines[0] ?? '', headers };
}

/**
 * Builds a final response to a (possibly malformed) request, per RFC 3261 §8.2.6: all Via lines,
 * From, To (with a To tag added when absent), Call-ID and CSeq copied when present.
 * @param raw - the request as received.
 * @param status - e.g. 400.
 * @param phrase - reason phrase, e.g. `Missing Call-ID`.
 * @returns the response text, or undefined when the request has no usable Via to send it by.
 */
export function buildStatelessResponse(raw: string, status: number, phrase: string, extraHeaders: readonly string[] = []): string | undefined {
  const { headers } = looseHeaders(raw);
  const pick = (names: string[]): LooseHeader[] => headers.filter((h) => names.includes(h.name.toLowerCase()));
  const vias = pick(['via', 'v']);
  // Any version: a 505 answers a request whose Via says SIP/7.0/UDP (RFC 4475 §3.1.2.16 badvers).
  if (vias.length === 0 || !ANSWERABLE_VIA.test(vias[0]!.value)) return undefined;
  const lines = [`SIP/2.0 ${status} ${phrase}`];
  for (const v of vias) lines.push(`Via: ${v.value}`);
  const from = pick(['from', 'f'])[0];
  if (from) lines.push(`From: ${from.value}`);
  const to = pick(['to', 't'])[0];
  // RFC 3261 §8.2.6.2: a final response gets a To tag when the request had none (a 100 does not).
  if (to) lines.push(/;\s*tag\s*=/i.test(to.value) || status < 200 ? `To: ${to.value}` : `To: ${to.value};tag=${randomTag()}`);
  const callId = pick(['call-id', 'i'])[0];
  if (callId) lines.push(`Call-ID: ${callId.value}`);
  const cseq = pick(['cseq'])[0];
  if (cseq) lines.push(`CSeq: ${cseq.value}`);
  lines.push(...extraHeaders, 'Content-Length: 0', '', '');
  return lines.join('\r\n');
}

/** The start line and headers of a message (for answering an oversized one without reading its body). */
function headOf(raw: string): string {
  const end = raw.indexOf('\r\n\r\n');
  return end === -1 ? raw.slice(0, 8192) : raw.slice(0, end + 4);
}

/** The body of `text` (the delivered text, `raw` with a UDP body cut to Content-Length). */
function bodyOf(text: string, parsed: ParsedSipMessage, raw: string): string {
  if (text === raw) return parsed.body;
  return text.slice(raw.length - parsed.body.length);
}

function randomTag(): string {
  return Math.random().toString(36).slice(2, 12);
}

/** The error text sip.js's own parser gives for a message, or undefined when sip.js can read it. */
export function sipJsParseError(text: string): string | undefined {
  const errors: string[] = [];
  const factory = new Core.LoggerFactory();
  factory.builtinEnabled = false;
  factory.connector = (level: string, _category: string, _label: string | undefined, content: unknown) => {
    if (level === 'error' || level === 'warn') errors.push(String(content));
  };
  try {
    const msg = Core.Parser.parseMessage(text, factory.getLogger('sip.validation'));
    if (msg) return undefined;
    return errors[0] ?? 'sip.js could not parse the message';
  } catch (e) {
    return `sip.js parser threw: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** Turns a sip.js parse error such as `error parsing header 'From'` into a reason phrase. */
function phraseForSipJsError(error: string): string {
  const m = /header '([^']+)'/.exec(error);
  return m ? `Bad ${m[1]} Header` : 'Malformed Message';
}

/**
 * Refuses a message: a request with a usable Via gets a stateless `400 <phrase>` (RFC 3261 §8.2);
 * a response, an ACK, or a request without a usable Via is dropped. Either way `reason` says why.
 */
export function refuseInbound(
  raw: string,
  reason: string,
  phrase: string,
  status = 400,
  extraHeaders: readonly string[] = [],
): InboundDecision {
  const looseMethod = LOOSE_REQUEST_LINE.exec(looseHeaders(raw).startLine)?.[1]?.toUpperCase();
  if (looseMethod === undefined) return { action: 'drop', reason: `${reason}; not a request, dropped` };
  if (looseMethod === 'ACK') return { action: 'drop', reason: `${reason}; an ACK is never answered, dropped` };
  const response = buildStatelessResponse(raw, status, phrase, extraHeaders);
  if (!response) return { action: 'drop', reason: `${reason}; no usable Via to answer by, dropped` };
  return { action: 'reject', reason, status, phrase, response };
}

/** {@link refuseInbound} for a {@link RequestRefusal}. */
function refuseWith(raw: string, r: RequestRefusal): InboundDecision {
  return refuseInbound(raw, r.reason, r.phrase, r.status, r.extraHeaders);
}

/** The refusal of a message sip.js's own parser could not read, given its error text. */
export function refuseSipJsError(raw: string, sipJsError: string): InboundDecision {
  return refuseInbound(raw, `sip.js cannot parse it: ${sipJsError}`, phraseForSipJsError(sipJsError));
}

/**
 * Decides what to do with one complete incoming message.
 * @param raw - the message exactly as received (one datagram, or one framed stream message).
 * @param transport - how it came: on UDP the body is checked against Content-Length (on streams the
 *                    framer already cut it by Content-Length).
 * @param opts.parsed - `parseSipMessage(raw)` when the caller already has it.
 * @param opts.sipJs - `check` (default) also runs sip.js's parser on the text; `skip` leaves that to
 *                    the caller, which sees sip.js's own parse of the delivered text (the transport
 *                    does, through sipjs-parse-watch.ts, so that sip.js parses each message once).
 * @param opts.limits - size and header-count caps (default {@link DEFAULT_INBOUND_LIMITS}).
 * @returns the decision; never throws. Requests are checked in this order: size (513), start line
 *          (505 for another SIP version, else 400), header count, mandatory and single-valued
 *          headers, Via, method (501), CSeq, header values, Request-URI (416/404/400), Content-Length
 *          and Content-Type, Require (420), session body (415/406); see request-checks.ts.
 */
export function checkInbound(
  raw: string,
  transport: SipTransportKind,
  opts: { parsed?: ParsedSipMessage | SipParseError; sipJs?: 'check' | 'skip'; limits?: InboundLimits } = {},
): InboundDecision {
  const limits = opts.limits ?? DEFAULT_INBOUND_LIMITS;
  const refuse = (reason: string, phrase: string): InboundDecision => refuseInbound(raw, reason, phrase);
  const size = Buffer.byteLength(raw, 'utf8');
  if (size > limits.maxMessageBytes) {
    // Answered from the first lines only: nothing past the cap is read.
    const decision = refuseInbound(headOf(raw), `message of ${size} bytes exceeds the cap of ${limits.maxMessageBytes} bytes`, 'Message Too Large', 513);
    return decision.action === 'reject' ? { ...decision, cap: 'message-size' } : decision;
  }
  const parsed = opts.parsed ?? parseSipMessage(raw);
  if (isParseError(parsed)) {
    const version = OTHER_VERSION_LINE.exec(looseHeaders(raw).startLine)?.[1];
    if (version !== undefined && version !== '2.0') {
      return refuseInbound(raw, `SIP version ${version} is not supported`, 'Version Not Supported', 505);
    }
    const badStart = parsed.error.startsWith('not a SIP request or status line');
    return refuse(`unparseable message: ${parsed.error}`, badStart ? 'Bad Request-Line' : 'Malformed Message');
  }
  if (parsed.headers.length > limits.maxHeaders) {
    const decision = refuse(`${parsed.headers.length} headers exceed the cap of ${limits.maxHeaders}`, 'Too Many Headers');
    return decision.action === 'reject' ? { ...decision, cap: 'header-count' } : decision;
  }

  const missing = missingMandatoryHeaders(parsed);
  if (missing.length > 0) {
    const absent = missing.filter((m) => !m.includes('('));
    const phrase = absent.length > 0 ? `Missing ${absent.join(', ')}` : 'Bad CSeq';
    return refuse(`missing or unreadable mandatory header(s): ${missing.join(', ')}`, phrase);
  }
  const via = headerValues(parsed.headers, 'via')[0]!;
  if (!USABLE_VIA.test(via)) return refuse(`unreadable Via "${via.slice(0, 80)}"`, 'Bad Via Header');
  if (parsed.kind === 'request') {
    const r = checkSingleValued(parsed) ?? checkMethod(parsed) ?? checkCSeq(parsed) ?? checkHeaderValues(parsed) ?? checkRequestUri(parsed, transport);
    if (r) return refuseWith(raw, r);
  } else if (headerValues(parsed.headers, 'content-length').length > 1) {
    return refuse('several Content-Length headers in a response', 'Bad Content-Length');
  }

  let text = raw;
  const clValues = headerValues(parsed.headers, 'content-length');
  if (clValues.length > 0) {
    if (!clValues.every((v) => /^\d{1,9}$/.test(v)) || new Set(clValues).size > 1) {
      return refuse(`invalid Content-Length "${clValues.join(', ').slice(0, 60)}"`, 'Bad Content-Length');
    }
    const cl = Number(clValues[0]);
    // Counted, not copied: the copy is made only to cut a UDP body (every message has a body length).
    const bodyBytes = Buffer.byteLength(parsed.body, 'utf8');
    if (bodyBytes < cl) {
      return refuse(
        `body of ${bodyBytes} bytes is shorter than Content-Length ${cl}`,
        'Body Shorter Than Content-Length',
      );
    }
    if (bodyBytes > cl && transport === 'udp') {
      // RFC 3261 §18.3: on UDP, bytes past Content-Length are discarded.
      text = raw.slice(0, raw.length - parsed.body.length) + Buffer.from(parsed.body, 'utf8').subarray(0, cl).toString('utf8');
    }
  }
  const body = bodyOf(text, parsed, raw);
  if (parsed.kind === 'request') {
    const r = checkBodyHeaders(parsed, transport, body) ?? checkRequire(parsed) ?? checkSessionBody(parsed, body);
    if (r) return refuseWith(raw, r);
  } else if (body.length > 0 && !headerValue(parsed.headers, 'content-type')) {
    return refuse('a response body without Content-Type (RFC 3261 §7.4.1)', 'Missing Content-Type');
  }
  if (opts.sipJs !== 'skip') {
    const sipJsError = sipJsParseError(text);
    if (sipJsError) return refuseSipJsError(raw, sipJsError);
  }
  return { action: 'deliver', parsed, text };
}
