/** RTCP through werift-rtp: our SR/RR + SDES, the peer's reports read back, rtcp-mux detection, garbage. */
import { describe, expect, it } from 'vitest';
import { buildRtcpReport, isMuxedRtcp, ntpFromWallMs, ntpMiddle32, parseRtcp } from '../../../src/main/media/rtcp';

const block = { ssrc: 0xabcdef01, fractionLost: 64, cumulativeLost: 7, highestSequence: 70000, jitter: 40, lsr: 0x12345678, dlsr: 65536 };

describe('RTCP reports', () => {
  it('builds an SR with a report block and reads it back (counts, fraction lost, jitter in ms)', () => {
    const buf = buildRtcpReport({ ssrc: 42, cname: 'lab@127.0.0.1', sender: { wallMs: Date.UTC(2025, 0, 1), rtpTimestamp: 1234, packets: 250, octets: 40000 }, block });
    expect(buf[1]).toBe(200);
    expect(isMuxedRtcp(buf)).toBe(true);
    const parsed = parseRtcp(buf, 99.5, 0xabcdef01);
    expect(parsed.reports).toEqual([
      { type: 'SR', monoMs: 99.5, ssrc: 42, senderPackets: 250, senderOctets: 40000, fractionLost: 0.25, cumulativeLost: 7, jitterMs: 5 },
    ]);
    expect(parsed.lastSr).toEqual({ ssrc: 42, ntpMiddle: ntpMiddle32(ntpFromWallMs(Date.UTC(2025, 0, 1))) });
  });

  it('builds an RR when we did not send, without a block when we received nothing', () => {
    const rr = buildRtcpReport({ ssrc: 7, cname: 'x' });
    expect(rr[1]).toBe(201);
    expect(parseRtcp(rr, 1, undefined).reports).toEqual([{ type: 'RR', monoMs: 1, ssrc: 7 }]);
  });

  it('NTP timestamps count from 1900 with a 32-bit fraction', () => {
    const ntp = ntpFromWallMs(1500);
    expect(ntp >> 32n).toBe(2208988801n);
    expect(Number(ntp & 0xffffffffn) / 2 ** 32).toBeCloseTo(0.5, 6);
  });

  it('reads nothing from garbage and never throws', () => {
    for (const g of [Buffer.from('hello world!'), Buffer.from([0x80, 200]), Buffer.from([0x81, 201, 0, 7, 0, 0, 0, 1]), Buffer.alloc(0), Buffer.from([0x81, 200, 0xff, 0xff, 1, 2, 3, 4, 5, 6, 7, 8])]) {
      expect(() => parseRtcp(g, 0, 1)).not.toThrow();
      expect(parseRtcp(g, 0, 1).reports.length).toBeLessThanOrEqual(1);
    }
    expect(parseRtcp(Buffer.from('hello world!'), 0, 1).reports).toEqual([]);
  });

  it('tells RTCP from RTP on one port by the packet type octet (RFC 5761 §4)', () => {
    expect(isMuxedRtcp(Buffer.from([0x80, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]))).toBe(false); // RTP PCMU
    expect(isMuxedRtcp(Buffer.from([0x80, 0xe5, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]))).toBe(false); // RTP PT 101, marker
    expect(isMuxedRtcp(Buffer.from([0x81, 201, 0, 1, 0, 0, 0, 0]))).toBe(true);
    expect(isMuxedRtcp(Buffer.from([0x81, 205, 0, 1, 0, 0, 0, 0]))).toBe(false);
  });
});
