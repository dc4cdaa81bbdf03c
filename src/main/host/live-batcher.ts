/**
 * Coalesces the runtime's per-change call events into one `live/batch` per interval (issue 5 item
 * 9, issue 11 item 4), so that 100 concurrent calls cost the renderer about ten updates a second
 * instead of one per SIP message. A batch carries deltas, never whole calls: per call the summary
 * fields that changed (merged within the batch; a call's first appearance carries its whole
 * summary), the SIP messages it gained, its new checks and its media report.
 */
import type { CallDelta, LiveBatch } from '../../shared/contract';
import type { RuntimeEventMap, RuntimeEventName } from '../runtime/events';
import type { CheckResult, MediaReport, SipMessageRecord } from '../../shared/types';

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

function push<T>(m: Map<string, T[]>, k: string, v: T): void {
  const a = m.get(k);
  if (a) a.push(v);
  else m.set(k, [v]);
}

/** See the module comment. */
export class LiveBatcher {
  private calls = new Map<string, CallDelta>();
  private messages = new Map<string, SipMessageRecord[]>();
  private checks = new Map<string, CheckResult[]>();
  private media = new Map<string, MediaReport>();
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

  /** A call changed: its fields are merged over the pending ones (a whole summary is a delta too). */
  call(delta: CallDelta): void {
    if (this.stopped) return;
    const prev = this.calls.get(delta.id);
    this.calls.delete(delta.id); // re-insert: a batch lists calls in the order of their last change
    this.calls.set(delta.id, prev ? { ...prev, ...delta } : { ...delta });
    this.arm();
  }

  /** A SIP message was recorded for a call (callRef null: a message of no known call, not announced). */
  message(callRef: string | null, message: SipMessageRecord): void {
    if (this.stopped || callRef === null) return;
    push(this.messages, callRef, message);
    this.arm();
  }

  /** A check was recorded for a call. */
  check(callRef: string | null, check: CheckResult): void {
    if (this.stopped || callRef === null) return;
    push(this.checks, callRef, check);
    this.arm();
  }

  /** A call's media report was recorded. */
  mediaReport(callRef: string, media: MediaReport): void {
    if (this.stopped) return;
    this.media.set(callRef, media);
    this.arm();
  }

  /**
   * Takes one runtime event: the call events (start, change, SIP message, check, media) join the
   * batch. @returns false for an event that is not batched (the caller sends it itself).
   */
  feed<E extends RuntimeEventName>(name: E, payload: RuntimeEventMap[E]): boolean {
    switch (name) {
      case 'call/started':
      case 'call/changed':
        this.call(payload as RuntimeEventMap['call/changed']);
        return true;
      case 'sip/message': {
        const m = payload as RuntimeEventMap['sip/message'];
        this.message(m.callRef, m.message);
        return true;
      }
      case 'check/added': {
        const c = payload as RuntimeEventMap['check/added'];
        this.check(c.callRef, c.check);
        return true;
      }
      case 'media/stats': {
        const m = payload as RuntimeEventMap['media/stats'];
        this.mediaReport(m.callRef, m.media);
        return true;
      }
      default:
        return false;
    }
  }

  /** Emits the pending batch now (nothing when empty). */
  flush(): void {
    this.cancel?.();
    this.cancel = null;
    if (this.calls.size === 0 && this.messages.size === 0 && this.checks.size === 0 && this.media.size === 0) return;
    const newMessages: Record<string, SipMessageRecord[]> = {};
    const counts: Record<string, number> = {};
    for (const [k, list] of this.messages) {
      counts[k] = list.length;
      newMessages[k] = list;
    }
    const batch: LiveBatch = {
      calls: [...this.calls.values()],
      sipMessages: counts,
      messages: newMessages,
      checks: Object.fromEntries(this.checks),
      media: Object.fromEntries(this.media),
    };
    this.calls = new Map();
    this.messages = new Map();
    this.checks = new Map();
    this.media = new Map();
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
