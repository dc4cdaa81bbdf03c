/**
 * When the SDP answer of a 2xx to our initial INVITE moves the media away from the SDP of an
 * unreliable 18x before it, in words, for the call's log.
 *
 * RFC 3261 §13.2.1: the answer to the INVITE's offer is in the first reliable non-failure response,
 * which is the 2xx when no 18x was sent reliably (RFC 3262); the SDP of an unreliable 18x is early
 * media that the 2xx must repeat (RFC 6337 §3.1.1). A far end that moves its media between the two
 * (an announcement server plays the early media, then the bot answers) breaks that rule. sip.js
 * took the 18x's SDP as the answer, so our RTP went to the old address; our sip.js patch
 * (patches/sip.js+0.21.2.patch, Inviter.onAccept) applies the 2xx's instead, and this says so.
 */
import type { SipMessageRecord } from '../../shared/types';
import { parseRemoteSdp, SdpError, type RemoteMedia } from '../media/sdp';
import { headerTag, headerValue, isParseError, parseCSeq, type ParsedSipMessage } from './message';
import { parseRecord } from './wire-record';
import { isSdpContentType } from './offer-answer';

/**
 * The SDP body of a received 2xx to our initial INVITE (the last one we sent outside a dialog,
 * among `messages`: after a digest challenge it is the retry with credentials, RFC 3261 §22.2), or
 * undefined for any other message, a 2xx to a re-INVITE, or a 2xx without SDP.
 */
export function finalAnswerSdp(rec: SipMessageRecord, messages: readonly SipMessageRecord[]): string | undefined {
  if (rec.direction !== 'in' || rec.method !== 'INVITE' || rec.status === undefined || rec.status < 200 || rec.status >= 300) return undefined;
  let sent: ParsedSipMessage | undefined;
  for (let i = messages.length - 1; i >= 0 && !sent; i--) {
    const m = messages[i]!;
    if (m.direction !== 'out' || m.method !== 'INVITE' || m.status !== undefined) continue;
    const p = parseRecord(m);
    if (!isParseError(p) && !headerTag(headerValue(p.headers, 'to'))) sent = p;
  }
  const parsed = sent ? parseRecord(rec) : undefined;
  if (!sent || !parsed || isParseError(parsed) || parseCSeq(parsed.headers)?.seq !== parseCSeq(sent.headers)?.seq) return undefined;
  return sdpBody(parsed);
}

/**
 * How the answer in `final` (a received 2xx, see {@link finalAnswerSdp}) moves the media away from
 * the first unreliable 18x with SDP among `messages`, in words (`the 183 said 10.0.0.1:4000 PCMU,
 * the 200 says 10.0.0.2:5000 PCMU…`), or undefined when there was no such 18x, `final` is not a
 * 2xx to the initial INVITE with SDP, or both name the same address, port and codec.
 */
export function earlyAnswerChange(messages: readonly SipMessageRecord[], final: SipMessageRecord): string | undefined {
  let early: { status: number; sdp: string } | undefined;
  for (const m of messages) {
    if (m.direction !== 'in' || m.method !== 'INVITE' || m.status === undefined || m.status <= 100 || m.status >= 200) continue;
    const p = parseRecord(m);
    const sdp = isParseError(p) ? undefined : sdpBody(p);
    if (sdp !== undefined) {
      early = { status: m.status, sdp };
      break;
    }
  }
  if (!early) return undefined;
  const finalSdp = finalAnswerSdp(final, messages);
  if (finalSdp === undefined) return undefined;
  const before = readMedia(early.sdp);
  const after = readMedia(finalSdp);
  if (!before || !after) return undefined;
  const say = (r: RemoteMedia): string => `${r.address}:${r.port} ${r.codec}`;
  if (say(before) === say(after)) return undefined;
  return `the ${early.status} said ${say(before)}, the 200 says ${say(after)}: media follows the 200 (RFC 3261 §13.2.1; the 2xx repeats an unreliable 18x's SDP, RFC 6337 §3.1.1)`;
}

/** A message's body when it is SDP (Content-Type application/sdp, not empty), else undefined. */
function sdpBody(p: ParsedSipMessage): string | undefined {
  return p.body.trim() !== '' && isSdpContentType(headerValue(p.headers, 'content-type') ?? '') ? p.body : undefined;
}

function readMedia(sdp: string): RemoteMedia | undefined {
  try {
    return parseRemoteSdp(sdp);
  } catch (e) {
    if (e instanceof SdpError) return undefined;
    throw e;
  }
}
