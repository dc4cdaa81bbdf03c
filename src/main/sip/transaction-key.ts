/**
 * Server transaction matching for requests whose top Via has no RFC 3261 branch (RFC 3261
 * §17.2.3). sip.js 0.21.2 finds a server transaction by the top Via branch alone, so every request
 * without a branch shares the transaction id "undefined" (one RFC 2543 INVITE swallows the next).
 *
 * {@link Rfc2543Branches} gives such a request, before sip.js sees it, a branch computed from the
 * RFC 2543 matching rules, and puts the peer's own branch back (or removes ours) in every response
 * going out, so the peer sees its Via unchanged (§8.2.6.2, §18.2.2):
 * - the key is the Request-URI, From tag, Call-ID, CSeq number, top Via (without its branch) and the
 *   method, with ACK and CANCEL keyed as the INVITE they belong to (§17.2.3, §9.2);
 * - the To tag is left out of the key, because an ACK to a non-2xx carries the tag our response
 *   added; instead an ACK gets its INVITE's branch only when that INVITE got a non-2xx final (so the
 *   INVITE server transaction absorbs it, §17.2.1); an ACK to a 2xx gets a branch of its own and goes
 *   to the dialog, as sip.js expects (§13.3.1.4).
 * Entries live 64·T1 after their last use, then go (bounded live state).
 *
 * @remarks RFC 3261 §17.2.3 (matching with and without the magic cookie `z9hG4bK`), §8.1.1.7.
 */
import { createHash } from 'node:crypto';
import { monoNow } from '../clock';
import { headerTag, headerValue, parseCSeq, topVia, viaBranch, type ParsedSipMessage } from './message';

/** RFC 3261 §8.1.1.7: a branch starting with this was made by an RFC 3261 element. */
export const MAGIC_COOKIE = 'z9hG4bK';

/** Prefix of the branches made here (never sent to a peer). */
const SYNTH_PREFIX = `${MAGIC_COOKIE}.2543.`;

/** True when the Via's branch starts with the magic cookie (case-sensitive, §8.1.1.7). */
export function hasRfc3261Branch(via: string | undefined): boolean {
  const b = via ? viaBranch(via) : undefined;
  return b !== undefined && b.startsWith(MAGIC_COOKIE);
}

/**
 * RFC 2543 compatibility (RFC 4475 §3.4 inv2543): an INVITE from an RFC 2543 UA (no magic-cookie
 * branch) may lack the Contact RFC 3261 §8.1.1.8 requires, and sip.js refuses it (400). The text
 * gets `Contact: <sip:[from user@]sent-by>` from the top Via (as RFC 2543 UAs are reached), so that
 * the call can be answered and its BYE has a target.
 * @returns the text with the Contact added, or unchanged when it has one, is not such an INVITE,
 *          or has a To tag.
 */
export function addRfc2543Contact(text: string, msg: ParsedSipMessage): string {
  if (msg.kind !== 'request' || msg.method !== 'INVITE' || headerValue(msg.headers, 'contact') !== undefined) return text;
  const via = topVia(msg.headers);
  if (!via || hasRfc3261Branch(via) || headerTag(headerValue(msg.headers, 'to'))) return text;
  const sentBy = /^SIP\s*\/\s*2\.0\s*\/\s*[A-Za-z]+\s+([^;,\s]+)/i.exec(via)?.[1];
  if (!sentBy) return text;
  const user = /<?sips?:([^@>;\s]+)@/i.exec(headerValue(msg.headers, 'from') ?? '')?.[1];
  const headEnd = text.indexOf('\r\n\r\n');
  if (headEnd === -1) return text;
  return `${text.slice(0, headEnd)}\r\nContact: <sip:${user ? `${user}@` : ''}${sentBy}>${text.slice(headEnd)}`;
}

/** The top Via without its branch parameter, spaces squeezed (a retransmission copies it). */
function viaWithoutBranch(via: string): string {
  return via.replace(/;\s*branch\s*=\s*[^;,\s]*/i, '').replace(/\s+/g, ' ').trim();
}

/**
 * The RFC 2543 transaction key of a request (§17.2.3): Request-URI, From tag, Call-ID, CSeq
 * number, top Via without branch, and the method (ACK and CANCEL as INVITE).
 */
export function rfc2543Key(msg: ParsedSipMessage): string {
  const cseq = parseCSeq(msg.headers);
  const method = msg.method === 'ACK' || msg.method === 'CANCEL' ? 'INVITE' : (msg.method ?? '');
  return [
    msg.requestUri ?? '',
    headerTag(headerValue(msg.headers, 'from')) ?? '',
    headerValue(msg.headers, 'call-id') ?? '',
    cseq?.seq ?? '',
    viaWithoutBranch(topVia(msg.headers) ?? ''),
    method,
  ].join('\n');
}

