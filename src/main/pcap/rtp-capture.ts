/**
 * A small per-call capture of RTP/RTCP, kept next to the call's WAV recording as
 * `<recording>.rtp.pcap`, so that a later pcap export of the call can hold its media with the real
 * stamps (SIP comes from history; the datagrams are too many for SQLite).
 *
 * Wiring: pass {@link RtpCapture.onRtpPacket} as the endpoint's `MediaConfig.onRtpPacket`, and
 * call {@link RtpCapture.saveCall} with the call's media report once the call is over. Datagrams
 * are held in memory until then (about 170 bytes each, 50 per second per direction; capped).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { MediaReport } from '../../shared/types';
import type { RtpDatagramInfo } from '../media/media-config';
import { readCapture } from '../import/capture-reader';
import { decodeIpPacket, decodeTransport } from '../import/decode-frame';
import { splitHostPort } from './endpoint-address';
import { formatHostPort } from '../net/host-format';
import { buildSipPcap, type UdpDatagram } from './sip-pcap';

/** Datagrams held per local address at most (about 10 minutes of one call's RTP both ways). */
export const DEFAULT_MAX_DATAGRAMS = 60_000;

/** Where the capture of a call with this recording lives: `x.wav` → `x.rtp.pcap`; null without a recording. */
export function rtpCapturePath(media: Pick<MediaReport, 'recordingPath'> | null | undefined): string | null {
  const wav = media?.recordingPath;
  if (!wav) return null;
  return `${wav.replace(/\.wav$/i, '')}.rtp.pcap`;
}

/** Holds RTP/RTCP datagrams by local address until their call is saved. */
export class RtpCapture {
  private readonly byLocal = new Map<string, UdpDatagram[]>();
  /** Datagrams not kept because a call reached the cap. */
  dropped = 0;

  constructor(private readonly maxDatagrams: number = DEFAULT_MAX_DATAGRAMS) {}

  /** The `MediaConfig.onRtpPacket` hook: records one datagram (never throws). */
  readonly onRtpPacket = (p: RtpDatagramInfo): void => {
    const list = this.byLocal.get(p.local) ?? [];
    if (list.length >= this.maxDatagrams) {
      this.dropped++;
      return;
    }
    const [src, dst] = p.direction === 'out' ? [p.local, p.remote] : [p.remote, p.local];
    list.push({ wallMs: p.wallMs, src, dst, data: Buffer.from(p.data) });
    this.byLocal.set(p.local, list);
  };

  /** The datagrams of the call whose media is `media` (its RTP port and the RTCP port above it), and forgets them. */
  take(media: Pick<MediaReport, 'localRtp'>): UdpDatagram[] {
    const hp = splitHostPort(media.localRtp);
    if (!hp) return [];
    const keys = [media.localRtp, formatHostPort(hp.host, hp.port + 1)];
    const out = keys.flatMap((k) => this.byLocal.get(k) ?? []);
    for (const k of keys) this.byLocal.delete(k);
    return out.sort((a, b) => a.wallMs - b.wallMs);
  }

  /**
   * Writes the call's datagrams to `file` (default {@link rtpCapturePath} of `media`) and forgets them.
   * @returns the file written; null when there was nothing to write or no place to write it.
   * @throws the write error.
   */
  saveCall(media: Pick<MediaReport, 'localRtp' | 'recordingPath'>, file: string | null = rtpCapturePath(media)): string | null {
    const datagrams = this.take(media);
    if (!file || datagrams.length === 0) return null;
    writeFileSync(file, buildSipPcap({ messages: [], datagrams }).bytes);
    return file;
  }
}

/**
 * Reads the UDP datagrams of a capture written by {@link RtpCapture.saveCall}.
 * @returns them in capture order; an empty list when the file does not exist or holds none.
 */
export function loadRtpCapture(file: string): UdpDatagram[] {
  if (!existsSync(file)) return [];
  const out: UdpDatagram[] = [];
  for (const f of readCapture(readFileSync(file)).frames) {
    const ip = decodeIpPacket(f.linkType, f.data);
    const seg = ip && !ip.fragment ? decodeTransport(ip) : null;
    if (!ip || !seg || seg.protocol !== 'udp') continue;
    out.push({ wallMs: f.wallMs, src: formatHostPort(ip.src, seg.srcPort), dst: formatHostPort(ip.dst, seg.dstPort), data: seg.payload });
  }
  return out;
}
