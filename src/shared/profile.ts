import type { RuleSource } from './rule-source';
import type { SipHeader, SignalParams } from './types';

export type { RuleSource } from './rule-source';

/**
 * Script topologies of the CXone side (issue 14, cxone-reference.md §2 "Script designs differ"):
 * - `single`: one script runs SIPPUTHEADER, PLACECALL and waits in ONSIGNAL (IBM, seed 002);
 * - `main-spawn`: a Main script accepts the caller and SPAWNs a Spawn script that puts the headers
 *   and places the call (Kore, seed 000);
 * - `parent-child`: the parent keeps `MasterId = {ContactId}` and waits in ONSIGNAL; the child puts
 *   the MasterId in the header and PLACECALLs (Synthflow, seed 001; NICE's SIP backchannel).
 */
export type TopologyKind = 'single' | 'main-spawn' | 'parent-child';

/**
 * A script topology and its two settings. `main` is the script of the caller's contact (Main /
 * parent; its ContactId is the MasterId); `placer` is the script that runs PLACECALL to the bot
 * (Spawn / child). Under `single` they are one script and one contact, so both settings name it.
 */
export interface ScriptTopology {
  kind: TopologyKind;
  /** Whose ContactId SIPPUTHEADER puts in the contact-id header. */
  headerHolds: 'main' | 'placer';
  /** Which contact's script waits in ONSIGNAL (a Signal to any other contact does nothing). */
  onSignalIn: 'main' | 'placer';
}

/** The fields of a profile a rule can be about (each has a source in {@link VendorProfile.sources}). */
export const PROFILE_RULE_FIELDS = [
  'contactIdHeaders',
  'headerCaseSensitive',
  'valuePattern',
  'expectedP1',
  'auth',
  'apiVersion',
  'pathStyle',
  'hangsUp',
  'topology',
  'placeCall',
] as const;
export type ProfileRuleField = (typeof PROFILE_RULE_FIELDS)[number];

/**
 * What the PLACECALL of the CXone script must dial and over which transport, as far as a seed says
 * (issue 14 item 5). Checked where the app sees the PLACECALL (emulate, call, test cases).
 */
export interface PlaceCallRules {
  /** The bot's trunk requires SIP over TLS (Kore: "Transport Type: TLS", seed 000). */
  requireTls?: boolean;
  /** The number must be E.164 (Synthflow's pseudo number, seed 001). */
  e164?: boolean;
  /**
   * The number PLACECALL dials must equal the number configured on the bot side (Kore: the SIP DID of
   * the AI for Service trunk, seed 000; Watson: the number of "Use an existing phone number with an
   * external provider", seed 002). This names what that number is; `botNumber` is its value.
   */
  mustMatch?: string;
  /** The number configured on the bot side (set per customer); absent: not checked. */
  botNumber?: string;
}

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
   * case-insensitive (RFC 3261 §7.3.5), but Kore's script compares names exactly (seed 000).
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
  /** The CXone scripts: which id goes in the header and which script waits in ONSIGNAL. */
  topology: ScriptTopology;
  /**
   * Legacy (before issue 14): `master` or `child`. Still accepted on input (it sets `topology` to
   * parent/child with the header and ONSIGNAL on that contact when `topology` is absent); the
   * built-ins no longer set it.
   * @deprecated use `topology`.
   */
  signalTarget?: 'master' | 'child';
  /** Seed facts about the PLACECALL number and the trunk (checked as warnings). */
  placeCall: PlaceCallRules;
  /** Further X- headers the emulated CXone child script puts with SIPPUTHEADER. */
  extraHeaders: SipHeader[];
  /** Where each rule of this profile comes from; a field without an entry is `assumed` (set by a user). */
  sources: Partial<Record<ProfileRuleField, RuleSource>>;
  /** Free text; the sources per rule are in `sources` (and docs/cxone-facts.md). */
  notes: string;
}

/**
 * One line for a rule's source, for the UI, CLI and reports: `seed 000_….txt`, `NICE H-PUT`,
 * `RFC 6749 §2.3.1`, or `assumed here (why)`; a missing source reads as assumed.
 */
export function formatRuleSource(s: RuleSource | undefined): string {
  if (!s) return 'assumed here (no source recorded)';
  switch (s.kind) {
    case 'seed':
      return `seed ${s.ref}`;
    case 'nice':
      return `NICE ${s.ref}`;
    case 'rfc':
      return s.ref;
    case 'assumed':
      return `assumed here (${s.why ?? s.ref})`;
  }
}
