/**
 * Builds the {@link SipMessageRecord} of one message as it crossed the socket (design.md §4:
 * every SIP message is stamped at the socket with the monotonic clock).
 */
import type { Stamp } from '../clock';
import type { Direction, SipMessageRecord, SipTransportKind } from '../../shared/types';
import { headerValue, isParseError, parseCSeq, parseSipMessage, type ParsedSipMessage, type SipParseError } from './message';

/** Where and how a message crossed the socket. */
export interface WireContext {
  direction: Direction;
  transport: SipTransportKind;
  /** Local socket address `host:port`. */
  local: string;
  /** Remote socket address `host:port`. */
  remote: string;
  stamp: Stamp;
}

/** Where a record whose stamp is still to be replaced keeps the promise of it (not enumerable, not serialised). */
const STAMP_SETTLED = Symbol('stamp settled');

/**
 * Marks a record whose stamp will be replaced by a better one (a sent UDP datagram: the wire
 * thread's stamp as it went to the kernel, udp-wire.ts): `settled` mutates `rec.monoMs` and
 * `rec.wallMs` and then resolves; it never rejects (a failed send keeps the first stamp).
 * @returns the record itself
 */
export function withStampToSettle(rec: SipMessageRecord, settled: Promise<void>): SipMessageRecord {
  Object.defineProperty(rec, STAMP_SETTLED, { value: settled, enumerable: false });
  return rec;
}

/**
 * The promise that settles a record's stamp, or null when its stamp is already final. A store
 * writes such a record once it has settled (the recorder, scenarios/call-recorder.ts), so the
 * stored stamp is the socket's.
 */
export function stampSettled(rec: SipMessageRecord): Promise<void> | null {
  return (rec as SipMessageRecord & { [STAMP_SETTLED]?: Promise<void> })[STAMP_SETTLED] ?? null;
}

/** Where a record keeps the parse of its text, when it was made from one (not enumerable, not serialised). */
const PARSED = Symbol('parsed');

/**
 * The parse of `rec.raw` that the transport made as the message crossed the socket, so that a
 * reader of the record (call.ts reads its INVITE) need not parse it again; null when the record has
 * none (a record made elsewhere, a message that did not parse, or one whose credentials were
 * redacted: its parse would still hold them). Shared, not copied: read it, never change it.
 */
export function parsedOf(rec: SipMessageRecord): ParsedSipMessage | null {
  return (rec as SipMessageRecord & { [PARSED]?: ParsedSipMessage })[PARSED] ?? null;
}

/**
 * The parse of a record's text: the transport's ({@link parsedOf}), else parsed now from `rec.raw`
 * (a record made elsewhere, or one whose credentials were redacted).
 */
export function parseRecord(rec: SipMessageRecord): ParsedSipMessage | SipParseError {
  return parsedOf(rec) ?? parseSipMessage(rec.raw);
}

/** Header names whose values carry credentials (RFC 3261 §22.2, §22.3). */
const SECRET_HEADERS = /^(authorization|proxy-authorization)[ \t]*:/i;

/**
 * Replaces the credentials of `Authorization` and `Proxy-Authorization` headers with
 * `<scheme> [redacted]` (common rules: secrets never go into records). Other bytes are unchanged.
 * @returns the text, unchanged when it has no such header.
 */
export function redactCredentials(raw: string): string {
  const end = raw.indexOf('\r\n\r\n');
  const head = end === -1 ? raw : raw.slice(0, end);
  if (!/(^|\n)(proxy-)?authorization[ \t]*:/i.test(head)) return raw;
  const out: string[] = [];
  let inSecret = false;
  for (const line of head.split('\r\n')) {
    if (inSecret && /^[ \t]/.test(line)) continue; // folded continuation of a credential
    const m = SECRET_HEADERS.exec(line);
    inSecret = !!m;
    if (m) {
      const colon = line.indexOf(':');
      const scheme = /^\s*(\S+)/.exec(line.slice(colon + 1))?.[1] ?? '';
      out.push(`${line.slice(0, colon + 1)} ${scheme} [redacted]`);
    } else out.push(line);
  }
  return out.join('\r\n') + (end === -1 ? '' : raw.slice(end));
}

/**
 * Makes the record of one message. Credentials in Authorization headers are redacted
 * ({@link redactCredentials}); everything else is the exact wire text.
 * @param raw - the exact text on the wire.
 * @param parsed - its parse (or parse error: the record then has an empty Call-ID and method, and
 *                 the first line of the text).
 */
export function wireRecord(raw: string, parsed: ParsedSipMessage | SipParseError, ctx: WireContext): SipMessageRecord {
  const rec: SipMessageRecord = {
    callId: '',
    direction: ctx.direction,
    transport: ctx.transport,
    local: ctx.local,
    remote: ctx.remote,
    monoMs: ctx.stamp.monoMs,
    wallMs: ctx.stamp.wallMs,
    firstLine: isParseError(parsed) ? raw.slice(0, Math.max(0, raw.search(/\r?\n|$/))) : parsed.startLine,
    method: '',
    raw: redactCredentials(raw),
  };
  if (isParseError(parsed)) return rec;
  if (rec.raw === raw) Object.defineProperty(rec, PARSED, { value: parsed, enumerable: false });
  rec.callId = headerValue(parsed.headers, 'call-id') ?? '';
  if (parsed.kind === 'request') {
    rec.method = parsed.method ?? '';
  } else {
    rec.method = parseCSeq(parsed.headers)?.method ?? '';
    rec.status = parsed.status;
  }
  return rec;
}
