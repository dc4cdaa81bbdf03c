/**
 * Coalesces the core's per-change events (`call/updated`, `sip/message`) into one `live/batch`
 * per interval (issue 5 item 9), so that 100 concurrent calls cost the renderer about ten updates a
 * second instead of one per SIP message: each batch holds the latest summary of each call that
 * changed (older summaries of the same call are dropped) and how many SIP messages each call gained.
 */
import type { LiveBatch } from '../../shared/contract';
import type { CallSummary } from '../../shared/types';

/** Schedules one flush; returns a function that cancels it. */
export type BatchScheduler = (flush: () => void) => () => void;

/** The default interval between batches (ms): about six frames at 60 Hz. */
export const LIVE_BATCH_MS = 100;

/** A scheduler that flushes `ms` after the first change of a batch. */
export function timerScheduler(ms: number = LIVE_BATCH_MS): BatchScheduler {
  return (flush) => {
    const t = setTimeout(flush, ms);
    t.unref?.();
    return () => clearTimeout(t);
  };
}

/** See the module comment. */
export class LiveBatcher {
  private calls = new Map<string, CallSummary>();
  private messages = new Map<string, number>();
  private cancel: (() => void) | null = null;
  private stopped = false;

  /**
   * @param emit - receives each batch; an exception from it is the caller's (the Lab guards its listeners).
   * @param schedule - when to flush after the first change of a batch; default every {@link LIVE_BATCH_MS}.
   */
  constructor(
    private readonly emit: (batch: LiveBatch) => void,
    private readonly schedule: BatchScheduler = timerScheduler(),
  ) {}

  /** A call changed: its latest summary replaces any pending one. */
  call(summary: CallSummary): void {
    if (this.stopped) return;
    this.calls.delete(summary.id); // re-insert: a batch lists calls in the order of their last change
    this.calls.set(summary.id, summary);
    this.arm();
  }

  /** A SIP message was recorded for a call (null: a message of no known call, not announced). */
  message(callRef: string | null): void {
    if (this.stopped || callRef === null) return;
    this.messages.set(callRef, (this.messages.get(callRef) ?? 0) + 1);
    this.arm();
  }

  /** Emits the pending batch now (nothing when empty). */
  flush(): void {
    this.cancel?.();
    this.cancel = null;
    if (this.calls.size === 0 && this.messages.size === 0) return;
    const batch: LiveBatch = { calls: [...this.calls.values()], sipMessages: Object.fromEntries(this.messages) };
    this.calls = new Map();
    this.messages = new Map();
    this.emit(batch);
  }

  /** Flushes what is pending and ignores later changes. */
  stop(): void {
    this.flush();
    this.stopped = true;
  }

  private arm(): void {
    if (!this.cancel) this.cancel = this.schedule(() => this.flush());
  }
}
