/**
 * Statistics of the RTP stream we receive, per RFC 3550: sequence number tracking (A.1: cycles,
 * dropouts, misordering), expected and lost packets (A.3), interarrival jitter (A.8, §6.4.1), plus
 * out-of-order and duplicate counts and SSRC changes. Also the report block about that stream for
 * our RTCP receiver reports (§6.4.1, A.3 "fraction lost" over the interval).
 *
 * One source state per SSRC: a new SSRC starts a new state (the SDP named the peer, so no
 * MIN_SEQUENTIAL probation as in A.1 is applied; its first packet counts). Totals add up every
 * source; jitter is the current source's.
 */
import type { RtpStreamStats } from '../../shared/types';
import { CLOCK_RATE } from './media-config';

/** RFC 3550 A.1: largest forward jump still taken as the same stream. */
const MAX_DROPOUT = 3000;
/** RFC 3550 A.1: largest backward step taken as reordering (larger restarts after two packets). */
const MAX_MISORDER = 100;
const SEQ_MOD = 0x10000;
/** Recently received extended sequence numbers kept to recognise duplicates. */
const DUP_WINDOW = 1024;
/** Sources kept at most (a flood of random SSRCs cannot grow memory). */
const MAX_SOURCES = 16;

/** How one packet was classified. */
export interface SeqVerdict {
  duplicate: boolean;
  outOfOrder: boolean;
  /** The packet's SSRC differs from the previous packet's. */
  ssrcChanged: boolean;
  /** A.1 rejected it (a large jump, waiting for a second packet to confirm a restart). */
  rejected: boolean;
}

class SourceState {
  maxSeq: number;
  cycles = 0;
  baseSeq: number;
  badSeq = SEQ_MOD + 1;
  /** Unique packets received (duplicates excluded). */
  received = 0;
  expectedPrior = 0;
  receivedPrior = 0;
  /** Jitter in timestamp units (A.8), and the transit of the previous audio packet. */
  jitter = 0;
  maxJitter = 0;
  private lastTransit: { arrivalUnits: number; ts: number } | undefined;
  private readonly seen = new Float64Array(DUP_WINDOW).fill(Number.NaN);

  constructor(seq: number) {
    this.baseSeq = seq;
    this.maxSeq = seq;
  }

  get extendedMax(): number {
    return this.cycles + this.maxSeq;
  }

  get expected(): number {
    return this.extendedMax - this.baseSeq + 1;
  }

  /** A.1 update_seq with duplicate/out-of-order classification. */
  update(seq: number): { duplicate: boolean; outOfOrder: boolean; rejected: boolean } {
    const udelta = (seq - this.maxSeq + SEQ_MOD) % SEQ_MOD;
    let ext: number;
    let outOfOrder = false;
    if (udelta < MAX_DROPOUT) {
      if (seq < this.maxSeq) this.cycles += SEQ_MOD;
      this.maxSeq = seq;
      ext = this.extendedMax;
    } else if (udelta <= SEQ_MOD - MAX_MISORDER) {
      // A very large jump: restart only when the next packet follows this one (A.1 bad_seq).
      if (seq !== this.badSeq) {
        this.badSeq = (seq + 1) % SEQ_MOD;
        return { duplicate: false, outOfOrder: false, rejected: true };
      }
      this.restart(seq);
      ext = this.extendedMax;
    } else {
      // Behind the highest: a duplicate or a reordered packet (possibly from before a wrap).
      ext = this.cycles + seq - (seq > this.maxSeq ? SEQ_MOD : 0);
      outOfOrder = true;
    }
    const slot = ((ext % DUP_WINDOW) + DUP_WINDOW) % DUP_WINDOW;
    if (this.seen[slot] === ext) return { duplicate: true, outOfOrder: false, rejected: false };
    this.seen[slot] = ext;
    this.received += 1;
    if (ext < this.baseSeq) this.baseSeq = ext;
    return { duplicate: false, outOfOrder, rejected: false };
  }

  /** A.8: transit = arrival − timestamp (both in timestamp units); J += (|D| − J) / 16. */
  updateJitter(arrivalMs: number, ts: number): void {
    const arrivalUnits = (arrivalMs * CLOCK_RATE) / 1000;
    const prev = this.lastTransit;
    this.lastTransit = { arrivalUnits, ts };
    if (!prev) return;
    const dts = (ts - prev.ts) | 0; // signed 32-bit difference: survives the timestamp wrap
    const d = Math.abs(arrivalUnits - prev.arrivalUnits - dts);
    this.jitter += (d - this.jitter) / 16;
    if (this.jitter > this.maxJitter) this.maxJitter = this.jitter;
  }

  private restart(seq: number): void {
    this.received = 0;
    this.expectedPrior = 0;
    this.receivedPrior = 0;
    this.cycles = 0;
    this.baseSeq = seq;
    this.maxSeq = seq;
    this.badSeq = SEQ_MOD + 1;
    this.seen.fill(Number.NaN);
  }
}

