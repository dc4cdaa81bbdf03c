/**
 * pcap export of calls from history: their SIP messages, plus their RTP/RTCP where a per-call
 * capture was kept next to the recording (rtp-capture.ts). Calls with media but no capture are
 * exported with SIP only, and the export says so.
 */
import type { CallDetail } from '../../shared/types';
import { loadRtpCapture, rtpCapturePath } from './rtp-capture';
import { buildSipPcap, type PcapExport, type UdpDatagram } from './sip-pcap';

/**
 * Builds the pcap of calls.
 * @param opts.rtp - include RTP/RTCP captures when present (default true).
 * @returns the file bytes and what went into them; never throws for bad records (they are noted).
 */
export function callsPcap(calls: readonly CallDetail[], opts: { rtp?: boolean } = {}): PcapExport {
  const datagrams: UdpDatagram[] = [];
  const notes: string[] = [];
  if (opts.rtp !== false) {
    for (const c of calls) {
      if (!c.media || (c.media.sent.packets === 0 && c.media.received.packets === 0)) continue;
      const file = rtpCapturePath(c.media);
      const found = file ? loadRtpCapture(file) : [];
      if (found.length > 0) datagrams.push(...found);
      else notes.push(`call ${c.callId} (${c.role}): RTP was not captured, SIP only`);
    }
  }
  const out = buildSipPcap({ messages: calls.flatMap((c) => c.messages), datagrams });
  return { ...out, notes: [...notes, ...out.notes] };
}
