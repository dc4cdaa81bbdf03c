/**
 * The app's one clock (design.md §4): monotonic readings for every latency figure, plus one
 * wall-clock anchor taken at start-up to display them.
 */

/** A stamp: `monoMs` from `performance.now()` (monotonic, ms, fractional), `wallMs` Unix ms for display. */
export interface Stamp {
  monoMs: number;
  wallMs: number;
}

/** Reads the monotonic clock now (ms, fractional). Differences of these are the only latency figures. */
export function monoNow(): number {
  return performance.now();
}

/** Converts a monotonic reading to Unix ms through the process's time origin (one anchor). */
export function monoToWall(monoMs: number): number {
  return performance.timeOrigin + monoMs;
}

/** Stamps now. */
export function stampNow(): Stamp {
  const monoMs = performance.now();
  return { monoMs, wallMs: performance.timeOrigin + monoMs };
}

/**
 * The anchor that ties `process.hrtime.bigint()` (ns, one monotonic clock for every thread of the
 * process) to `performance.now()` (this thread's ms): two readings taken back to back at load.
 */
const HR_ANCHOR_NS = process.hrtime.bigint();
const HR_ANCHOR_MONO_MS = performance.now();

/**
 * Converts an `process.hrtime.bigint()` reading (ns), possibly taken on another thread (the SIP
 * wire thread, sip/udp-wire.ts), to a stamp on this thread's clock (error: the few µs between the
 * two anchor readings).
 */
export function stampFromHrtime(hrNs: bigint): Stamp {
  const monoMs = HR_ANCHOR_MONO_MS + Number(hrNs - HR_ANCHOR_NS) / 1e6;
  return { monoMs, wallMs: performance.timeOrigin + monoMs };
}

/** Rounds a duration (ms) to 0.1 ms for display and JSON. */
export function roundMs(ms: number): number {
  return Math.round(ms * 10) / 10;
}
