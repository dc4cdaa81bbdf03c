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

/** Rounds a duration (ms) to 0.1 ms for display and JSON. */
export function roundMs(ms: number): number {
  return Math.round(ms * 10) / 10;
}
