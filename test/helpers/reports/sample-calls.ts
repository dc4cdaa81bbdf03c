/**
 * Synthetic calls for the report, pcap and import tests: a bot-side (UAS) call with its INVITE
 * (X- headers, SDP), 100/180/200, ACK, BYE, 200, a Signal with its HTTP exchange, checks and a
 * media report, at chosen addresses and transport. Everything a real call would hold in history.
 */
import type { CallDetail, CheckResult, MediaReport, SignalRecord, SipHeader, SipMessageRecord, SipTransportKind } from '../../../src/shared/types';
import { parseSipMessage, isParseError } from '../../../src/main/sip/message';

/** A fixed instant (Unix ms) so output is reproducible. */
export const T0 = 1_760_000_000_000;

/** Options of {@link sampleCall}. */
export interface SampleCallOptions {
  callId?: string;
  transport?: SipTransportKind;
  /** The bot (this app), `host:port`. */
  local?: string;
  /** CXone, `host:port`. */
  remote?: string;
  /** X- headers of the INVITE. */
  xHeaders?: SipHeader[];
  fromUser?: string;
  fromDisplay?: string;
  /** ms after T0 the INVITE arrives. */
  startMs?: number;
  ok?: boolean;
}

const hostOf = (hp: string): string => hp.replace(/^\[/, '').replace(/\]?:\d+$/, '');

/** The messages of one call (INVITE … 200 to BYE), in wire order. */
export function sampleMessages(o: SampleCallOptions = {}): SipMessageRecord[] {
  const callId = o.callId ?? `a84b4c76e66710@${hostOf(o.remote ?? '10.1.2.3:5080')}`;
  const transport = o.transport ?? 'udp';
  const local = o.local ?? '10.9.8.7:5070';
  const remote = o.remote ?? '10.1.2.3:5080';
  const via = `SIP/2.0/${transport.toUpperCase()} ${remote};branch=z9hG4bK776asdhds`;
  const from = `${o.fromDisplay ? `"${o.fromDisplay}" ` : ''}<sip:${o.fromUser ?? '+15551234567'}@${remote}>;tag=1928301774`;
  const to = `<sip:15550100@${local}>`;
  const x = (o.xHeaders ?? [{ name: 'X-ContactID', value: '701234567890' }]).map((h) => `${h.name}: ${h.value}`);
  const sdp = ['v=0', `o=- 1 1 IN IP4 ${hostOf(remote)}`, 's=-', `c=IN IP4 ${hostOf(remote)}`, 't=0 0', 'm=audio 40000 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', ''].join('\r\n');
  const msg = (first: string, cseq: string, extra: string[], body = ''): string =>
    [first, `Via: ${via}`, `From: ${from}`, `To: ${to}${first.startsWith('INVITE') ? '' : ';tag=a6c85cf'}`, `Call-ID: ${callId}`, `CSeq: ${cseq}`, ...extra, ...(body ? ['Content-Type: application/sdp'] : []), `Content-Length: ${Buffer.byteLength(body)}`, '', body].join('\r\n');
  const start = T0 + (o.startMs ?? 0);
  const list: [number, 'in' | 'out', string][] = [
    [0, 'in', msg(`INVITE sip:15550100@${local} SIP/2.0`, '314159 INVITE', ['Max-Forwards: 70', `Contact: <sip:cxone@${remote}>`, ...x], sdp)],
    [1.5, 'out', msg('SIP/2.0 100 Trying', '314159 INVITE', [])],
    [3, 'out', msg('SIP/2.0 180 Ringing', '314159 INVITE', [])],
    [812.25, 'out', msg('SIP/2.0 200 OK', '314159 INVITE', [`Contact: <sip:bot@${local}>`], sdp.replaceAll(hostOf(remote), hostOf(local)))],
    [830, 'in', msg(`ACK sip:bot@${local} SIP/2.0`, '314159 ACK', [])],
    [9000, 'out', msg(`BYE sip:cxone@${remote} SIP/2.0`, '1 BYE', [])],
    [9010, 'in', msg('SIP/2.0 200 OK', '1 BYE', [])],
  ];
  return list.map(([ms, direction, raw]) => {
    const p = parseSipMessage(raw);
    if (isParseError(p)) throw new Error(p.error);
    const cseq = p.headers.find((h) => h.name === 'CSeq')!.value.split(' ')[1]!;
    return {
      callId, direction, transport, local, remote, monoMs: 1000 + ms, wallMs: start + ms,
      firstLine: p.startLine, method: p.kind === 'request' ? p.method! : cseq, ...(p.status !== undefined ? { status: p.status } : {}), raw,
    };
  });
}

