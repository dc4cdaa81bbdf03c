/**
 * Server transaction matching (RFC 3261 §17.2.3) on top of sip.js 0.21.2, which finds a server
 * transaction by the top Via branch alone (`message.viaBranch`, "FIXME: Currently only using rule
 * 1"). Before sip.js sees a request, {@link ServerTransactionBranches} rewrites its top Via branch
 * so that sip.js's branch-only lookup becomes the §17.2.3 lookup, and puts the peer's own branch
 * back (or removes ours) in every response going out, so the peer sees its Via unchanged
 * (§8.2.6.2, §18.2.2).
 *
 * With the magic cookie `z9hG4bK` (§17.2.3, first rule): a request matches a transaction when its
 * branch, its top Via's sent-by and its method are equal, ACK counting as INVITE. So the branch
 * sip.js sees is the peer's branch plus a suffix hashed from (branch, sent-by, method):
 * - the sent-by is compared with the host in lower case and an absent port read as the default
 *   (5060, 5061 for TLS: §18.2.2, §19.1.2), so a retransmission spelled `Host` or `host:5060`
 *   still matches, and two clients that chose the same branch (a branch is unique only per
 *   sent-by, §8.1.1.7) get two transactions;
 * - ACK and CANCEL get the INVITE's suffix: an ACK to a non-2xx final is absorbed by the INVITE
 *   server transaction (§17.2.1), an ACK to a 2xx carries a new branch and reaches the dialog
 *   (§13.3.1.4), and sip.js finds the INVITE a CANCEL cancels by that branch (§9.2). The CANCEL is
 *   still a transaction of its own where it is kept (the UDP response cache keys branch and CSeq
 *   method, udp-retransmit.ts), so its retransmission gets the same 200 again.
 *   Assumed here: a CANCEL of a non-INVITE request gets 481, not 200 (§9.1: a CANCEL SHOULD NOT be
 *   sent for a non-INVITE request, and it would have no effect on it, §9.2).
 * The suffix carries its own check (it is recomputed from the response's top Via and CSeq method),
 * so no state is kept for these requests.
 *
 * Without the magic cookie (RFC 2543 rules, §17.2.3), the request gets a branch computed from:
 * - the Request-URI, From tag, Call-ID, CSeq number, top Via (without its branch) and the method,
 *   with ACK and CANCEL keyed as the INVITE they belong to (§17.2.3, §9.2);
 * - the To tag is left out of the key, because an ACK to a non-2xx carries the tag our response
 *   added; instead an ACK gets its INVITE's branch only when that INVITE got a non-2xx final (so the
 *   INVITE server transaction absorbs it, §17.2.1); an ACK to a 2xx gets a branch of its own and goes
 *   to the dialog, as sip.js expects (§13.3.1.4).
 * Those entries live 64·T1 after their last use, then go (bounded live state).
 * A request whose top Via has no branch is never keyed on the missing branch (sip.js would put every
 * such request in one transaction "undefined").
 *
 * The transport passes every incoming message through {@link ServerTransactionBranches.rekey} and
 * every outgoing one through {@link ServerTransactionBranches.restore}; these also write tel: From
 * and To URIs as SIP URIs sip.js can read, and back (tel-identity.ts).
 *
 * @remarks RFC 3261 §17.2.3 (matching with and without the magic cookie `z9hG4bK`), §8.1.1.7.
 */
import { hash } from 'node:crypto';
import { monoNow } from '../clock';
import { headerTag, headerValue, parseCSeq, topVia, viaBranch, type ParsedSipMessage } from './message';
import { sipToTel, telToSip } from './tel-identity';
import { appendToTopViaBranch, editTopViaBranch, reparsed, replaceTopViaBranch, topViaOf, type KeyedMessage } from './top-via-edit';

export type { KeyedMessage } from './top-via-edit';

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
  return SYNTH_PREFIX + hash('sha1', key, 'base64url').slice(0, 20);
}

/**
 * The sent-by of a Via value as §17.2.3 compares it: `host:port`, the host in lower case, the port
 * as a number, an absent port read as the default of the Via's transport (5061 for TLS, else 5060:
 * RFC 3261 §18.2.2, §19.1.2). An IPv6 reference keeps its brackets. A sent-by that is not
 * `host[:port]` (e.g. a port of six digits) is compared as written, in lower case.
 * @returns undefined when the value has no `SIP/2.0/<transport> <sent-by>`.
 */