function hashBranch(key: string): string {
  return SYNTH_PREFIX + createHash('sha1').update(key).digest('base64url').slice(0, 20);
}

interface Entry {
  /** The peer's branch text (without `;branch=`), or undefined when it had none. */
  original: string | undefined;
  /** Final status we sent for an INVITE (0 while none). */
  finalStatus: number;
  expiresAt: number;
}

/**
 * Rewrites the branch of RFC 2543 requests on the way in and restores it on the way out.
 * Never throws; a message it cannot handle passes unchanged.
 */
export class Rfc2543Branches {
  private readonly bySynth = new Map<string, Entry>();

  /** @param ttlMs - how long an entry outlives its last use (ms); 64·T1 = 32 s by default. */
  constructor(private readonly ttlMs = 32_000) {}

  /** Number of live entries (for `liveMapSizes`). */
  get size(): number {
    return this.bySynth.size;
  }

  /**
   * An incoming request: unchanged when its top Via has an RFC 3261 branch; else the text with the
   * top Via's branch replaced (or added) by the one its RFC 2543 key gives.
   */
  inbound(text: string, msg: ParsedSipMessage): string {
    const via = topVia(msg.headers);
    if (msg.kind !== 'request' || !via || hasRfc3261Branch(via)) return text;
    const key = rfc2543Key(msg);
    let synth = hashBranch(key);
    if (msg.method === 'ACK') {
      const invite = this.bySynth.get(synth);
      // An ACK to a 2xx is its own transaction (it goes to the dialog); to a non-2xx, the INVITE's.
      if (!invite || invite.finalStatus < 300) synth = hashBranch(`${key}\nACK`);
    }
    this.sweep();
    const prev = this.bySynth.get(synth);
    this.bySynth.set(synth, { original: viaBranch(via), finalStatus: prev?.finalStatus ?? 0, expiresAt: monoNow() + this.ttlMs });
    return replaceTopViaBranch(text, synth);
  }

  /**
   * An outgoing response: the text with the peer's own branch restored (or our added one removed)
   * when its top Via carries a branch made here; notes an INVITE's final status.
   */
  outbound(text: string, msg: ParsedSipMessage): string {
    if (msg.kind !== 'response') return text;
    const via = topVia(msg.headers);
    const branch = via ? viaBranch(via) : undefined;
    if (!branch?.startsWith(SYNTH_PREFIX)) return text;
    const entry = this.bySynth.get(branch);
    if (!entry) return text.replace(`;branch=${branch}`, '');
    if ((msg.status ?? 0) >= 200 && parseCSeq(msg.headers)?.method === 'INVITE') entry.finalStatus = msg.status ?? 0;
    entry.expiresAt = monoNow() + this.ttlMs;
    return text.replace(`;branch=${branch}`, entry.original !== undefined ? `;branch=${entry.original}` : '');
  }

  /** Forgets everything. */
  clear(): void {
    this.bySynth.clear();
  }

  private sweep(): void {
    const now = monoNow();
    for (const [k, e] of this.bySynth) {
      if (e.expiresAt <= now) this.bySynth.delete(k);
    }
  }
}

/**
 * Replaces the whole first Via header (with its folded lines) by one line whose first value carries
 * `;branch=<branch>` in place of its branch parameter; other values of that line are kept.
 */
export function replaceTopViaBranch(text: string, branch: string): string {
  const headEnd = text.indexOf('\r\n\r\n');
  const head = headEnd === -1 ? text : text.slice(0, headEnd);
  const lines = head.split('\r\n');
  const first = lines.findIndex((l, i) => i > 0 && /^(via|v)[ \t]*:/i.test(l));
  if (first === -1) return text;
  let last = first;
  while (last + 1 < lines.length && /^[ \t]/.test(lines[last + 1]!)) last++;
  const value = lines
    .slice(first, last + 1)
    .map((l, i) => (i === 0 ? l.slice(l.indexOf(':') + 1) : l))
    .map((l) => l.trim())
    .join(' ');
  const comma = topValueEnd(value);
  const top = value.slice(0, comma).trim();
  const rest = value.slice(comma);
  const rewritten = /;\s*branch\s*=\s*[^;,\s]*/i.test(top)
    ? top.replace(/;\s*branch\s*=\s*[^;,\s]*/i, `;branch=${branch}`)
    : `${top.replace(/;\s*$/, '')};branch=${branch}`;
  lines.splice(first, last - first + 1, `Via: ${rewritten}${rest}`);
  return lines.join('\r\n') + (headEnd === -1 ? '' : text.slice(headEnd));
}

/** Index of the comma that ends the first value of a Via header (outside quotes), or its length. */
function topValueEnd(value: string): number {
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"' && value[i - 1] !== '\\') quoted = !quoted;
    else if (c === ',' && !quoted) return i;
  }
  return value.length;
}
