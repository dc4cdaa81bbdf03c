/**
 * The one text form of a Signal's parameters (issue 15): how every report, check, timeline and
 * dashboard view writes p1..p9.
 */
import { SIGNAL_PARAM_NAMES, type SignalParams } from './types';

/** What {@link formatSignalParams} writes for a Signal without parameters. */
export const NO_SIGNAL_PARAMS = 'no parameters';

/**
 * A Signal's parameters as the query string the Signal API takes them in:
 * `p1=AgentHandoff&p3=abc`, the set ones (not undefined, not empty) in the order p1..p9, values as
 * they are (not URL-encoded: this is for people, not for a URL; a value holding `&` or `=` is
 * shown as is); {@link NO_SIGNAL_PARAMS} when none is set.
 *
 * Source: cxone-reference.md §2, "Signal a Contact": `POST …/interactions/{contactId}/signal?p1=...&p2=...`,
 * optional query parameters p1…p9 only [GEN]; the Studio SIGNAL action takes 0–9 [H-SIG]. The same
 * p1..p9 are the variables ONSIGNAL hands the script. Names other than p1..p9 are not Signal
 * parameters and are left out.
 * @param p - the parameters (a {@link SignalParams}); never throws.
 * @returns e.g. `p1=wa-session-key&p2=x`, or `no parameters`.
 */
export function formatSignalParams(p: SignalParams): string {
  const parts = SIGNAL_PARAM_NAMES.filter((n) => p[n] !== undefined && p[n] !== '').map((n) => `${n}=${p[n]}`);
  return parts.length ? parts.join('&') : NO_SIGNAL_PARAMS;
}