export function normalizedSentBy(via: string): string | undefined {
  const m = /^SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z]+)\s+(\[[^\]\s]*\]|[^\s;,:[\]]+)(?:\s*:\s*(\d{1,5}))?(?=[\s;,]|$)/i.exec(via);
  if (!m) return /^SIP\s*\/\s*2\.0\s*\/\s*[A-Za-z]+\s+([^\s;,]+)/i.exec(via)?.[1]?.toLowerCase();
  const port = m[3] !== undefined ? Number(m[3]) : m[1]!.toUpperCase() === 'TLS' ? 5061 : 5060;
  return `${m[2]!.toLowerCase()}:${port}`;
}

/** §17.2.3: the method a request is matched by; ACK as INVITE, CANCEL as INVITE for sip.js's §9.2 lookup. */
function matchingMethod(method: string): string {
  return method === 'ACK' || method === 'CANCEL' ? 'INVITE' : method;
}

/** Marks the suffix this module adds to a magic-cookie branch: `.s` and 16 hex digits. */
const SENT_BY_MARK = '.s';
const SENT_BY_SUFFIX_LENGTH = SENT_BY_MARK.length + 16;

function sentBySuffix(branch: string, sentBy: string, method: string): string {
  // One-shot hash (crypto.hash): ~0.4 µs, against ~1.5 µs for createHash; it runs for every request and response.
  const h = hash('sha1', `${branch}\n${sentBy}\n${matchingMethod(method)}`, 'hex');
  return SENT_BY_MARK + h.slice(0, 16);
}

/**
 * The branch sip.js sees for a request with a magic-cookie branch (RFC 3261 §17.2.3): the peer's
 * branch plus a suffix hashed from that branch, the normalized sent-by ({@link normalizedSentBy})
 * and the method (ACK and CANCEL as INVITE). Equal for a retransmission, different for another
 * client or another method.
 */
export function sentByBranch(branch: string, sentBy: string, method: string): string {
  return branch + sentBySuffix(branch, sentBy, method);
}

/**
 * The peer's own branch of a response's top Via when that branch is one {@link sentByBranch} made
 * (recomputed from the same Via's sent-by and the CSeq method), else undefined.
 */
export function peerBranchOf(branch: string, via: string, cseqMethod: string): string | undefined {
  if (branch.length <= SENT_BY_SUFFIX_LENGTH || branch.slice(-SENT_BY_SUFFIX_LENGTH, -16) !== SENT_BY_MARK) return undefined;
  const original = branch.slice(0, -SENT_BY_SUFFIX_LENGTH);
  const sentBy = normalizedSentBy(via);
  if (sentBy === undefined || !original.startsWith(MAGIC_COOKIE)) return undefined;
  return sentBySuffix(original, sentBy, cseqMethod) === branch.slice(-SENT_BY_SUFFIX_LENGTH) ? original : undefined;
}

interface Entry {
  /** The peer's branch text (without `;branch=`), or undefined when it had none. */
  original: string | undefined;
  /** Final status we sent for an INVITE (0 while none). */
  finalStatus: number;
  expiresAt: number;
}

/**
 * Rewrites the top Via branch of every incoming request into its §17.2.3 transaction key (see the
 * module comment) and restores the peer's branch in every outgoing response.
 * Never throws; a message it cannot handle passes unchanged.
 */
export class ServerTransactionBranches {
  private readonly bySynth = new Map<string, Entry>();

  /** @param ttlMs - how long an entry outlives its last use (ms); 64·T1 = 32 s by default. */
  constructor(private readonly ttlMs = 32_000) {}

  /** Number of live RFC 2543 entries (for `liveMapSizes`; magic-cookie requests keep no state). */
  get size(): number {
    return this.bySynth.size;
  }

