/**
 * The faults set on one CXone emulator and what is left of them: which ones fire once and have
 * fired, the rate-limit window, and which are persistent.
 *
 * Rules (documented choices of this emulator, not CXone facts):
 * - `expired-token`: once, the token a client holds is expired: when it is set while tokens are
 *   live, those expire at once; when none is live (e.g. at start), the next token is issued
 *   already expired. Either way the client gets 401, must renew and retry, and the renewed token
 *   is good (cxone-reference.md §6).
 * - `unauthorized-first`: the first authenticated API request after it was set gets 401 (once).
 * - `rate-limit`: the first Signal gets 429 with `Retry-After`; Signals within that window get 429
 *   too; after it, Signals are served again (the fault is spent).
 * - `server-error`, `reset`, `html-200`, `slow`: every Signal while the fault is set.
 * - `no-leg-drop`: only recorded; the child script reads it through `hasFault`.
 *
 * @remarks cxone-reference.md §2 (Signal errors), §6 (pitfalls); RFC 9110 §10.2.3 (Retry-After).
 */
import type { EmulatorReply } from './api-reply';
import type { EmulatorFault, EmulatorFaultKind } from './faults';

/** What the emulator must do to one Signal (or API) request because of a fault. */
export type FaultAction =
  | { kind: 'unauthorized' }
  | { kind: 'rate-limit'; retryAfterS: number }
  | { kind: 'server-error'; status: number }
  | { kind: 'reset' }
  | { kind: 'html-200' };

/** The fault set of one emulator. Times are monotonic (ms, `performance.now()`). */
export class FaultState {
  private list: EmulatorFault[] = [];
  private spent = new Set<EmulatorFaultKind>();
  private rateLimitUntilMs: number | null = null;

  constructor(faults: readonly EmulatorFault[] = []) {
    this.set(faults);
  }

  /** Replaces the fault set; one-shot faults are armed again. */
  set(faults: readonly EmulatorFault[]): void {
    this.list = faults.map((f) => ({ ...f }));
    this.spent = new Set();
    this.rateLimitUntilMs = null;
  }

  /** The faults set (copies). */
  get faults(): EmulatorFault[] {
    return this.list.map((f) => ({ ...f }));
  }

  /** Whether a fault of that kind is set (spent or not). */
  has(kind: EmulatorFaultKind): boolean {
    return this.list.some((f) => f.kind === kind);
  }

  private find<K extends EmulatorFaultKind>(kind: K): Extract<EmulatorFault, { kind: K }> | undefined {
    return this.list.find((f) => f.kind === kind) as Extract<EmulatorFault, { kind: K }> | undefined;
  }

  /** Marks `expired-token` as spent (the live tokens were expired instead of the next one). */
  spendExpiredToken(): void {
    if (this.has('expired-token')) this.spent.add('expired-token');
  }

  /** Whether the next token must be issued expired; true once per `expired-token`. */
  takeExpiredToken(): boolean {
    if (!this.has('expired-token') || this.spent.has('expired-token')) return false;
    this.spent.add('expired-token');
    return true;
  }

  /** Whether this authenticated API request must get 401; true once per `unauthorized-first`. */
  takeUnauthorized(): boolean {
    if (!this.has('unauthorized-first') || this.spent.has('unauthorized-first')) return false;
    this.spent.add('unauthorized-first');
    return true;
  }

  /** Delay before answering a Signal (ms); 0 without `slow`. */
  signalDelayMs(): number {
    return this.find('slow')?.delayMs ?? 0;
  }

  /** What to do to a Signal that passed authentication, at monotonic `nowMs`; null: serve it. */
  signalAction(nowMs: number): FaultAction | null {
    const rl = this.find('rate-limit');
    if (rl && !this.spent.has('rate-limit')) {
      if (this.rateLimitUntilMs === null) this.rateLimitUntilMs = nowMs + rl.retryAfterS * 1000;
      const left = this.rateLimitUntilMs - nowMs;
      if (left > 0 || rl.retryAfterS === 0) {
        if (rl.retryAfterS === 0) this.spent.add('rate-limit');
        return { kind: 'rate-limit', retryAfterS: Math.max(0, Math.ceil(Math.round(left) / 1000)) }; // whole ms: no float residue
      }
      this.spent.add('rate-limit');
    }
    if (this.has('reset')) return { kind: 'reset' };
    const se = this.find('server-error');
    if (se) return { kind: 'server-error', status: se.status ?? 500 };
    if (this.has('html-200')) return { kind: 'html-200' };
    return null;
  }
}

/** The HTML page of the `html-200` fault: what a gateway or login page in front of the API sends. */
export const FAULT_HTML_PAGE =
  '<!DOCTYPE html><html><head><title>Sign in - Gateway</title></head><body><h1>Sign in</h1><p>Emulated gateway page (fault html-200).</p></body></html>';

/**
 * The reply for a fault action, and the sentence the emulator's events use for it.
 * Error bodies are JSON `{ error, message }` like the emulator's other errors.
 */
export function faultReply(a: FaultAction): { reply: EmulatorReply; action: string } {
  switch (a.kind) {
    case 'unauthorized':
      return {
        reply: { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' }, json: { error: 'Unauthorized', message: 'emulated 401 on the first call (fault unauthorized-first)' } },
        action: 'answered 401',
      };
    case 'rate-limit':
      return {
        reply: { status: 429, headers: { 'Retry-After': String(a.retryAfterS) }, json: { error: 'TooManyRequests', message: `rate limited: retry after ${a.retryAfterS} s` } },
        action: `answered 429 with Retry-After: ${a.retryAfterS}`,
      };
    case 'server-error':
      return { reply: { status: a.status, json: { error: 'InternalServerError', message: `emulated server error ${a.status} (fault server-error)` } }, action: `answered ${a.status}` };
    case 'reset':
      return { reply: { status: 0, reset: true }, action: 'reset the connection without an answer' };
    case 'html-200':
      return { reply: { status: 200, text: FAULT_HTML_PAGE, headers: { 'Content-Type': 'text/html; charset=utf-8' } }, action: 'answered an HTML page with status 200' };
  }
}
