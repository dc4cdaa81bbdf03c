/**
 * A light reader of raw SIP messages that keeps what sip.js's parser loses: the original spelling,
 * case and order of header names (sip.js "headerizes" `X-ContactID` into `X-Contactid`).
 *
 * It reads one complete message (as framed by the transport) and never throws on bad input: it
 * returns a {@link SipParseError} that says what is wrong, so the transport can answer 400 or drop
 * the message with a logged reason.
 *
 * @remarks RFC 3261 §7 (message format), §7.3.1 (header folding, multiple values), §7.3.3 (compact forms).
 */
import type { SipHeader } from '../../shared/types';

/** Compact header forms of RFC 3261 §7.3.3 and RFC 3515/3841, mapped to their long names (lower case). */
export const COMPACT_HEADER_FORMS: Readonly<Record<string, string>> = {
  i: 'call-id',
  m: 'contact',
  e: 'content-encoding',
  l: 'content-length',
  c: 'content-type',
  f: 'from',
  s: 'subject',
  k: 'supported',
  t: 'to',
  v: 'via',
  r: 'refer-to',
  o: 'event',
  u: 'allow-events',
};

/** A parsed SIP message: start line, headers in wire order, body. */
export interface ParsedSipMessage {
  kind: 'request' | 'response';
  startLine: string;
  /** Request method (requests only). */
  method?: string;
  /** Request-URI (requests only). */
  requestUri?: string;
  /** Status code (responses only). */
  status?: number;
  reason?: string;
  /** Headers in wire order, names as received, folded lines joined. */
  headers: SipHeader[];
  body: string;
}

/** Why a message could not be read. */
export interface SipParseError {
  error: string;
}

