/**
 * Hand-made history records for the timeline tests: the two legs of an emulated handoff (CXone
 * side uac, bot side uas) with their SIP messages, a Signal, and media reports. Stamps are
 * monotonic ms of one imaginary process whose wall anchor is `ANCHOR`.
 */
import type { CallDetail, CallRole, MediaReport, RtpStreamStats, SignalParams, SipMessageRecord } from '../../../src/shared/types';
import type { TimelineSignalInput } from '../../../src/main/timeline/input';

/** Unix ms of monotonic 0 in the fixtures' process. */
export const ANCHOR = 1_796_000_000_000;

/** A SIP message at `mono` ms. `line` is a request method or a status `200`; `cseq` the method a response answers. */
export function msg(callId: string, direction: 'in' | 'out', mono: number, line: string, cseq = 'INVITE', extra = '', anchor = ANCHOR): SipMessageRecord {
  const status = /^\d{3}$/.test(line) ? Number(line) : undefined;
  const method = status === undefined ? line : cseq;
  const firstLine = status === undefined ? `${line} sip:bot@127.0.0.1 SIP/2.0` : `SIP/2.0 ${status} ${status === 200 ? 'OK' : status === 100 ? 'Trying' : status === 180 ? 'Ringing' : 'Not Found'}`;
  const raw = `${firstLine}\r\nCall-ID: ${callId}\r\nCSeq: 1 ${method}\r\n${extra}Content-Length: 0\r\n\r\n`;
  return { callId, direction, transport: 'tcp', local: '127.0.0.1:5060', remote: '127.0.0.1:5070', monoMs: mono, wallMs: anchor + mono, firstLine, method, ...(status !== undefined ? { status } : {}), raw };
}

function stream(direction: 'in' | 'out', first: number | null, last: number | null): RtpStreamStats {
  return { direction, ssrc: 1, ssrcChanges: 0, packets: 10, payloadBytes: 1600, expected: 10, lost: 0, lossPercent: 0, outOfOrder: 0, duplicates: 0, jitterMs: 1, maxJitterMs: 2, firstMonoMs: first, lastMonoMs: last };
}

/** A media report: what this leg sent and received (first/last packet stamps), first voice heard, DTMF. */
export function media(sent: [number, number] | null, received: [number, number] | null, firstVoice: number | null, dtmf: MediaReport['dtmf'] = []): MediaReport {
  return {
    codec: 'PCMU', localRtp: '127.0.0.1:40000', remoteRtp: '127.0.0.1:40002',
    sent: stream('out', sent?.[0] ?? null, sent?.[1] ?? null), received: stream('in', received?.[0] ?? null, received?.[1] ?? null),
    rtcp: [], dtmf, recordingPath: null, firstVoiceMonoMs: firstVoice, oneWayAudio: { verdict: 'both', detail: 'RTP both ways' },
  };
}

/** A call leg. */
export function leg(id: string, role: CallRole, callId: string, contactId: string | null, messages: SipMessageRecord[], over: Partial<CallDetail> = {}): CallDetail {
  return {
    id, runId: 'run-1', callId, role, transport: 'tcp', profile: 'watson', state: 'ended', from: 'sip:cxone@127.0.0.1', to: 'sip:bot@127.0.0.1',
    requestUri: 'sip:15550100@127.0.0.1', contactId, contactIdOk: contactId ? true : null, startedWallMs: ANCHOR + (messages[0]?.monoMs ?? 0),
    endedWallMs: null, end: null, latency: {}, invite: null, verdict: null, messages, signals: [], checks: [], media: null, ...over,
  };
}

/** A Signal started at `start` (mono), token `tokenMs`, HTTP `ms`, answered `status`. */
export function signal(id: string, contactId: string, start: number, status: number | null, params: SignalParams, over: Partial<TimelineSignalInput> = {}, tokenMs = 30, ms = 8): TimelineSignalInput {
  const ok = status !== null && status >= 200 && status < 300;
  return {
    id, callRef: 'bot-leg', runId: 'run-1', contactId, params, url: `http://127.0.0.1/incontactapi/services/v30.0/interactions/${contactId}/signal`,
    status, ok, message: ok ? `accepted (${status})` : `${status}: contact unknown or ended`, ms: status === null ? null : ms, tokenMs,
    doneMonoMs: status === null ? null : start + tokenMs + ms, wallMs: ANCHOR + start,
    exchange: { request: { method: 'POST', url: 'http://127.0.0.1/x', headers: { Authorization: '[redacted]' } }, ...(status !== null ? { response: { status, headers: {}, body: '' } } : { error: 'ECONNREFUSED' }) },
    ...over,
  };
}

/**
 * The two legs of an embedded handoff for contact `cid`: INVITE at 0 (CXone side) and 3 (bot side),
 * 100/180/200 from the bot at 10/11/17 arriving at 20 (all three on one stamp, as on loopback),
 * ACK, then a BYE from CXone at `byeAt`.
 */
export function handoffLegs(cid: string, byeAt: number, header = 'X-ContactID'): { cxone: CallDetail; bot: CallDetail } {
  const c = 'call-1';
  const put = `${header}: ${cid}\r\n`;
  const cxone = leg('cxone-leg', 'uac', c, null, [
    msg(c, 'out', 0, 'INVITE', 'INVITE', put), msg(c, 'in', 20, '100'), msg(c, 'in', 20, '180'), msg(c, 'in', 20, '200'),
    msg(c, 'out', 25, 'ACK'), msg(c, 'out', byeAt, 'BYE', 'BYE'), msg(c, 'in', byeAt + 6, '200', 'BYE'),
  ], { latency: { invite_to_100: 20, invite_to_180: 20, invite_to_200: 20, answer_to_first_voice: 60 }, media: media([30, 400], [28, 390], 80) });
  const bot = leg('bot-leg', 'uas', c, cid, [
    msg(c, 'in', 3, 'INVITE', 'INVITE', put), msg(c, 'out', 10, '100'), msg(c, 'out', 11, '180'), msg(c, 'out', 17, '200'),
    msg(c, 'in', 27, 'ACK'), msg(c, 'in', byeAt + 2, 'BYE', 'BYE'), msg(c, 'out', byeAt + 4, '200', 'BYE'),
  ], { latency: { invite_to_100: 7, invite_to_180: 8, invite_to_200: 14, token_ms: 30, signal_http_ms: 8, signal_to_bye_ms: 2 }, media: media([28, 390], [31, 401], 150) });
  return { cxone, bot };
}