/** RFC 3550 §6.4.1 report block fields about the stream we receive. */
export interface ReceptionReport {
  ssrc: number;
  /** Fraction lost since the previous report, 0..255 (A.3). */
  fractionLost: number;
  /** Cumulative packets lost, clamped to the 24-bit signed field. */
  cumulativeLost: number;
  /** Extended highest sequence number received. */
  highestSequence: number;
  /** Interarrival jitter, timestamp units. */
  jitter: number;
}

/** Statistics of the incoming RTP stream (see the file comment). */
export class RtpReceiveStats {
  private readonly sources = new Map<number, SourceState>();
  /** Expected/received of sources that were dropped from the map (kept in the totals). */
  private retired = { expected: 0, received: 0 };
  private currentSsrc: number | null = null;
  private ssrcChanges = 0;
  private packets = 0;
  private payloadBytes = 0;
  private outOfOrder = 0;
  private duplicates = 0;
  private maxJitter = 0;
  private firstMonoMs: number | null = null;
  private lastMonoMs: number | null = null;

  /**
   * Counts one RTP packet.
   * @param p.jitterSample - false for packets whose timestamp does not follow the clock (the
   *        packets of one telephone-event share a timestamp, RFC 4733 §2.5.1.1): no jitter sample.
   */
  update(p: { ssrc: number; seq: number; ts: number; arrivalMs: number; payloadBytes: number; jitterSample: boolean }): SeqVerdict {
    this.packets += 1;
    this.payloadBytes += p.payloadBytes;
    this.firstMonoMs ??= p.arrivalMs;
    this.lastMonoMs = p.arrivalMs;
    const ssrcChanged = this.currentSsrc !== null && this.currentSsrc !== p.ssrc;
    if (ssrcChanged) this.ssrcChanges += 1;
    this.currentSsrc = p.ssrc;
    let src = this.sources.get(p.ssrc);
    if (!src) {
      if (this.sources.size >= MAX_SOURCES) this.retire();
      src = new SourceState(p.seq);
      this.sources.set(p.ssrc, src);
    }
    const v = src.update(p.seq);
    if (v.duplicate) this.duplicates += 1;
    if (v.outOfOrder) this.outOfOrder += 1;
    if (!v.duplicate && !v.rejected && p.jitterSample) {
      src.updateJitter(p.arrivalMs, p.ts);
      this.maxJitter = Math.max(this.maxJitter, src.maxJitter);
    }
    return { ...v, ssrcChanged };
  }

  /** The statistics so far (RFC 3550 A.3 loss, A.8 jitter in ms at 8000 Hz). */
  snapshot(): RtpStreamStats {
    let expected = this.retired.expected;
    let received = this.retired.received;
    for (const s of this.sources.values()) {
      expected += s.expected;
      received += s.received;
    }
    const lost = Math.max(0, expected - received);
    const cur = this.currentSsrc === null ? undefined : this.sources.get(this.currentSsrc);
    return {
      direction: 'in',
      ssrc: this.currentSsrc,
      ssrcChanges: this.ssrcChanges,
      packets: this.packets,
      payloadBytes: this.payloadBytes,
      expected,
      lost,
      lossPercent: expected > 0 ? Math.round((lost / expected) * 10000) / 100 : 0,
      outOfOrder: this.outOfOrder,
      duplicates: this.duplicates,
      jitterMs: unitsToMs(cur?.jitter ?? 0),
      maxJitterMs: unitsToMs(this.maxJitter),
      firstMonoMs: this.firstMonoMs,
      lastMonoMs: this.lastMonoMs,
    };
  }

  /**
   * The report block about the current source for an RTCP SR/RR, and starts a new interval for
   * the fraction lost (RFC 3550 A.3). Undefined before the first packet.
   */
  takeReceptionReport(): ReceptionReport | undefined {
    if (this.currentSsrc === null) return undefined;
    const s = this.sources.get(this.currentSsrc);
    if (!s) return undefined;
    const expected = s.expected;
    const expectedInterval = expected - s.expectedPrior;
    const receivedInterval = s.received - s.receivedPrior;
    s.expectedPrior = expected;
    s.receivedPrior = s.received;
    const lostInterval = expectedInterval - receivedInterval;
    const fractionLost = expectedInterval === 0 || lostInterval <= 0 ? 0 : Math.floor((lostInterval * 256) / expectedInterval);
    return {
      ssrc: this.currentSsrc,
      fractionLost: Math.min(255, fractionLost),
      cumulativeLost: Math.max(-0x800000, Math.min(0x7fffff, expected - s.received)),
      highestSequence: s.extendedMax >>> 0,
      jitter: Math.floor(s.jitter),
    };
  }

  private retire(): void {
    for (const [ssrc, s] of this.sources) {
      if (ssrc === this.currentSsrc) continue;
      this.retired = { expected: this.retired.expected + s.expected, received: this.retired.received + s.received };
      this.sources.delete(ssrc);
      return;
    }
  }
}

/** Timestamp units at 8000 Hz → ms, rounded to 0.001 ms. */
function unitsToMs(units: number): number {
  return Math.round((units * 1000000) / CLOCK_RATE) / 1000;
}
