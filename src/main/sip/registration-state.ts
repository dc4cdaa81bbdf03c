/**
 * The registration's state machine ({@link RegistrationState}), as a table checked by
 * `SipRegistration` (registration.ts) through state-machine.ts.
 *
 * ```
 *            ┌────────────── refresh ──────────────┐
 *            ▼                                     │
 *  idle ─▶ registering ─200─▶ registered ──────────┘
 *   │          │                  │
 *   │          └─fail─▶ failed ◀──┼─────────── fail ─┐
 *   │                    │  ▲     ▼                   │
 *   └──────────────▶ unregistering ─200─▶ unregistered
 * ```
 * - `registering`: a REGISTER (first, refresh or retry) is out; `unregistering`: one with expires=0.
 * - From `failed` and `unregistered` a new register() or unregister() starts over.
 *
 * @remarks RFC 3261 §10.2 (register, refresh, remove bindings).
 */
/** Where a registration is (see the diagram above). */
export type RegistrationState = 'idle' | 'registering' | 'registered' | 'unregistering' | 'unregistered' | 'failed';

/** Allowed moves: the arrows of the diagram above. */
export const REGISTRATION_TRANSITIONS: Readonly<Record<RegistrationState, readonly RegistrationState[]>> = {
  idle: ['registering', 'unregistering'],
  registering: ['registered', 'failed'],
  registered: ['registering', 'unregistering'],
  unregistering: ['unregistered', 'failed'],
  unregistered: ['registering', 'unregistering'],
  failed: ['registering', 'unregistering'],
};
