import { describe, expect, it } from 'vitest';
import {
  answerDirection,
  buildSdpAnswer,
  buildSdpOffer,
  isUnspecifiedAddress,
  parseRemoteSdp,
  remoteHoldReason,
  SdpError,
  type LocalSdpParams,
} from '../../../src/main/media/sdp';

const local: LocalSdpParams = { address: '127.0.0.1', port: 40000, sessionId: '1234', version: 1 };

function remote(mLine: string, attrs: string[] = [], conn = 'c=IN IP4 10.0.0.9'): string {
  return ['v=0', 'o=peer 1 1 IN IP4 10.0.0.9', 's=-', conn, 't=0 0', mLine, ...attrs].join('\r\n') + '\r\n';
}

describe('buildSdpOffer', () => {
  it('offers PCMU, PCMA and telephone-event 101 with ptime 20 and sendrecv', () => {
    const sdp = buildSdpOffer(local);
    expect(sdp.split('\r\n')).toEqual([
      'v=0',
      'o=- 1234 1 IN IP4 127.0.0.1',
      's=-',
      'c=IN IP4 127.0.0.1',
      't=0 0',
      'm=audio 40000 RTP/AVP 0 8 101',
      'a=rtpmap:0 PCMU/8000',
      'a=rtpmap:8 PCMA/8000',
      'a=rtpmap:101 telephone-event/8000',
      'a=fmtp:101 0-16',
      'a=ptime:20',
      'a=sendrecv',
      '',
    ]);
  });

  it('writes the o= version it is given (bumped by the caller per description)', () => {
    expect(buildSdpOffer({ ...local, version: 7 })).toContain('o=- 1234 7 IN IP4 127.0.0.1');
  });
});

