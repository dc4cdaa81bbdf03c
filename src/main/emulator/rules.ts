/**
 * The rules the CXone emulator and the CXone client apply beyond a profile (issue 14), each with its
 * source: what `lab profiles --json` lists under `emulator`, and docs/cxone-facts.md tabulates.
 * Where NICE documents nothing searchable the emulator's behaviour is a choice, marked assumed.
 */
import type { RuleSource } from '../../shared/profile';
import { assumed, nice, rfc, seed, SEED } from '../profiles/sources';

/** One emulator or client rule. */
export interface EmulatorRule {
  /** Stable id, e.g. `emulator.signal-status` (docs/cxone-facts.md uses these). */
  id: string;
  rule: string;
  source: RuleSource;
}

/**
 * The status the emulator answers a Signal to an active contact with, by default. NICE documents no
 * status for Signal a Contact; its FAQ says only that 200 is a synchronous success and 202 an
 * accepted asynchronous action [NICE-FAQ]. 202 is a choice (configurable: `signalStatus`).
 */
export const DEFAULT_SIGNAL_STATUS = 202;

/** Every emulator and client rule with its source, in display order. */
export const EMULATOR_RULES: readonly EmulatorRule[] = Object.freeze([
  {
    id: 'emulator.signal-status',
    rule: `Signal to an active contact answers ${DEFAULT_SIGNAL_STATUS} with an empty body (configurable: signalStatus)`,
    source: assumed('Signal status', 'NICE documents no status for Signal a Contact; the FAQ\'s generic rule is 200 = done, 202 = accepted [NICE-FAQ]; Cognigy\'s mock uses 204. The client accepts any 2xx'),
  },
  {
    id: 'client.signal-2xx',
    rule: 'any 2xx answer to a Signal is success; the exact code is logged',
    source: nice('NICE-FAQ', '200 means a synchronous success, 202 an accepted asynchronous action; no Signal-specific code is published'),
  },
  {
    id: 'emulator.signal-404',
    rule: 'Signal to an unknown or ended contact answers 404 NotFound',
    source: assumed('Signal error status', 'no CXone error table for Signal was found (cxone-reference.md §2); 404 is a choice'),
  },
  {
    id: 'emulator.signal-no-onsignal',
    rule: 'Signal to a contact whose script has no ONSIGNAL is accepted and nothing happens',
    source: assumed('Signal to the wrong leg', 'CXone documents no error for it; NICE warns to signal the correct contact id [H-SIG]'),
  },
  {
    id: 'emulator.onsignal-fires-in-signalled-script',
    rule: 'ONSIGNAL fires in the script of the contact signalled, interrupting it',
    source: nice('H-ONS'),
  },
  {
    id: 'emulator.signal-params',
    rule: 'Signal parameters are p1..p9 in the query string; a request body is ignored',
    source: nice('H-SIG', 'the SIGNAL action takes 0-9 parameters; the generated spec has only query parameters p1..p9 [GEN]'),
  },
  {
    id: 'emulator.topology.single',
    rule: 'single script: SIPPUTHEADER X-ContactID = {ContactId}, PLACECALL, ONSIGNAL in one script',
    source: seed(SEED.watson),
  },
  {
    id: 'emulator.topology.main-spawn',
    rule: 'main + spawn: the Main script SPAWNs the Spawn script, which puts the headers and PLACECALLs',
    source: seed(SEED.kore),
  },
  {
    id: 'emulator.topology.parent-child',
    rule: 'parent/child: the parent keeps MasterId and waits in ONSIGNAL; the child puts the MasterId in the header and PLACECALLs',
    source: seed(SEED.synthflow),
  },
  {
    id: 'emulator.onsignal.hangup',
    rule: 'ONSIGNAL with p1=hangup → HANGUP; other p1 → REQAGENT',
    source: seed(SEED.watson, '"If p1 is set to hangup when an Onsignal event is triggered, use Hangup"'),
  },
  {
    id: 'emulator.onrelease.transfer',
    rule: 'a BYE from the bot before any ONSIGNAL → ONRELEASE → transfer once (transferred flag)',
    source: seed(SEED.watson, '"Use Onrelease to process the BYE request and transfer a call to a live agent"; the transferred flag'),
  },
  {
    id: 'emulator.placecall.headers-before',
    rule: 'SIPPUTHEADER headers go only on the INVITE of a following PLACECALL (and its final 2xx); only X- headers',
    source: nice('H-PUT'),
  },
  {
    id: 'emulator.repeated-header',
    rule: 'a header put twice is sent twice; a bot can read one value: a repeated contact-id header is a warning naming the first value',
    source: nice('H-PUT', 'SIPPUTHEADER can run several times and sends the header twice; SIPGETHEADER reads one value [H-GET]'),
  },
  {
    id: 'emulator.child-contact-id',
    rule: 'the placing contact\'s id is the main contact\'s + 1',
    source: assumed('contact ids', 'CXone gives no rule for ids; consecutive numbers keep reports readable'),
  },
  {
    id: 'auth.access-key',
    rule: 'POST {auth}/authentication/v1/token/access-key with JSON {accessKeyId, accessKeySecret}',
    source: nice('NICE-UH'),
  },
  {
    id: 'auth.oauth-client-basic',
    rule: 'client_secret_basic: form-urlencode client id and secret, then Base64 "id:secret"',
    source: rfc('RFC 6749 §2.3.1', 'the client id and password are encoded with application/x-www-form-urlencoded, then used as the HTTP Basic user and password'),
  },
  {
    id: 'auth.oauth-client-post',
    rule: 'client_secret_post: client_id and client_secret in the form body (chosen by token_endpoint_auth_methods_supported or a setting)',
    source: rfc('RFC 6749 §2.3.1', 'the discovery document lists client_secret_basic and client_secret_post [RC-AUTH]'),
  },
  {
    id: 'auth.password-grant-encoding',
    rule: 'username and password (access key id and secret) are form-encoded: a trailing ==== is sent as %3D%3D%3D%3D',
    source: nice('RC-AUTH', 'RingCentral\'s copy of NICE\'s auth doc (cxone-reference.md §1b)'),
  },
  {
    id: 'hosts.api-area',
    rule: 'API host api-{area}.niceincontact.com (discovered api_endpoint); token host {area}.nice-incontact.com',
    source: nice('RC-AUTH', 'the cxone-configuration example returns api_endpoint https://api-na1.niceincontact.com and auth_endpoint https://na1.nice-incontact.com'),
  },
  {
    id: 'hosts.api-cluster',
    rule: 'API host api-{cluster}.nice-incontact.com (e.g. api-b32); the token host cannot be derived from a cluster: give the region or use discovery',
    source: seed(SEED.kore, 'POST https://api-{cluster}.nice-incontact.com/…/signal, "replace {cluster} with your NICE cluster, for example api-b32"'),
  },
  {
    id: 'checks.kore-tls',
    rule: 'Kore: the bot trunk uses SIP over TLS (a warning when the PLACECALL leg is not TLS)',
    source: seed(SEED.kore, 'SIP Trunk Configuration: "Transport Type: TLS"'),
  },
  {
    id: 'checks.placecall-number',
    rule: 'the PLACECALL number equals the number configured on the bot side (Kore DID, Watson number); Synthflow\'s pseudo number is E.164',
    source: seed(SEED.kore, 'seed 000 step 6, seed 002 note on Placecall, seed 001 Step 2'),
  },
  {
    id: 'checks.transfer-by-refer',
    rule: 'the bot hands the call back with a Signal, not a SIP REFER: a REFER from the bot is answered 405, never followed, and is a warning (transfer-by-refer)',
    source: assumed('the handoff is a Signal, not a REFER', 'the vendor guides (seeds 000-003) and cxone-reference.md §2 hand the call back with a Signal to CXone; none describes a REFER to CXone'),
  },
]);

/** The rule with this id. @throws when no rule has it (a programming error). */
export function emulatorRule(id: string): EmulatorRule {
  const r = EMULATOR_RULES.find((x) => x.id === id);
  if (!r) throw new Error(`no emulator rule ${id}`);
  return r;
}