  /**
   * An incoming request: the text with its top Via's branch replaced (or added) by its §17.2.3
   * key: {@link sentByBranch} for a magic-cookie branch, else the one its RFC 2543 key gives.
   * Unchanged when it is not a request or has no readable top Via.
   */
  inbound(text: string, msg: ParsedSipMessage): string {
    const via = topVia(msg.headers);
    if (msg.kind !== 'request' || !via) return text;
    if (hasRfc3261Branch(via)) {
      const sentBy = normalizedSentBy(via);
      const branch = viaBranch(via)!;
      return sentBy === undefined ? text : appendToTopViaBranch(text, branch, sentBySuffix(branch, sentBy, msg.method ?? ''));
    }
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
   * when its top Via carries a branch made here; notes an RFC 2543 INVITE's final status.
   */
  outbound(text: string, msg: ParsedSipMessage): string {
    const edit = this.outboundEdit(msg);
    return edit ? text.replace(edit.needle, edit.replacement) : text;
  }

  /**
   * {@link inbound} and, for an RFC 2543 INVITE, {@link addRfc2543Contact}, with the parse of the
   * result (for the transport, which hands the text to sip.js and keeps the parse). When only the
   * top Via's branch changed, the given parse is copied with that one header value edited; else
   * the result is parsed again. In a request or a response, a tel: URI in From or To is also
   * written as a SIP URI sip.js can read (tel-identity.ts; {@link restore} writes it back).
   * A response's branch is left alone (it is one of ours).
   * @returns `text` and `msg` unchanged when nothing changed or the result cannot be parsed.
   */
  rekey(text: string, msg: ParsedSipMessage): KeyedMessage {
    const keyed = msg.kind === 'request' ? this.keyed(text, msg) : { text, parsed: msg };
    // Also the message as sip.js can read it: tel: From/To URIs as SIP URIs (tel-identity.ts).
    return reparsed(keyed.text, keyed.parsed, telToSip(keyed.text));
  }

  /**
   * {@link outbound} with the parse of the result, as {@link rekey} makes it; in any outgoing
   * message (request or response), the tel: From/To URIs {@link rekey} rewrote are written back.
   */
  restore(text: string, msg: ParsedSipMessage): KeyedMessage {
    const edit = this.outboundEdit(msg);
    const restored = !edit
      ? { text, parsed: msg }
      : (editTopViaBranch(text, msg, edit.needle, edit.replacement) ?? reparsed(text, msg, text.replace(edit.needle, edit.replacement)));
    return reparsed(restored.text, restored.parsed, sipToTel(restored.text));
  }

  /** The request with its §17.2.3 branch (and an RFC 2543 INVITE's Contact), and its parse. */
  private keyed(text: string, msg: ParsedSipMessage): KeyedMessage {
    const via = topViaOf(msg);
    if (via && hasRfc3261Branch(via)) {
      const sentBy = normalizedSentBy(via);
      if (sentBy === undefined) return { text, parsed: msg };
      const branch = viaBranch(via)!;
      const needle = /;\s*branch=[^;,\s]+/i.exec(via)![0];
      const fast = editTopViaBranch(text, msg, needle, needle + sentBySuffix(branch, sentBy, msg.method ?? ''));
      if (fast) return fast;
    }
    return reparsed(text, msg, addRfc2543Contact(this.inbound(text, msg), msg));
  }

  /** The branch text to replace in an outgoing response (`;branch=<ours>` → the peer's, or ''), if any. */
  private outboundEdit(msg: ParsedSipMessage): { needle: string; replacement: string } | undefined {
    if (msg.kind !== 'response') return undefined;
    const via = topViaOf(msg);
    const branch = via ? viaBranch(via) : undefined;
    const cseqMethod = parseCSeq(msg.headers)?.method;
    if (!branch) return undefined;
    // The parameter as written (`;branch=` or `; branch=`): sip.js copies the request's Via as it was.
    const needle = /;\s*branch=[^;,\s]+/i.exec(via!)![0];
    const param = needle.slice(0, needle.length - branch.length);
    const peerBranch = cseqMethod ? peerBranchOf(branch, via!, cseqMethod) : undefined;
    if (peerBranch !== undefined) return { needle, replacement: param + peerBranch };
    if (!branch.startsWith(SYNTH_PREFIX)) return undefined;
    const entry = this.bySynth.get(branch);
    if (!entry) return { needle, replacement: '' };
    if ((msg.status ?? 0) >= 200 && cseqMethod === 'INVITE') entry.finalStatus = msg.status ?? 0;
    entry.expiresAt = monoNow() + this.ttlMs;
    return { needle, replacement: entry.original !== undefined ? param + entry.original : '' };
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
