/**
 * RTCP of one call over time: keeps the peer's SR/RR (as {@link RtcpReportRecord}s) and the
 * timing of its last SR, and sends our report every interval, randomised over [0.5, 1.5] × the
 * interval (RFC 3550 §6.3.1), as an SR when we sent RTP since the previous report, else an RR
 * (§6.4), with the LSR/DLSR of the peer's last SR (§6.4.1).
 */
import type { RtcpReportRecord } from '../../shared/types';
import { monoNow, monoToWall } from '../clock';
import { buildRtcpReport, parseRtcp } from './rtcp';
import type { RtpReceiveStats } from './rtp-stats';
import type { RtpSender } from './rtp-sender';

/** Reports kept at most (oldest dropped). */
const MAX_REPORTS = 1000;

/** What the reporter reads and how it sends. */
export interface RtcpReporterDeps {
  sender: RtpSender;
  /** The current incoming-stream statistics. */
  stats: () => RtpReceiveStats;
  /** Our SDES CNAME (RFC 3550 §6.5.1). */
  cname: string;
  /** Sends one compound RTCP packet to the peer. */
  send: (buf: Buffer, monoMs: number) => void;
  onError: (e: unknown) => void;
}

/** RTCP both ways for one call (see the file comment). */
export class RtcpReporter {
  /** The peer's SR/RR, in arrival order. */
  readonly reports: RtcpReportRecord[] = [];
  private lastSr: { ssrc: number; ntpMiddle: number; monoMs: number } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastReportMono = 0;
  private running = false;

  constructor(private readonly deps: RtcpReporterDeps) {}

  /** Reads a received RTCP datagram (malformed ones add nothing). */
  receive(buf: Buffer, monoMs: number): void {
    const parsed = parseRtcp(buf, monoMs, this.deps.sender.ssrc);
    this.reports.push(...parsed.reports);
    if (this.reports.length > MAX_REPORTS) this.reports.splice(0, this.reports.length - MAX_REPORTS);
    if (parsed.lastSr) this.lastSr = { ...parsed.lastSr, monoMs };
  }

  /** Starts sending every `intervalMs` (no-op when running or when `intervalMs` is 0). */
  start(intervalMs: number): void {
    if (this.running || intervalMs <= 0) return;
    this.running = true;
    const next = (): void => {
      this.timer = setTimeout(() => {
        try {
          this.sendReport();
        } catch (e) {
          this.deps.onError(e);
        }
        if (this.running) next();
      }, intervalMs * (0.5 + Math.random()));
      this.timer.unref();
    };
    next();
  }

  /** Stops the periodic reports. */
  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
  }

  /** Builds and sends one report now. */
  sendReport(): void {
    const now = monoNow();
    const { sender } = this.deps;
    const block = this.deps.stats().takeReceptionReport();
    const sr = block && this.lastSr?.ssrc === block.ssrc ? this.lastSr : undefined;
    const { packets, octets } = sender.counts;
    const buf = buildRtcpReport({
      ssrc: sender.ssrc,
      cname: this.deps.cname,
      sender: sender.sentSince(this.lastReportMono)
        ? { wallMs: monoToWall(now), rtpTimestamp: sender.timestampAt(now), packets, octets }
        : undefined,
      // DLSR in 1/65536 s since the peer's last SR arrived (RFC 3550 §6.4.1).
      block: block && { ...block, lsr: sr?.ntpMiddle ?? 0, dlsr: sr ? Math.round(((now - sr.monoMs) * 65536) / 1000) : 0 },
    });
    this.lastReportMono = now;
    this.deps.send(buf, now);
  }
}
