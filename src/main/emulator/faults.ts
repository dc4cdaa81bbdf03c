/**
 * Faults the CXone emulator can inject into a run, and the parser of their CLI spellings
 * (`lab emulate --fault rate-limit:2`…).
 *
 * Each fault imitates a failure a real CXone integration meets (cxone-reference.md §6 pitfalls):
 * an expired token, an auth refusal on the first call, throttling with `Retry-After`, a server
 * error, a slow answer, a connection reset, a gateway's HTML page with status 200, and a Signal
 * that is accepted (2xx) but whose ONSIGNAL never drops the bot leg.
 *
 * Token endpoints and discovery documents are never faulted. The rules in detail: fault-state.ts.
 *
 * @remarks cxone-reference.md §1a (token lifetime), §2 (error codes; "a gateway can return a
 * non-JSON error page with status 200" [COG]), §6; RFC 9110 §10.2.3 (Retry-After).
 */

/** One injectable fault. */
export type EmulatorFault =
  /** Once, the token a client holds is expired (the live ones, or else the next issued): 401 "token expired", renew, retry. */
  | { kind: 'expired-token' }
  /** The first authenticated API request after it is set gets 401, whatever its token. */
  | { kind: 'unauthorized-first' }
  /** The next Signal gets 429 with `Retry-After: retryAfterS` (s); Signals until then get 429 too. */
  | { kind: 'rate-limit'; retryAfterS: number }
  /** Every Signal gets a 5xx (default 500) with a JSON error body. */
  | { kind: 'server-error'; status?: number }
  /** Every Signal is answered after `delayMs` (ms). */
  | { kind: 'slow'; delayMs: number }
  /** Every Signal's connection is reset (TCP RST) without an answer; ONSIGNAL does not run. */
  | { kind: 'reset' }
  /** Every Signal gets an HTML page with status 200, as from a gateway or login page. */
  | { kind: 'html-200' }
  /** A Signal is accepted (2xx) but the script never drops the bot leg (read by the child script). */
  | { kind: 'no-leg-drop' };

/** The kinds of {@link EmulatorFault}. */
export type EmulatorFaultKind = EmulatorFault['kind'];

/** Valid CLI spellings, for help texts and error messages. */
export const FAULT_SPECS: readonly string[] = [
  'expired-token',
  'unauthorized-first',
  'rate-limit:<seconds>',
  'server-error[:<5xx status>]',
  'slow:<ms>',
  'reset',
  'html-200',
  'no-leg-drop',
];

function invalid(spec: string, why: string): Error {
  return new Error(`invalid fault "${spec}": ${why}; valid faults: ${FAULT_SPECS.join(', ')}`);
}

function integerArg(spec: string, arg: string | undefined, what: string, min: number, max: number): number {
  if (arg === undefined || !/^\d+$/.test(arg)) throw invalid(spec, `${what} must be a whole number`);
  const n = Number(arg);
  if (n < min || n > max) throw invalid(spec, `${what} must be ${min}..${max}`);
  return n;
}

/**
 * Parses a CLI fault spec: `expired-token`, `unauthorized-first`, `rate-limit:2` (Retry-After in s),
 * `server-error` or `server-error:503` (a 5xx status), `slow:3000` (delay in ms), `reset`, `html-200`,
 * `no-leg-drop`. Case-insensitive, surrounding blanks ignored.
 *
 * @throws Error naming the bad spec and listing the valid ones.
 */
export function parseFault(spec: string): EmulatorFault {
  const s = String(spec ?? '').trim().toLowerCase();
  const colon = s.indexOf(':');
  const name = colon < 0 ? s : s.slice(0, colon);
  const arg = colon < 0 ? undefined : s.slice(colon + 1);
  const noArg = (f: EmulatorFault): EmulatorFault => {
    if (arg !== undefined) throw invalid(spec, `${name} takes no argument`);
    return f;
  };
  switch (name) {
    case 'expired-token':
    case 'unauthorized-first':
    case 'reset':
    case 'html-200':
    case 'no-leg-drop':
      return noArg({ kind: name });
    case 'rate-limit':
      return { kind: 'rate-limit', retryAfterS: integerArg(spec, arg, 'Retry-After seconds', 0, 3600) };
    case 'server-error':
      return arg === undefined ? { kind: 'server-error' } : { kind: 'server-error', status: integerArg(spec, arg, 'status', 500, 599) };
    case 'slow':
      return { kind: 'slow', delayMs: integerArg(spec, arg, 'delay ms', 0, 600_000) };
    default:
      throw invalid(spec, 'unknown fault');
  }
}

/** The CLI spelling of a fault (inverse of {@link parseFault}), for reports. */
export function formatFault(f: EmulatorFault): string {
  switch (f.kind) {
    case 'rate-limit':
      return `rate-limit:${f.retryAfterS}`;
    case 'server-error':
      return f.status === undefined ? 'server-error' : `server-error:${f.status}`;
    case 'slow':
      return `slow:${f.delayMs}`;
    default:
      return f.kind;
  }
}
