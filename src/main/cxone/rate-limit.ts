/**
 * Honouring `Retry-After` after a 429: the time until which a host must not be called again is
 * remembered per host, and a call before then is refused with a message (it is not delayed: a
 * Signal sent seconds late is worse than a clear refusal the user or the bot can act on, and the
 * client never sleeps on the caller's behalf).
 *
 * @remarks RFC 9110 §10.2.3 (Retry-After), RFC 6585 §4 (429); cxone-reference.md §2 ("Rate
 * limits: no Admin-API or Signal-specific limits were found").
 */
import { monoNow } from '../clock';

/** A refusal: how long is left (ms) and the message. */
export interface RetryAfterRefusal {
  waitMs: number;
  message: string;
}

interface Entry {
  /** The host as noted. */
  host: string;
  untilMonoMs: number;
  retryAfterS: number;
}

/** Per-host "not before" times after a 429. Times are monotonic (ms). */
export class RetryAfterGate {
  private readonly hosts = new Map<string, Entry>();

  /** @param clock the monotonic clock (ms); default `monoNow` (tests advance their own). */
  constructor(private readonly clock: () => number = monoNow) {}

  /**
   * Records a 429 from `host` with `Retry-After: retryAfterS` (s). A missing or zero value records
   * nothing: the next call may go at once.
   */
  note(host: string, retryAfterS: number | null): void {
    if (retryAfterS === null || retryAfterS <= 0) return;
    const key = host.toLowerCase();
    const untilMonoMs = this.clock() + retryAfterS * 1000;
    const prev = this.hosts.get(key);
    if (!prev || prev.untilMonoMs < untilMonoMs) this.hosts.set(key, { host, untilMonoMs, retryAfterS });
  }

  /**
   * Whether `host` may be called now.
   *
   * @returns null when it may, else how long is left and a message saying the call was not sent.
   */
  check(host: string): RetryAfterRefusal | null {
    const key = host.toLowerCase();
    const e = this.hosts.get(key);
    if (!e) return null;
    const waitMs = e.untilMonoMs - this.clock();
    if (waitMs <= 0) {
      this.hosts.delete(key);
      return null;
    }
    const left = Math.ceil(Math.round(waitMs) / 100) / 10;
    return {
      waitMs,
      message: `not sent: ${e.host} answered 429 with Retry-After: ${e.retryAfterS}; calls to it are refused for ${left} s more (not delayed, not retried): try again then`,
    };
  }

  /** Forgets every host. */
  clear(): void {
    this.hosts.clear();
  }
}

/** The process-wide gate used by clients given none: one CXone host throttles every client of it. */
export const defaultRetryAfterGate = new RetryAfterGate();
