/**
 * Builds the reported form of one bot-leg call ({@link CallReport}) from what was tracked.
 */
import type { VendorProfile } from '../../shared/profile';
import { roundMs } from '../clock';
import type { CheckResult, LatencyMarks, MediaReport } from '../../shared/types';
import type { ScriptOutcome } from '../emulator/child-script';
import type { BotCallResult } from './bot-agent';
import type { CallReport } from './run-report';

/**
 * @param result - the bot leg's outcome.
 * @param extra - CXone's side when emulated: its script outcome, its own checks, and the CXone
 *   leg's SIP marks (its view of invite_to_100/180/200 replaces the bot's, as CXone measures them).
 */
export function buildCallReport(
  result: BotCallResult,
  profile: VendorProfile,
  extra?: { outcome: ScriptOutcome; checks: CheckResult[]; cxoneLegLatency: LatencyMarks },
): CallReport {
  const { tracked, signal } = result;
  const v = tracked.verdict;
  const call = tracked.call;
  return {
    callId: call.callId,
    callRef: call.id,
    profile: profile.id,
    transport: call.transport,
    invite: {
      requestUri: call.invite?.parsed.requestUri ?? '',
      originalRequestUri: call.originalRequestUri ?? call.invite?.parsed.requestUri ?? '',
      headers: call.invite?.parsed.headers ?? [],
    },
    contactId: {
      ok: v?.ok ?? false,
      header: v?.header ?? null,
      value: v?.value ?? null,
      problems: v?.problems ?? ['no INVITE seen'],
      nearMisses: v?.nearMisses ?? [],
      ...(v?.warnings?.length ? { warnings: v.warnings } : {}),
    },
    signal: signal
      ? { params: signal.params, status: signal.status, ms: signal.ms === null ? null : roundMs(signal.ms), ok: signal.ok, url: signal.url, message: signal.message }
      : null,
    ...(extra
      ? {
          cxone: {
            masterId: extra.outcome.masterId,
            childId: extra.outcome.childId,
            signalledContactId: extra.outcome.signalledContactId,
            onSignal: extra.outcome.onSignal,
            outcome: extra.outcome.outcome,
          },
        }
      : {}),
    media: mediaOf(call.mediaReport()),
    end: call.end,
    latency: extra ? { ...withoutMediaMarks(tracked.latency()), ...extra.cxoneLegLatency } : tracked.latency(),
    checks: [...result.checks, ...(extra?.checks ?? [])],
  };
}

/** A leg's media report when it had media (an SDP exchange or RTP), else null. */
function mediaOf(m: MediaReport): MediaReport | null {
  return m.remoteRtp !== null || m.received.packets > 0 || m.sent.packets > 0 ? m : null;
}

/**
 * The bot leg's marks without its media marks: with an emulated CXone, answer_to_first_rtp and
 * answer_to_first_voice are what the caller heard (time to greeting), taken from the CXone leg
 * only, never from what the bot heard of the caller.
 */
function withoutMediaMarks(marks: LatencyMarks): LatencyMarks {
  const { answer_to_first_rtp: _rtp, answer_to_first_voice: _voice, ...rest } = marks;
  return rest;
}
