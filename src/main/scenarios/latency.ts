/**
 * Named latency marks (design.md §4) computed from socket stamps: every figure is a difference of
 * two monotonic readings taken where the messages crossed the socket, never of `Date.now()`.
 */
import { roundMs } from '../clock';
import type { CallRole, LatencyMarks, SignalRecord, SipMessageRecord } from '../../shared/types';

/**
 * SIP marks of one call leg.
 * - uac (this app sent the INVITE): first INVITE sent → first 100 / 180 / 200 received.
 * - uas (this app answered): INVITE received → 100 / 180 / 200 sent (the app's own answer time).
 * Only responses to the initial INVITE (CSeq method INVITE, same Call-ID) count; retransmissions
 * and re-INVITEs after the first 200 are ignored.
 * @returns the marks that could be computed, in ms rounded to 0.1.
 */
export function sipMarks(messages: readonly SipMessageRecord[], role: CallRole): LatencyMarks {
  const inviteDir = role === 'uac' ? 'out' : 'in';
  const responseDir = role === 'uac' ? 'in' : 'out';
  const invite = messages.find((m) => m.direction === inviteDir && m.status === undefined && m.method === 'INVITE');
  if (!invite) return {};
  const marks: LatencyMarks = {};
  const first = (pred: (s: number) => boolean): SipMessageRecord | undefined =>
    messages.find((m) => m.direction === responseDir && m.method === 'INVITE' && m.status !== undefined && pred(m.status) && m.monoMs >= invite.monoMs);
  const r100 = first((s) => s === 100);
  const r180 = first((s) => s === 180 || s === 183);
  const r200 = first((s) => s >= 200 && s < 300);
  if (r100) marks.invite_to_100 = roundMs(r100.monoMs - invite.monoMs);
  if (r180) marks.invite_to_180 = roundMs(r180.monoMs - invite.monoMs);
  if (r200) marks.invite_to_200 = roundMs(r200.monoMs - invite.monoMs);
  return marks;
}

/**
 * The answer of a leg: the first 2xx to the INVITE, sent by us for uas, received for uac.
 * @returns its record, or undefined before the call is answered.
 */
export function answerRecord(messages: readonly SipMessageRecord[], role: CallRole): SipMessageRecord | undefined {
  const dir = role === 'uas' ? 'out' : 'in';
  return messages.find((m) => m.direction === dir && m.method === 'INVITE' && m.status !== undefined && m.status >= 200 && m.status < 300);
}

/**
 * Media marks of one leg (design.md §4): `answer_to_first_rtp` = first incoming RTP − the answer
 * (the 200 OK to the INVITE: sent by us for uas, received for uac) and `answer_to_first_voice` =
 * first voice (the energy VAD's first speech frame, vad.ts) − the answer. Media that arrived before
 * the answer (early media, or RTP overtaking the 200 on loopback) counts as 0 ms.
 * @returns the marks that could be computed, in ms rounded to 0.1.
 */
export function mediaMarks(
  messages: readonly SipMessageRecord[],
  role: CallRole,
  media: { firstRtpInMonoMs?: number; firstVoiceInMonoMs?: number },
): LatencyMarks {
  const answer = answerRecord(messages, role);
  if (!answer) return {};
  const marks: LatencyMarks = {};
  if (media.firstRtpInMonoMs !== undefined) marks.answer_to_first_rtp = roundMs(Math.max(0, media.firstRtpInMonoMs - answer.monoMs));
  if (media.firstVoiceInMonoMs !== undefined) marks.answer_to_first_voice = roundMs(Math.max(0, media.firstVoiceInMonoMs - answer.monoMs));
  return marks;
}

/** The first BYE of a leg (either direction) at or after a monotonic instant, or undefined. */
export function firstByeAfter(messages: readonly SipMessageRecord[], monoMs: number): SipMessageRecord | undefined {
  return messages.find((m) => m.status === undefined && m.method === 'BYE' && m.monoMs >= monoMs);
}

/**
 * Signal marks: `token_ms` and `signal_http_ms` from the first successful Signal (or the last one
 * if none succeeded), and `signal_to_bye_ms` from that Signal's response to the first BYE on the bot
 * leg after it (design.md §4: the time CXone takes to drop the leg after accepting the Signal).
 */
export function signalMarks(signals: readonly SignalRecord[], botLegMessages: readonly SipMessageRecord[]): LatencyMarks {
  const sig = signals.find((s) => s.ok) ?? signals[signals.length - 1];
  if (!sig) return {};
  const marks: LatencyMarks = {};
  if (sig.tokenMs !== null) marks.token_ms = roundMs(sig.tokenMs);
  if (sig.ms !== null) marks.signal_http_ms = roundMs(sig.ms);
  if (sig.ok && sig.doneMonoMs !== null) {
    // Look from the request's start: on loopback the BYE can leave before the client has read the
    // end of the response; such a BYE counts as 0 ms after it.
    const startMono = sig.doneMonoMs - (sig.ms ?? 0);
    const bye = firstByeAfter(botLegMessages, startMono);
    if (bye) marks.signal_to_bye_ms = roundMs(Math.max(0, bye.monoMs - sig.doneMonoMs));
  }
  return marks;
}
