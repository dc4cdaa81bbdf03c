/**
 * The transport connection's state machine (sip.js TransportState, sip-in-node.md §1.1), as a table
 * checked by {@link NodeSipTransport} through state-machine.ts.
 *
 * ```
 *  Disconnected ─connect()─▶ Connecting ─bound─▶ Connected ─disconnect()─▶ Disconnecting ─closed─▶ Disconnected
 *                               │                                                                     ▲
 *                               └──────────────────────── bind failed ────────────────────────────────┘
 * ```
 * "Connected" means "listener up": a lost TCP connection never leaves it (sip-in-node.md §1.7).
 */
import { TransportState } from 'sip.js';

/** Allowed moves: the arrows of the diagram above. */
export const TRANSPORT_TRANSITIONS: Readonly<Record<TransportState, readonly TransportState[]>> = {
  [TransportState.Disconnected]: [TransportState.Connecting],
  [TransportState.Connecting]: [TransportState.Connected, TransportState.Disconnected],
  [TransportState.Connected]: [TransportState.Disconnecting],
  [TransportState.Disconnecting]: [TransportState.Disconnected],
};
