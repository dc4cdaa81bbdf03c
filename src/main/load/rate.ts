/**
 * Paces call starts for `lab load`: call i is due at start + i / rate (a fixed schedule on the
 * monotonic clock, so timer lateness does not accumulate), never more than `concurrent` calls up
 * at once, until `calls` were started, `durationMs` passed, or the signal aborts. A schedule that
 * fell behind (a full concurrency cap, a blocked event loop) catches up at most one second's worth
 * of calls at once, like SIPp's rate control, instead of bursting everything it missed.
 */
import { monoNow } from '../clock';

/** Options of {@link paceCalls}. */
export interface PaceOptions {
  /** Calls per second (> 0). */
  rate: number;
  /** Calls to start in all (≥ 1); Infinity with `durationMs`. */
  calls: number;
  /** Most calls up at once; default unbounded. */
  concurrent?: number;
  /** Stop starting calls after this long (ms from the first start). */
  durationMs?: number;
  signal?: AbortSignal;
  /**
   * Starts call i; resolves when it has ended. Must not reject (a rejection is caught and counted
   * as the call's end).
   */
  start: (i: number) => Promise<void>;
}

/**
 * Runs the schedule.
 * @returns the number of calls started, once every started call has ended.
 */
export async function paceCalls(o: PaceOptions): Promise<number> {
  if (!(o.rate > 0)) throw new Error(`rate ${o.rate}: calls per second must be > 0`);
  const cap = o.concurrent ?? Infinity;
  const interval = 1000 / o.rate;
  let base = monoNow();
  let started = 0;
  let live = 0;
  let slot: (() => void) | null = null;
  // Resolved when the last live call ends (a counter, not Promise.race over every live call, which
  // costs O(live²) reactions when many calls are still up at the end).
  let drained: (() => void) | null = null;
  const stopped = (): boolean =>
    started >= o.calls || (o.signal?.aborted ?? false) || (o.durationMs !== undefined && monoNow() - base >= o.durationMs && started > 0);
  const t0 = base;
  while (!stopped()) {
    if (live >= cap) {
      await new Promise<void>((r) => (slot = r));
      continue;
    }
    let due = base + started * interval;
    const now = monoNow();
    // Behind by more than a second: move the schedule so at most a second's calls go at once.
    if (now - due > 1000) {
      base += now - due - 1000;
      due = base + started * interval;
    }
    if (due > now + 1) {
      await sleep(due - now, o.signal);
      continue;
    }
    if (o.durationMs !== undefined && monoNow() - t0 >= o.durationMs && started > 0) break;
    const i = started++;
    live += 1;
    void o
      .start(i)
      .catch(() => {})
      .finally(() => {
        live -= 1;
        const s = slot;
        slot = null;
        s?.();
        if (live === 0) drained?.();
      });
  }
  if (live > 0) await new Promise<void>((r) => (drained = r));
  return started;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