/** A whole bot-side call as history returns it. */
export function sampleCall(id: string, o: SampleCallOptions = {}): CallDetail {
  const messages = sampleMessages(o);
  const invite = parseSipMessage(messages[0]!.raw);
  if (isParseError(invite)) throw new Error(invite.error);
  const x = o.xHeaders ?? [{ name: 'X-ContactID', value: '701234567890' }];
  const ok = o.ok ?? true;
  const contactId = x[0]?.value ?? null;
  const signal: SignalRecord = {
    id: `sig-${id}`, callRef: id, contactId: contactId ?? '', params: { p1: 'AgentHandoff', p3: 'session-1' },
    url: `https://api-na1.niceincontact.com/incontactapi/services/v28.0/interactions/${contactId}/signal?p1=AgentHandoff&p3=session-1`,
    status: ok ? 202 : 500, ok, message: ok ? 'accepted (202)' : '500: server error', ms: 41.3, tokenMs: 120.5, doneMonoMs: 1000 + 5000, wallMs: T0 + 5000,
    exchange: {
      request: { method: 'POST', url: 'https://api-na1.niceincontact.com/incontactapi/services/v28.0/interactions/1/signal', headers: { Authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.secret-token-value' } },
      response: { status: ok ? 202 : 500, headers: {}, body: ok ? '' : '{"error":"InternalServerError"}' },
    },
  };
  const checks: CheckResult[] = [
    { name: 'contact-id', ok: true, detail: `X-ContactID = ${contactId}` },
    { name: 'signal-accepted', ok, detail: ok ? 'accepted (202)' : '500: server error' },
  ];
  const stats = (direction: 'in' | 'out') => ({
    direction, ssrc: 0x1234abcd, ssrcChanges: 0, packets: 400, payloadBytes: 64000, expected: direction === 'in' ? 402 : 0, lost: direction === 'in' ? 2 : 0,
    lossPercent: direction === 'in' ? 0.5 : 0, outOfOrder: 0, duplicates: 0, jitterMs: 1.2, maxJitterMs: 3.4, firstMonoMs: 1900, lastMonoMs: 9900,
  });
  const media: MediaReport = {
    codec: 'PCMU', localRtp: `${hostOf(o.local ?? '10.9.8.7:5070')}:40002`, remoteRtp: `${hostOf(o.remote ?? '10.1.2.3:5080')}:40000`,
    sent: stats('out'), received: stats('in'), rtcp: [], dtmf: [{ direction: 'in', digit: '5', startMonoMs: 3000, durationMs: 120 }],
    recordingPath: '/home/alice/.local/share/cxone-sip-lab/recordings/call.wav', firstVoiceMonoMs: 2100, oneWayAudio: { verdict: 'both', detail: 'audio both ways' },
  };
  return {
    id, runId: null, callId: messages[0]!.callId, role: 'uas', transport: o.transport ?? 'udp', profile: 'watson', state: 'ended',
    from: invite.headers.find((h) => h.name === 'From')!.value, to: invite.headers.find((h) => h.name === 'To')!.value,
    requestUri: invite.requestUri!, contactId, contactIdOk: true, startedWallMs: messages[0]!.wallMs, endedWallMs: messages[6]!.wallMs,
    end: { by: 'local', reason: 'BYE' }, latency: { invite_to_100: 1.5, invite_to_180: 3, invite_to_200: 812.3, signal_http_ms: 41.3, token_ms: 120.5 },
    invite: { raw: messages[0]!.raw, headers: invite.headers },
    verdict: { ok: true, profile: 'watson', header: x[0]?.name ?? null, value: contactId, expectedHeaders: ['X-ContactID'], patternOk: true, problems: [], nearMisses: [] },
    messages, signals: [signal], checks, media,
  };
}
