/**
 * Checked moves of the SIP layer's state machines (the transport connection, transport-state.ts;
 * the registration, registration-state.ts; the call has its own, call-state.ts).
 *
 * A move the machine's table does not allow is never silent: in tests (`NODE_ENV=test` or `VITEST`
 * set) it throws {@link StateMachineError}, so a test that provokes it fails; in production it is a
 * logged warning and the move is made anyway (the world already changed: the state follows it).
 *
 * @remarks Assumed here (issue 11 item 5): warn-and-move in production rather than refuse, so that
 * a state never lags behind what the sockets or the registrar did.
 */
import type { SipLog } from './sip-log';

/** A move a state machine's table does not allow. */
export class StateMachineError extends Error {
  override readonly name = 'StateMachineError';
  constructor(
    readonly machine: string,
    readonly from: string,
    readonly to: string,
    allowed: readonly string[],
  ) {
    super(`invalid ${machine} state transition ${from} → ${to} (allowed from ${from}: ${allowed.join(', ') || 'none'})`);
  }
}

/** True when illegal moves throw: under a test runner (`NODE_ENV=test` or `VITEST` set). */
export function strictStateMachines(): boolean {
  return process.env.NODE_ENV === 'test' || !!process.env.VITEST;
}

/**
 * Checks one move against a table of allowed moves (`table[from]` lists the states reachable from
 * `from`; staying in the same state is not a move and is not checked here).
 * @param machine - its name for the message, e.g. `transport UDP`.
 * @param strict - throw instead of warning; default {@link strictStateMachines}.
 * @throws {@link StateMachineError} when the move is illegal and `strict`.
 * @returns true when the move is allowed; false when it is not (and was logged, in production).
 */
export function checkMove<S extends string>(
  machine: string,
  table: Readonly<Record<S, readonly S[]>>,
  from: S,
  to: S,
  log: SipLog,
  strict = strictStateMachines(),
): boolean {
  const allowed = table[from] ?? [];
  if (allowed.includes(to)) return true;
  const error = new StateMachineError(machine, from, to, allowed);
  if (strict) throw error;
  log('warn', `${error.message}; moving anyway`);
  return false;
}
