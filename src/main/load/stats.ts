/**
 * The figures of a load run, kept as counters, histograms and per-second buckets only: nothing per
 * call outlives the call (issue 12: memory stays flat). Times in ms.
 */
import { LatencyHistogram, type Percentiles } from './histogram';

/** What one ended call contributes to the stats. */
export interface LoadCallOutcome {
  /** Monotonic ms the INVITE was handed to the SIP stack. */
  startMonoMs: number;
  /** 2xx received. */
  answered: boolean;
  /**
   * Why it failed, as counted: the final status (`486 Busy Here`), `timeout`, `transport error`…;
   * null when it did not fail (answered and ended with a BYE).
   */
  failure: string | null;
  /** INVITE sent → first 100 / 180-or-183 / 2xx received (ms); absent when none came. */
  marks: { invite_to_100?: number; invite_to_180?: number; invite_to_200?: number };
  /** The far end's contact-id verdict, when known (the far end is the app and shares history). */
  farVerdict?: boolean | null;
  /** RTP received from the far end (with --media). */
  rtp?: { packets: number; lost: number; jitterMs: number } | null;
}

/** One second of the run: calls started, answered and failed in it (by start second). */
export interface LoadSecond {
  /** Seconds since the first INVITE. */
  t: number;
  started: number;
  answered: number;
  failed: number;
}

/** The figures of a load run (the `figures` of its report). */
export interface LoadFigures {
  attempted: number;
  answered: number;
  failed: number;
  /** Calls started but not ended when the run stopped (interrupted). */
  open: number;
  /** Failures by reason (final status line, `timeout`…), most frequent first. */
  failedBy: { reason: string; count: number }[];
  /** Calls per second actually started: attempted / (last INVITE − first INVITE), one call: 0. */
  callsPerSecond: number;
  /** Wall time from the first INVITE to the last call's end (ms). */
  elapsedMs: number;
  /** Most calls up at once. */
  peakConcurrent: number;
  latency: { invite_to_100: Percentiles; invite_to_180: Percentiles; invite_to_200: Percentiles };
  /** The far end's contact-id verdicts (only when read from shared history). */
  farVerdicts: { ok: number; failed: number; unknown: number } | null;
  /** Media totals with --media: RTP packets received, lost, mean jitter. */
  media: { calls: number; packets: number; lost: number; meanJitterMs: number } | null;
  /** Calls started, answered and failed per second of the run (the rate-over-time chart). */
  timeline: LoadSecond[];
}

/** Accumulates {@link LoadCallOutcome}s. */
export class LoadStats {
  attempted = 0;
  answered = 0;
  failed = 0;
  private live = 0;
  private peak = 0;
  private readonly failures = new Map<string, number>();
  private readonly h100 = new LatencyHistogram();
  private readonly h180 = new LatencyHistogram();
  private readonly h200 = new LatencyHistogram();
  private readonly seconds: LoadSecond[] = [];
  private firstMono: number | null = null;
  private lastStartMono = 0;
  private lastEndMono = 0;
  private verdicts = { ok: 0, failed: 0, unknown: 0 };
  private verdictsSeen = false;
  private media = { calls: 0, packets: 0, lost: 0, jitterSum: 0 };

  /** Counts a call as started at `monoMs`. */
  started(monoMs: number): void {
    this.firstMono ??= monoMs;
    this.lastStartMono = monoMs;
    this.attempted += 1;
    this.live += 1;
    if (this.live > this.peak) this.peak = this.live;
    this.second(monoMs).started += 1;
  }

  /** Counts a call as ended, with what it contributes. */
  ended(o: LoadCallOutcome, endMonoMs: number): void {
    this.live = Math.max(0, this.live - 1);
    this.lastEndMono = Math.max(this.lastEndMono, endMonoMs);
    const sec = this.second(o.startMonoMs);
    if (o.answered) this.answered += 1;
    if (o.failure !== null) {
      this.failed += 1;
      sec.failed += 1;
      this.failures.set(o.failure, (this.failures.get(o.failure) ?? 0) + 1);
    } else if (o.answered) sec.answered += 1;
    if (o.marks.invite_to_100 !== undefined) this.h100.add(o.marks.invite_to_100);
    if (o.marks.invite_to_180 !== undefined) this.h180.add(o.marks.invite_to_180);
    if (o.marks.invite_to_200 !== undefined) this.h200.add(o.marks.invite_to_200);
    if (o.rtp) {
      this.media.calls += 1;
      this.media.packets += o.rtp.packets;
      this.media.lost += o.rtp.lost;
      this.media.jitterSum += o.rtp.jitterMs;
    }
  }

  /** Sets the far end's verdict counts (read from shared history at the end). */
  setFarVerdicts(v: { ok: number; failed: number; unknown: number }): void {
    this.verdicts = v;
    this.verdictsSeen = true;
  }

  /** Calls up now. */
  get open(): number {
    return this.live;
  }

  /** The figures so far (cheap enough for a progress line every 250 ms). */
  figures(opts: { withLatency?: boolean } = {}): LoadFigures {
    const span = this.lastStartMono - (this.firstMono ?? this.lastStartMono);
    const none: Percentiles = { count: 0, p50: null, p95: null, p99: null, max: null, mean: null };
    return {
      attempted: this.attempted,
      answered: this.answered,
      failed: this.failed,
      open: this.live,
      failedBy: [...this.failures].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count),
      callsPerSecond: span > 0 ? Math.round(((this.attempted - 1) / span) * 1000 * 10) / 10 : 0,
      elapsedMs: this.firstMono === null ? 0 : Math.round(Math.max(this.lastEndMono, this.lastStartMono) - this.firstMono),
      peakConcurrent: this.peak,
      latency:
        opts.withLatency === false
          ? { invite_to_100: none, invite_to_180: none, invite_to_200: none }
          : { invite_to_100: this.h100.summary(), invite_to_180: this.h180.summary(), invite_to_200: this.h200.summary() },
      farVerdicts: this.verdictsSeen ? { ...this.verdicts } : null,
      media:
        this.media.calls > 0
          ? { calls: this.media.calls, packets: this.media.packets, lost: this.media.lost, meanJitterMs: Math.round((this.media.jitterSum / this.media.calls) * 10) / 10 }
          : null,
      timeline: this.seconds.map((s) => ({ ...s })),
    };
  }

  private second(monoMs: number): LoadSecond {
    const t = Math.max(0, Math.floor((monoMs - (this.firstMono ?? monoMs)) / 1000));
    while (this.seconds.length <= t) this.seconds.push({ t: this.seconds.length, started: 0, answered: 0, failed: 0 });
    return this.seconds[t]!;
  }
}