const REQUEST_LINE = /^([A-Za-z0-9.!%*_+`'~-]+) (\S+) SIP\/2\.0$/;
const STATUS_LINE = /^SIP\/2\.0 ([1-6]\d\d)(?: (.*))?$/;

/** Lower-case long name of a header name, resolving compact forms. */
export function canonicalHeaderName(name: string): string {
  const known = canonicalNames.get(name);
  if (known !== undefined) return known;
  const lower = name.toLowerCase();
  // own keys only: a header named `constructor` or `__proto__` is not a compact form
  const canonical = Object.hasOwn(COMPACT_HEADER_FORMS, lower) ? COMPACT_HEADER_FORMS[lower]! : lower;
  // Memoized for the few names real traffic uses (each message's headers are looked up many
  // times: ~1 ms a call at 200 calls/s); bounded, so a peer's made-up names cannot grow it.
  if (canonicalNames.size < MAX_CANONICAL_NAMES) canonicalNames.set(name, canonical);
  return canonical;
}

/** Header names as written → canonical names (see {@link canonicalHeaderName}). */
const canonicalNames = new Map<string, string>();
/** How many spellings {@link canonicalNames} keeps. */
const MAX_CANONICAL_NAMES = 512;

/**
 * Parses one SIP message.
 * @param raw - the complete message text (start line, headers, blank line, body).
 * @returns the parsed message, or `{ error }` describing the first problem found.
 */
export function parseSipMessage(raw: string): ParsedSipMessage | SipParseError {
  // The head ends at the first empty line (CRLF CRLF, else LF LF); lines end at LF, less one CR
  // before it. Read in place (indexOf and charCodeAt), not split: it runs for every message.
  let headEnd = raw.indexOf('\r\n\r\n');
  let bodyStart = headEnd + 4;
  if (headEnd === -1) {
    headEnd = raw.indexOf('\n\n');
    if (headEnd === -1) return { error: 'no blank line after the headers' };
    bodyStart = headEnd + 2;
  }
  const body = raw.slice(bodyStart);
  let startLine: string | undefined;
  const headers: SipHeader[] = [];
  let pos = 0;
  while (pos <= headEnd) {
    let nl = raw.indexOf('\n', pos);
    if (nl === -1 || nl >= headEnd) nl = headEnd;
    // A CR is part of the line ending only before an LF inside the head.
    const end = nl < headEnd && nl > pos && raw.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    const lineStart = pos;
    pos = nl + 1;
    if (startLine === undefined) {
      startLine = raw.slice(lineStart, end);
      continue;
    }
    if (end === lineStart) continue;
    const first = raw.charCodeAt(lineStart);
    if (first === 32 || first === 9) {
      const last = headers[headers.length - 1];
      const line = raw.slice(lineStart, end);
      if (!last) return { error: `continuation line before any header: "${line.slice(0, 40)}"` };
      last.value = last.value === '' ? line.trim() : `${last.value} ${line.trim()}`;
      continue;
    }
    const colon = raw.indexOf(':', lineStart);
    if (colon === -1 || colon >= end || colon === lineStart) return { error: `header line without a name and colon: "${raw.slice(lineStart, Math.min(end, lineStart + 60))}"` };
    const name = raw.slice(lineStart, colon).trim();
    if (!HEADER_NAME.test(name)) return { error: `invalid header name "${name.slice(0, 60)}"` };
    headers.push({ name, value: raw.slice(colon + 1, end).trim() });
  }
  startLine ??= '';
  const req = REQUEST_LINE.exec(startLine);
  if (req) {
    return { kind: 'request', startLine, method: req[1]!.toUpperCase(), requestUri: req[2]!, headers, body };
  }
  const res = STATUS_LINE.exec(startLine);
  if (res) {
    return { kind: 'response', startLine, status: Number(res[1]), reason: res[2] ?? '', headers, body };
  }
  return { error: `not a SIP request or status line: "${startLine.slice(0, 80)}"` };
}

/** A header name: an RFC 3261 §25.1 token. */
const HEADER_NAME = /^[A-Za-z0-9.!%*_+`'~-]+$/;

/** True when `parseSipMessage` failed. */
export function isParseError(m: ParsedSipMessage | SipParseError): m is SipParseError {
  return 'error' in m;
}

/** All values of a header (case-insensitive, compact forms resolved), in wire order. */
export function headerValues(headers: readonly SipHeader[], name: string): string[] {
  const want = canonicalHeaderName(name);
  return headers.filter((h) => canonicalHeaderName(h.name) === want).map((h) => h.value);
}

/** First value of a header (case-insensitive, compact forms resolved), or undefined. */
export function headerValue(headers: readonly SipHeader[], name: string): string | undefined {
  // A loop that stops at the first match (called several times per message: no arrays built).
  const want = canonicalHeaderName(name);
  for (const h of headers) if (canonicalHeaderName(h.name) === want) return h.value;
  return undefined;
}

/**
 * The topmost Via value. A header line may hold several comma-separated Via values (RFC 3261
 * §7.3.1); the first one is the top.
 */
export function topVia(headers: readonly SipHeader[]): string | undefined {
  const v = headerValue(headers, 'via');
  if (v === undefined) return undefined;
  return splitHeaderList(v)[0];
}

/** The `branch` parameter of a Via value, or undefined. */
export function viaBranch(via: string): string | undefined {
  return /;\s*branch=([^;,\s]+)/i.exec(via)?.[1];
}

/** Splits a comma-separated header value, ignoring commas inside quotes or angle brackets. */
export function splitHeaderList(value: string): string[] {
  const out: string[] = [];
  let depthAngle = 0;
  let inQuote = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '"' && value[i - 1] !== '\\') inQuote = !inQuote;
    else if (!inQuote && ch === '<') depthAngle++;
    else if (!inQuote && ch === '>') depthAngle = Math.max(0, depthAngle - 1);
    else if (!inQuote && depthAngle === 0 && ch === ',') {
      out.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(value.slice(start).trim());
  return out.filter((s) => s !== '');
}

/** The `tag` parameter of a From or To value, or undefined. */
export function headerTag(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const afterUri = value.includes('>') ? value.slice(value.lastIndexOf('>')) : value;
  return /;\s*tag=([^;\s]+)/i.exec(afterUri)?.[1];
}

/** CSeq number and method, or undefined if absent or malformed. */
export function parseCSeq(headers: readonly SipHeader[]): { seq: number; method: string } | undefined {
  const m = /^(\d+)\s+([A-Za-z0-9.!%*_+`'~-]+)$/.exec(headerValue(headers, 'cseq') ?? '');
  return m ? { seq: Number(m[1]), method: m[2]!.toUpperCase() } : undefined;
}

/**
 * The headers every request and response must carry (RFC 3261 §8.1.1, §8.2.2 is stricter for
 * requests: To, From, CSeq, Call-ID, Max-Forwards, Via). Max-Forwards is not required here because
 * many peers omit it on responses and some on requests.
 * @returns the names of the mandatory headers that are missing or unreadable (empty if none).
 */
export function missingMandatoryHeaders(msg: ParsedSipMessage): string[] {
  const missing: string[] = [];
  for (const name of ['Via', 'From', 'To', 'Call-ID', 'CSeq']) {
    if (!headerValue(msg.headers, name)) missing.push(name);
  }
  if (!missing.includes('CSeq') && !parseCSeq(msg.headers)) missing.push('CSeq (unreadable)');
  return missing;
}
