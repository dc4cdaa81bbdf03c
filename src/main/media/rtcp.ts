/**
 * RTCP for one call, through werift-rtp's packet classes: our compound report (SR when we sent
 * RTP since the last report, else RR; then SDES with our CNAME) and the peer's SR/RR read into
 * {@link RtcpReportRecord}s.
 *
 * @remarks RFC 3550 §6.4.1 (SR), §6.4.2 (RR), §6.1 (a compound packet starts with SR or RR and
 * carries an SDES CNAME), §4 (NTP timestamp format), A.3 (fraction lost); RFC 5761 §4 (telling RTCP
 * from RTP on one port: packet types 200-204).
 */
import {
  RtcpPacketConverter,
  RtcpReceiverInfo,
  RtcpRrPacket,
  RtcpSenderInfo,
  RtcpSourceDescriptionPacket,
  RtcpSrPacket,
  SourceDescriptionChunk,
  SourceDescriptionItem,
} from 'werift-rtp';
import type { RtcpReportRecord } from '../../shared/types';
import { CLOCK_RATE } from './media-config';
import type { ReceptionReport } from './rtp-stats';

/** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
const NTP_UNIX_OFFSET_S = 2208988800;
/** SDES item type CNAME (RFC 3550 §6.5.1). */
const SDES_CNAME = 1;

/**
 * True when a datagram on the RTP port is RTCP (rtcp-mux): version 2 and a second octet of
 * 200-204, the RTCP packet types SR, RR, SDES, BYE, APP (RFC 5761 §4).
 */
export function isMuxedRtcp(buf: Uint8Array): boolean {
  return buf.length >= 8 && buf[0]! >> 6 === 2 && buf[1]! >= 200 && buf[1]! <= 204;
}

/** A Unix time (ms) as a 64-bit NTP timestamp (RFC 3550 §4). */
export function ntpFromWallMs(wallMs: number): bigint {
  const secs = Math.floor(wallMs / 1000);
  const frac = Math.floor(((wallMs - secs * 1000) / 1000) * 0x100000000);
  return (BigInt(secs + NTP_UNIX_OFFSET_S) << 32n) | BigInt(frac);
}

/** The middle 32 bits of an NTP timestamp (the LSR field of a report block, RFC 3550 §6.4.1). */
export function ntpMiddle32(ntp: bigint): number {
  return Number((ntp >> 16n) & 0xffffffffn);
}

/** What goes into our next report. */
export interface OurReport {
  ssrc: number;
  cname: string;
  /** Present when we sent RTP since the last report: an SR. */
  sender?: { wallMs: number; rtpTimestamp: number; packets: number; octets: number };
  /** The block about the peer's stream, with LSR/DLSR (RFC 3550 §6.4.1), when we received RTP. */
  block?: ReceptionReport & { lsr: number; dlsr: number };
}

/** Builds our compound RTCP packet: SR or RR, then SDES CNAME. */
export function buildRtcpReport(r: OurReport): Buffer {
  const reports = r.block
    ? [
        new RtcpReceiverInfo({
          ssrc: r.block.ssrc,
          fractionLost: r.block.fractionLost,
          // werift writes the 24-bit field unsigned; a negative count (duplicates) is reported as 0.
          packetsLost: Math.max(0, r.block.cumulativeLost),
          highestSequence: r.block.highestSequence,
          jitter: r.block.jitter,
          lsr: r.block.lsr,
          dlsr: r.block.dlsr,
        }),
      ]
    : [];
  const first = r.sender
    ? new RtcpSrPacket({
        ssrc: r.ssrc,
        senderInfo: new RtcpSenderInfo({
          ntpTimestamp: ntpFromWallMs(r.sender.wallMs),
          rtpTimestamp: r.sender.rtpTimestamp >>> 0,
          packetCount: r.sender.packets >>> 0,
          octetCount: r.sender.octets >>> 0,
        }),
        reports,
      })
    : new RtcpRrPacket({ ssrc: r.ssrc, reports });
  const sdes = new RtcpSourceDescriptionPacket({
    chunks: [new SourceDescriptionChunk({ source: r.ssrc, items: [new SourceDescriptionItem({ type: SDES_CNAME, text: r.cname })] })],
  });
  return Buffer.concat([first.serialize(), sdes.serialize()]);
}

/** What a received RTCP datagram held. */
export interface ParsedRtcp {
  reports: RtcpReportRecord[];
  /** The last SR's sender SSRC and NTP middle 32 bits, for our next block's LSR. */
  lastSr?: { ssrc: number; ntpMiddle: number };
}

/**
 * Reads the SR and RR packets of a (compound) RTCP datagram; other packet types are skipped.
 * @param ourSsrc - picks the report block about our stream (else the first block is used).
 * @returns nothing (empty `reports`) for a malformed datagram; never throws.
 */
export function parseRtcp(buf: Buffer, monoMs: number, ourSsrc: number | undefined): ParsedRtcp {
  const out: ParsedRtcp = { reports: [] };
  let packets: ReturnType<typeof RtcpPacketConverter.deSerialize>;
  try {
    if (buf.length < 8 || buf[0]! >> 6 !== 2) return out;
    packets = RtcpPacketConverter.deSerialize(buf);
  } catch {
    return out;
  }
  for (const p of packets) {
    if (!(p instanceof RtcpSrPacket) && !(p instanceof RtcpRrPacket)) continue;
    const rec: RtcpReportRecord = { type: p instanceof RtcpSrPacket ? 'SR' : 'RR', monoMs, ssrc: p.ssrc >>> 0 };
    if (p instanceof RtcpSrPacket) {
      rec.senderPackets = p.senderInfo.packetCount;
      rec.senderOctets = p.senderInfo.octetCount;
      out.lastSr = { ssrc: rec.ssrc, ntpMiddle: ntpMiddle32(BigInt(p.senderInfo.ntpTimestamp)) };
    }
    const block = p.reports.find((b) => b.ssrc >>> 0 === ourSsrc) ?? p.reports[0];
    if (block) {
      rec.fractionLost = block.fractionLost / 256;
      rec.cumulativeLost = block.packetsLost & 0x800000 ? block.packetsLost - 0x1000000 : block.packetsLost;
      rec.jitterMs = Math.round((block.jitter * 1000000) / CLOCK_RATE) / 1000;
    }
    out.reports.push(rec);
  }
  return out;
}
