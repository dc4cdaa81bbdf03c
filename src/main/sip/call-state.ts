/**
 * The call state machine of {@link CallState} (src/shared/types.ts), as a table.
 *
 * ```
 *  idle ─▶ inviting ─▶ ringing ─▶ answered ─▶ ending ─▶ ended
 *             │           │          │                    ▲
 *             └───────────┴──────────┴────▶ failed        │
 *                         answered ──(remote BYE)─────────┘
 * ```
 * - `inviting`: uac: INVITE being sent, no ringing yet; uas: INVITE received.
 * - `ringing`: uac: a 180/183 arrived (a 2xx without one passes through `ringing`); uas: 180 sent.
 * - `answered`: a 2xx was sent (uas) or received and ACKed (uac).
 * - `ending`: we sent BYE and wait for its response.
 * - `ended`: after a BYE (ours answered, or the remote one we answered).
 * - `failed`: the call never got answered (rejected, cancelled, timed out, transport error) or an
 *   answered call ended without a BYE (e.g. no ACK).
 */
import type { CallState } from '../../shared/types';

/** Allowed moves: the arrows of the diagram above. Terminal states have none. */
export const CALL_TRANSITIONS: Readonly<Record<CallState, readonly CallState[]>> = {
  idle: ['inviting'],
  inviting: ['ringing', 'failed'],
  ringing: ['answered', 'failed'],
  answered: ['ending', 'ended', 'failed'],
  ending: ['ended'],
  ended: [],
  failed: [],
};

/** True when `from → to` is an arrow of the diagram. */
export function canTransition(from: CallState, to: CallState): boolean {
  return CALL_TRANSITIONS[from].includes(to);
}

/** True for `ended` and `failed`. */
export function isTerminal(state: CallState): boolean {
  return state === 'ended' || state === 'failed';
}

/** A move the call state diagram does not allow. */
export class CallStateError extends Error {
  override readonly name = 'CallStateError';
  constructor(
    readonly from: CallState,
    readonly to: CallState,
  ) {
    super(`invalid call state transition ${from} → ${to} (allowed from ${from}: ${CALL_TRANSITIONS[from].join(', ') || 'none'})`);
  }
}
