/**
 * A latency histogram with fixed memory (issue 12: memory stays flat under load): values in ms
 * are counted in 0.1 ms buckets up to {@link HISTOGRAM_MAX_MS}; larger values share one overflow
 * bucket (their maximum is kept). Percentiles are exact to 0.1 ms below the cap.
 * Nearest-rank percentiles (the smallest value with at least p % of the samples at or below it).
 */

/** Values above this (ms) are counted in the overflow bucket. */
export const HISTOGRAM_MAX_MS = 60_000;
const RESOLUTION = 10; // buckets per ms

/** Percentiles of one latency mark, ms (null when there was no sample). */
export interface Percentiles {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  mean: number | null;
}

/** Counts of latency values in 0.1 ms buckets (about 2.4 MB: 600,001 uint32). */
export class LatencyHistogram {
  private readonly buckets = new Uint32Array(HISTOGRAM_MAX_MS * RESOLUTION + 1);
  private n = 0;
  private sum = 0;
  private maxMs = 0;

  /** Adds one value (ms; negative or non-finite values are ignored). */
  add(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    const i = Math.min(this.buckets.length - 1, Math.round(ms * RESOLUTION));
    this.buckets[i]! += 1;
    this.n += 1;
    this.sum += ms;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  /** Samples counted. */
  get count(): number {
    return this.n;
  }

  /**
   * The nearest-rank percentile `p` (0 < p ≤ 100), ms rounded to 0.1; null without samples. A
   * percentile in the overflow bucket is reported as the maximum seen.
   */
  percentile(p: number): number | null {
    if (this.n === 0) return null;
    const rank = Math.max(1, Math.ceil((p / 100) * this.n));
    let seen = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      seen += this.buckets[i]!;
      if (seen >= rank) return i === this.buckets.length - 1 ? round1(this.maxMs) : i / RESOLUTION;
    }
    return round1(this.maxMs);
  }

  /** p50, p95, p99, max and mean. */
  summary(): Percentiles {
    if (this.n === 0) return { count: 0, p50: null, p95: null, p99: null, max: null, mean: null };
    return {
      count: this.n,
      p50: this.percentile(50),
      p95: this.percentile(95),
      p99: this.percentile(99),
      max: round1(this.maxMs),
      mean: round1(this.sum / this.n),
    };
  }
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}
