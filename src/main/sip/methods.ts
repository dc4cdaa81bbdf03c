/**
 * The SIP methods this endpoint serves, and the one `Allow` list it advertises (RFC 3261 §20.5:
 * Allow lists the methods the UA supports; §8.2.1: a method it knows but does not support gets 405
 * with that list).
 *
 * sip.js advertises and accepts a fixed list (`AllowedMethods`, "FIXME: Should be configurable")
 * that also names PRACK, REFER, REGISTER and SUBSCRIBE. We support none of them: no reliable
 * provisional responses (100rel), no registrar, no subscriptions; and a REFER without an `onRefer`
 * delegate is accepted by sip.js, which then places a call of its own to the Refer-To target, out
 * of sight of the call, the recorder and the user. {@link useOurAllowList} puts our list in its
 * place, so that those requests get 405 with a true Allow, and our 200s and OPTIONS answers say
 * what we serve. A bot that transfers by REFER instead of CXone's Signal API (cxone-reference.md §2:
 * the bot hands the call back with a Signal) sees the 405 on the ladder.
 */
import { AllowedMethods } from 'sip.js/lib/core/user-agent-core/allowed-methods.js';

/**
 * Methods served: INVITE dialogs (INVITE, ACK, BYE, CANCEL), INFO for DTMF (dtmf-info.ts), OPTIONS
 * pings, and two sip.js answers on its own: MESSAGE (200) and NOTIFY (481 without a subscription,
 * RFC 6665 §3.2; listed as the registration always listed it).
 */
export const SUPPORTED_METHODS: readonly string[] = ['ACK', 'BYE', 'CANCEL', 'INFO', 'INVITE', 'MESSAGE', 'NOTIFY', 'OPTIONS'];

/** The `Allow` header line (`Allow: ACK, BYE, …`) for our requests and refusals. */
export const ALLOW_HEADER = `Allow: ${SUPPORTED_METHODS.join(', ')}`;

/**
 * Makes sip.js advertise and accept {@link SUPPORTED_METHODS} only (its module-level list,
 * `sip.js/lib/core/user-agent-core/allowed-methods.js`, shared by every UserAgent). Idempotent.
 */
export function useOurAllowList(): void {
  if (AllowedMethods.length === SUPPORTED_METHODS.length && AllowedMethods.every((m, i) => m === SUPPORTED_METHODS[i])) return;
  AllowedMethods.splice(0, AllowedMethods.length, ...SUPPORTED_METHODS);
}
