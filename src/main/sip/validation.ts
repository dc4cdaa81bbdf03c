/**
 * Checks every incoming SIP message before sip.js sees it, and decides: deliver it, answer it with
 * a `400 Bad Request` naming the problem, or drop it. sip.js drops most malformed messages silently
 * (or throws on some, e.g. a response without a readable CSeq); this module makes the decision
 * explicit and loggable.
 *
 * @remarks
 * RFC 3261 §8.2.2 / §8.1.1 (mandatory headers), §18.3 (Content-Length: on UDP a body shorter than
 * Content-Length is an error and a longer one is truncated), §8.2.6 (building a response to a
 * request: copy Via, From, To, Call-ID, CSeq), §17.1.1.3 (never answer an ACK).
 */
import { Core } from 'sip.js';
import type { SipTransportKind } from '../../shared/types';
import {
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
  /** Answer `response` (a `400 <phrase>` built from the request) and do not hand it to sip.js. */
  | { action: 'reject'; reason: string; status: number; phrase: string; response: string }
  /** Drop it: a response, an ACK, or a request without a usable Via cannot be answered. */
  | { action: 'drop'; reason: string };

/** A header line as read by the lenient scanner (used when the strict parser failed). */
interface LooseHeader {
  name: string;
  value: string;
}

const LOOSE_REQUEST_LINE = /^([A-Za-z]+) \S+ SIP\/2\.0\s*$/;
const USABLE_VIA = /^SIP\s*\/\s*2\.0\s*\/\s*[A-Za-z]+\s+[^\s;,]+/i;

/** Splits the header block loosely: any `name: value` line, ignoring what does not fit. */
function looseHeaders(raw: string): { startLine: string; headers: LooseHeader[] } {
  const end = raw.search(/\r?\n\r?\n/);
  const lines = (end === -1 ? raw : raw.slice(0, end)).split(/\r?\n/);
  const headers: LooseHeader[] = [];
  for (const line of lines.slice(1)) {
    const m = /^([^:\s]+)\s*:\s*(.*)$/.exec(line);
    if (m) headers.push({ name: m[1]!, value: m[2]!.trim() });
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
export function buildStatelessResponse(raw: string, status: number, phrase: string): string | undefined {
  const { headers } = looseHeaders(raw);
  const pick = (names: string[]): LooseHeader[] => headers.filter((h) => names.includes(h.name.toLowerCase()));
  const vias = pick(['via', 'v']);
  if (vias.length === 0 || !USABLE_VIA.test(vias[0]!.value)) return undefined;
  const lines = [`SIP/2.0 ${status} ${phrase}`];
  for (const v of vias) lines.push(`Via: ${v.value}`);
  const from = pick(['from', 'f'])[0];
  if (from) lines.push(`From: ${from.value}`);
  const to = pick(['to', 't'])[0];
  if (to) lines.push(/;\s*tag=/i.test(to.value) ? `To: ${to.value}` : `To: ${to.value};tag=${randomTag()}`);
  const callId = pick(['call-id', 'i'])[0];
  if (callId) lines.push(`Call-ID: ${callId.value}`);
  const cseq = pick(['cseq'])[0];
  if (cseq) lines.push(`CSeq: ${cseq.value}`);
  lines.push('Content-Length: 0', '', '');
  return lines.join('\r\n');
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
export function refuseInbound(raw: string, reason: string, phrase: string): InboundDecision {
  const looseMethod = LOOSE_REQUEST_LINE.exec(looseHeaders(raw).startLine)?.[1]?.toUpperCase();
  if (looseMethod === undefined) return { action: 'drop', reason: `${reason}; not a request, dropped` };
  if (looseMethod === 'ACK') return { action: 'drop', reason: `${reason}; an ACK is never answered, dropped` };
  const response = buildStatelessResponse(raw, 400, phrase);
  if (!response) return { action: 'drop', reason: `${reason}; no usable Via to answer by, dropped` };
  return { action: 'reject', reason, status: 400, phrase, response };
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
 * @returns the decision; never throws.
 */
export function checkInbound(
  raw: string,
  transport: SipTransportKind,
  opts: { parsed?: ParsedSipMessage | SipParseError; sipJs?: 'check' | 'skip' } = {},
): InboundDecision {
  const parsed = opts.parsed ?? parseSipMessage(raw);
  const refuse = (reason: string, phrase: string): InboundDecision => refuseInbound(raw, reason, phrase);
  if (isParseError(parsed)) return refuse(`unparseable message: ${parsed.error}`, 'Malformed Message');

  const missing = missingMandatoryHeaders(parsed);
  if (missing.length > 0) {
    const absent = missing.filter((m) => !m.includes('('));
    const phrase = absent.length > 0 ? `Missing ${absent.join(', ')}` : 'Bad CSeq';
    return refuse(`missing or unreadable mandatory header(s): ${missing.join(', ')}`, phrase);
  }
  const via = headerValues(parsed.headers, 'via')[0]!;
  if (!USABLE_VIA.test(via)) return refuse(`unreadable Via "${via.slice(0, 80)}"`, 'Bad Via Header');

  let text = raw;
  const clValues = headerValues(parsed.headers, 'content-length');
  if (clValues.length > 0) {
    if (!clValues.every((v) => /^\d{1,9}$/.test(v)) || new Set(clValues).size > 1) {
      return refuse(`invalid Content-Length "${clValues.join(', ').slice(0, 60)}"`, 'Bad Content-Length');
    }
    const cl = Number(clValues[0]);
    const body = Buffer.from(parsed.body, 'utf8');
    if (body.length < cl) {
      return refuse(
        `body of ${body.length} bytes is shorter than Content-Length ${cl}`,
        'Body Shorter Than Content-Length',
      );
    }
    if (body.length > cl && transport === 'udp') {
      // RFC 3261 §18.3: on UDP, bytes past Content-Length are discarded.
      text = raw.slice(0, raw.length - parsed.body.length) + body.subarray(0, cl).toString('utf8');
    }
  }
  if (opts.sipJs !== 'skip') {
    const sipJsError = sipJsParseError(text);
    if (sipJsError) return refuseSipJsError(raw, sipJsError);
  }
  return { action: 'deliver', parsed, text };
}