describe('parseRemoteSdp', () => {
  it('chooses our first codec present in the offer (PCMU before PCMA), even when the offer prefers PCMA', () => {
    const offer = remote('m=audio 6000 RTP/AVP 8 0 101', ['a=rtpmap:8 PCMA/8000', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000']);
    expect(parseRemoteSdp(offer)).toEqual({
      address: '10.0.0.9',
      port: 6000,
      payloadType: 0,
      codec: 'PCMU',
      dtmfPayloadType: 101,
      direction: 'sendrecv',
    });
  });

  it('falls back to PCMA when PCMU is not offered; static types need no rtpmap', () => {
    const r = parseRemoteSdp(remote('m=audio 6000 RTP/AVP 18 8', ['a=rtpmap:18 G729/8000']));
    expect(r).toMatchObject({ codec: 'PCMA', payloadType: 8 });
    expect(r.dtmfPayloadType).toBeUndefined();
  });

  it('reads the telephone-event payload type, media-level c= and direction', () => {
    const sdp = remote('m=audio 7000 RTP/AVP 0 96', ['c=IN IP4 192.0.2.7', 'a=rtpmap:96 telephone-event/8000', 'a=sendonly']);
    expect(parseRemoteSdp(sdp)).toMatchObject({ address: '192.0.2.7', port: 7000, dtmfPayloadType: 96, direction: 'sendonly' });
  });

  it('reads the RTCP port of a=rtcp (RFC 3605) and ignores a malformed one', () => {
    expect(parseRemoteSdp(remote('m=audio 5004 RTP/AVP 0', ['a=rtcp:5007 IN IP4 10.0.0.9'])).rtcpPort).toBe(5007);
    expect(parseRemoteSdp(remote('m=audio 5004 RTP/AVP 0', ['a=rtcp:99999'])).rtcpPort).toBeUndefined();
    expect(parseRemoteSdp(remote('m=audio 5004 RTP/AVP 0', ['a=rtcp-mux'])).rtcpPort).toBeUndefined();
  });

  it('throws a clear SdpError when there is no common codec', () => {
    const offer = remote('m=audio 6000 RTP/AVP 18 9', ['a=rtpmap:18 G729/8000', 'a=rtpmap:9 G722/8000']);
    expect(() => parseRemoteSdp(offer)).toThrow(SdpError);
    expect(() => parseRemoteSdp(offer)).toThrow(
      'no common codec: the SDP lists 18 G729/8000, 9 G722/8000; we support PCMU (0), PCMA (8)',
    );
  });

  it('throws on no audio stream, a rejected stream, no c= line, or SRTP', () => {
    expect(() => parseRemoteSdp(remote('m=video 5000 RTP/AVP 96'))).toThrow(/no m=audio/);
    expect(() => parseRemoteSdp(remote('m=audio 0 RTP/AVP 0'))).toThrow(/port 0/);
    expect(() => parseRemoteSdp(remote('m=audio 5000 RTP/AVP 0', [], ''))).toThrow(/no connection address/);
    expect(() => parseRemoteSdp(remote('m=audio 5000 RTP/SAVP 0'))).toThrow(/unsupported media protocol/);
    expect(() => parseRemoteSdp('hello')).toThrow(/not an SDP body/);
  });
});

describe('buildSdpAnswer', () => {
  it('answers with the chosen codec and reuses the offer telephone-event payload type', () => {
    const offer = parseRemoteSdp(
      remote('m=audio 6000 RTP/AVP 8 96', ['a=rtpmap:8 PCMA/8000', 'a=rtpmap:96 telephone-event/8000', 'a=fmtp:96 0-15']),
    );
    const answer = buildSdpAnswer({ ...local, version: 2 }, offer);
    expect(answer).toContain('o=- 1234 2 IN IP4 127.0.0.1');
    expect(answer).toContain('m=audio 40000 RTP/AVP 8 96\r\n');
    expect(answer).toContain('a=rtpmap:8 PCMA/8000\r\n');
    expect(answer).toContain('a=rtpmap:96 telephone-event/8000\r\na=fmtp:96 0-16\r\n');
    expect(answer).not.toContain('101');
    expect(answer).toContain('a=sendrecv');
  });

  it('mirrors the direction per RFC 3264 §6.1', () => {
    const offer = parseRemoteSdp(remote('m=audio 6000 RTP/AVP 0', ['a=sendonly']));
    expect(buildSdpAnswer(local, offer)).toContain('a=recvonly');
    expect(answerDirection('recvonly')).toBe('sendonly');
    expect(answerDirection('inactive')).toBe('inactive');
    expect(answerDirection('sendrecv', 'recvonly')).toBe('recvonly');
  });

  it('keeps every offered m= line in order and rejects the streams it does not take with port 0 (RFC 3264 §6)', () => {
    const sdp = [
      'v=0', 'o=peer 1 1 IN IP4 10.0.0.9', 's=-', 'c=IN IP4 10.0.0.9', 't=0 0',
      'm=video 6002 RTP/AVP 96', 'a=rtpmap:96 H264/90000',
      'm=audio 0 RTP/AVP 18', // already rejected by the offerer
      'm=audio 6000 RTP/AVP 0 101', 'a=rtpmap:101 telephone-event/8000',
      'm=audio 6004 RTP/SAVP 0',
      'm=application 6006 UDP/BFCP *',
      '',
    ].join('\r\n');
    const offer = parseRemoteSdp(sdp);
    expect(offer).toMatchObject({ port: 6000, codec: 'PCMU', streams: { audioIndex: 2 } });
    const mLines = buildSdpAnswer(local, offer).split('\r\n').filter((l) => l.startsWith('m='));
    expect(mLines).toEqual(['m=video 0 RTP/AVP 96', 'm=audio 0 RTP/AVP 18', 'm=audio 40000 RTP/AVP 0 101', 'm=audio 0 RTP/SAVP 0', 'm=application 0 UDP/BFCP *']);
    // SRTP first, plain RTP second (SDES with a fallback stream): the plain one is taken.
    const both = parseRemoteSdp(['v=0', 'o=p 1 1 IN IP4 10.0.0.9', 's=-', 'c=IN IP4 10.0.0.9', 't=0 0', 'm=audio 7000 RTP/SAVP 0', 'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:x', 'm=audio 7002 RTP/AVP 8', ''].join('\r\n'));
    expect(both).toMatchObject({ port: 7002, codec: 'PCMA', streams: { audioIndex: 1 } });
    expect(buildSdpAnswer(local, both).split('\r\n').filter((l) => l.startsWith('m='))).toEqual(['m=audio 0 RTP/SAVP 0', 'm=audio 40000 RTP/AVP 8']);
    // One stream offered: the answer is that one stream, as before.
    expect(parseRemoteSdp(remote('m=audio 6000 RTP/AVP 0')).streams).toBeUndefined();
    expect(buildSdpAnswer(local, parseRemoteSdp(remote('m=audio 6000 RTP/AVP 0'))).match(/^m=/gm)).toHaveLength(1);
  });

  it('an answer to our offer parses back to our first codec (round trip)', () => {
    const ourOffer = parseRemoteSdp(buildSdpOffer(local));
    expect(ourOffer).toMatchObject({ codec: 'PCMU', payloadType: 0, dtmfPayloadType: 101, port: 40000 });
    const answer = parseRemoteSdp(buildSdpAnswer({ ...local, port: 40002 }, ourOffer));
    expect(answer).toMatchObject({ codec: 'PCMU', payloadType: 0, dtmfPayloadType: 101, port: 40002 });
  });
});

describe('remoteHoldReason (RFC 3264 §8.4, RFC 2543 c=0.0.0.0)', () => {
  it('names why the peer does not receive, and nothing when it does', () => {
    expect(remoteHoldReason({ address: '10.0.0.5', direction: 'sendonly' })).toBe('a=sendonly');
    expect(remoteHoldReason({ address: '10.0.0.5', direction: 'inactive' })).toBe('a=inactive');
    expect(remoteHoldReason({ address: '0.0.0.0', direction: 'sendrecv' })).toBe('c=0.0.0.0');
    expect(remoteHoldReason({ address: '::', direction: 'sendrecv' })).toBe('c=::');
    expect(remoteHoldReason({ address: '10.0.0.5', direction: 'recvonly' })).toBeUndefined();
    expect(remoteHoldReason({ address: '2001:db8::1', direction: 'sendrecv' })).toBeUndefined();
  });

  it('reads every spelling of the unspecified address', () => {
    for (const a of ['0.0.0.0', '::', '0:0:0:0:0:0:0:0', '::0']) expect(isUnspecifiedAddress(a)).toBe(true);
    for (const a of ['127.0.0.1', '::1', 'bot.example.com']) expect(isUnspecifiedAddress(a)).toBe(false);
  });
});
