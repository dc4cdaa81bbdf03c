import { describe, expect, it } from 'vitest';
import { answerRecord, mediaMarks, signalMarks, sipMarks } from '../../../src/main/scenarios/latency';
import type { SignalRecord, SipMessageRecord } from '../../../src/shared/types';

function msg(direction: 'in' | 'out', monoMs: number, method: string, status?: number): SipMessageRecord {
  return {
    callId: 'c1', direction, transport: 'udp', local: '127.0.0.1:1', remote: '127.0.0.1:2', monoMs, wallMs: 1e12 + monoMs,
    firstLine: status ? `SIP/2.0 ${status} X` : `${method} sip:x SIP/2.0`, method, status, raw: '',
  };
}

function signal(over: Partial<SignalRecord>): SignalRecord {
  return {
    id: 's', callRef: 'c', contactId: '1', params: { p1: 'x' }, url: 'u', status: 202, ok: true, message: 'accepted (202)',
    ms: 12.34, tokenMs: 3.21, doneMonoMs: 1000, wallMs: 0, exchange: { request: { method: 'POST', url: 'u', headers: {} } }, ...over,
  };
}

describe('sipMarks', () => {
  const uac = [msg('out', 100, 'INVITE'), msg('out', 600, 'INVITE'), msg('in', 101.5, 'INVITE', 100), msg('in', 110, 'INVITE', 180), msg('in', 150.25, 'INVITE', 200), msg('in', 700, 'INVITE', 200)];
  it('measures from the first INVITE sent to the first 100/180/200 received (uac)', () => {
    expect(sipMarks(uac, 'uac')).toEqual({ invite_to_100: 1.5, invite_to_180: 10, invite_to_200: 50.3 });
  });
  it('measures from the INVITE received to the responses sent (uas)', () => {
    const uas = [msg('in', 10, 'INVITE'), msg('out', 10.2, 'INVITE', 100), msg('out', 12, 'INVITE', 180), msg('out', 20, 'INVITE', 200)];
    expect(sipMarks(uas, 'uas')).toEqual({ invite_to_100: 0.2, invite_to_180: 2, invite_to_200: 10 });
  });
  it('ignores responses to other methods and gives nothing without an INVITE', () => {
    expect(sipMarks([msg('out', 1, 'INVITE'), msg('in', 5, 'BYE', 200)], 'uac')).toEqual({});
    expect(sipMarks([msg('in', 5, 'INVITE', 200)], 'uac')).toEqual({});
  });
});

describe('signalMarks', () => {
  it('gives token, HTTP and signal-to-BYE times', () => {
    const marks = signalMarks([signal({})], [msg('in', 1000 + 40.04, 'BYE')]);
    expect(marks).toEqual({ token_ms: 3.2, signal_http_ms: 12.3, signal_to_bye_ms: 40 });
  });
  it('uses the first accepted Signal and leaves signal_to_bye_ms out when no BYE came', () => {
    const marks = signalMarks([signal({ ok: false, status: 401, ms: 5 }), signal({ ms: 7, doneMonoMs: 2000 })], [msg('out', 500, 'BYE')]);
    expect(marks.signal_http_ms).toBe(7);
    expect(marks.signal_to_bye_ms).toBeUndefined();
  });
  it('counts a BYE that overtook the end of the response as 0 ms', () => {
    expect(signalMarks([signal({ doneMonoMs: 1000, ms: 10 })], [msg('in', 995, 'BYE')]).signal_to_bye_ms).toBe(0);
  });
});

describe('mediaMarks', () => {
  const uas = [msg('in', 10, 'INVITE'), msg('out', 12, 'INVITE', 180), msg('out', 20, 'INVITE', 200), msg('in', 25, 'ACK')];
  const uac = [msg('out', 10, 'INVITE'), msg('in', 30, 'INVITE', 200), msg('in', 40, 'INVITE', 200)];
  it('measures first RTP and first voice from the 200 sent (uas) or the first 200 received (uac)', () => {
    expect(mediaMarks(uas, 'uas', { firstRtpInMonoMs: 62.04, firstVoiceInMonoMs: 420 })).toEqual({ answer_to_first_rtp: 42, answer_to_first_voice: 400 });
    expect(answerRecord(uac, 'uac')?.monoMs).toBe(30);
    expect(mediaMarks(uac, 'uac', { firstRtpInMonoMs: 35 })).toEqual({ answer_to_first_rtp: 5 });
  });
  it('counts media before the answer (early media) as 0 ms and gives nothing before the answer', () => {
    expect(mediaMarks(uas, 'uas', { firstRtpInMonoMs: 15 })).toEqual({ answer_to_first_rtp: 0 });
    expect(mediaMarks(uas.slice(0, 2), 'uas', { firstRtpInMonoMs: 15 })).toEqual({});
    expect(mediaMarks(uas, 'uas', {})).toEqual({});
  });
});
