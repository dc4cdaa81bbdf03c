import type { SipHeader, SignalParams } from './types';

/**
 * A vendor profile: how one bot platform expects the CXone handoff to look (design.md §3).
 * Profiles are data: editable in the app and stored with every run.
 */
export interface VendorProfile {
  /** Stable id used on the CLI (`--profile kore`). */
  id: string;
  /** Display name. */
  name: string;
  /** Header names that carry the contact id, in order of preference (the first is what CXone is told to send). */
  contactIdHeaders: string[];
  /**
   * Whether the bot matches the header name with exact case. SIP itself says header names are
   * case-insensitive (RFC 3261 §7.3.5), but Kore's script and Synthflow compare names exactly.
   */
  headerCaseSensitive: boolean;
  /** Regular expression (source, anchored by the author) the contact id must match. */
  valuePattern: string;
  /**
   * Values of p1 the bot is expected to send (empty: any). A `'*'` entry means "any other non-empty
   * value" (Watson: p1 is a session history key, or `hangup`).
   */
  expectedP1: string[];
  /** What the reference bot sends, and what the dashboard composer starts with. */
  defaultSignal: SignalParams;
  /** How the bot obtains its token (cxone-reference.md §1). */
  auth: 'access-key' | 'oauth-password';
  /** API version in the Signal path, e.g. `v28.0`. */
  apiVersion: string;
  /** Spelling of the API path prefix: `/incontactapi/` or `/inContactAPI/` (both seen, cxone-reference.md §1c). */
  pathStyle: 'incontactapi' | 'inContactAPI';
  /** Who ends the bot leg after the Signal: the bot (BYE from the bot) or CXone (BYE on ONSIGNAL). */
  hangsUp: 'bot' | 'cxone';
  /** Which contact id travels in the header and must be signalled: the parent's (MasterId) or the child's. */
  signalTarget: 'master' | 'child';
  /** Further X- headers the emulated CXone child script puts with SIPPUTHEADER. */
  extraHeaders: SipHeader[];
  /** Where the facts come from (cxone-reference.md source tags). */
  notes: string;
}
