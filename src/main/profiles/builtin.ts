/**
 * The built-in vendor profiles (design.md §3), as data. Every rule carries its source in
 * `sources` (issue 14): a seed guide by file name, a NICE document tag of cxone-reference.md, an
 * RFC, or "assumed here" with why. docs/cxone-facts.md is the table of them all.
 *
 * These objects are frozen: callers get copies through `listProfiles()` / `getProfile()` (index.ts).
 */
import type { VendorProfile } from '../../shared/profile';
import { ANY_P1 } from './signal-check';
import { assumed, nice, rfc, seed, SEED } from './sources';

/**
 * A CXone ContactId (and MasterId) is a decimal integer. No source gives a maximum length; 20 digits
 * covers a 64-bit unsigned integer. Assumed here (no source gives the format).
 */
export const CXONE_CONTACT_ID_PATTERN = '^[0-9]{1,20}$';

const NUMERIC_ID = assumed('contact id format', 'no source gives the format of a ContactId; the ids in the guides and NICE samples are decimal integers');
const V30 = assumed('API version', 'the guide names no version; v30.0 is the newest seen on /interactions/{id}/signal (cxone-reference.md §2 [COG])');
const PATH_LOWER = nice('RC-AUTH', 'NICE\'s examples spell the prefix /incontactapi/ (both spellings are served, cxone-reference.md §1c)');
const CASE_INSENSITIVE = rfc('RFC 3261 §7.3.5', 'SIP header names compare case-insensitively; the vendor guide does not say the bot compares them exactly');

const kore: VendorProfile = {
  id: 'kore',
  name: 'Kore.ai',
  contactIdHeaders: ['X-ExternalCallId'],
  headerCaseSensitive: true,
  valuePattern: CXONE_CONTACT_ID_PATTERN,
  expectedP1: ['AgentHandoff'],
  defaultSignal: { p1: 'AgentHandoff', p3: 'kore-session-0001' },
  auth: 'access-key',
  apiVersion: 'v28.0',
  pathStyle: 'incontactapi',
  hangsUp: 'bot',
  topology: { kind: 'main-spawn', headerHolds: 'main', onSignalIn: 'main' },
  placeCall: { requireTls: true, mustMatch: 'the SIP DID configured in the AI for Service SIP trunk' },
  extraHeaders: [],
  sources: {
    contactIdHeaders: seed(SEED.kore, "the bot script reads headers.find(o => o.name === 'X-ExternalCallId')"),
    headerCaseSensitive: seed(SEED.kore, 'the bot script compares the name with ===, so the case must match exactly'),
    valuePattern: NUMERIC_ID,
    expectedP1: seed(SEED.kore, 'Signal ...?p1=AgentHandoff&p3=<conversationSessionId>: "p1=AgentHandoff triggers the agent transfer"'),
    auth: seed(SEED.kore, 'POST https://{region}.nice-incontact.com/authentication/v1/token/access-key, then Bearer access_token'),
    apiVersion: seed(SEED.kore, 'POST https://api-{cluster}.nice-incontact.com/incontactapi/services/v28.0/interactions/{ContactId}/signal'),
    pathStyle: seed(SEED.kore, 'the Signal URL spells /incontactapi/'),
    hangsUp: seed(SEED.kore, 'after the Signal API "the call must end from Kore, or the user must be disconnected"'),
    topology: assumed(
      'main + spawn: the header holds the Main script\'s ContactId, which waits in ONSIGNAL',
      'seed 000 has a Main script (accepts the call on the DID) that SPAWNs a Spawn script (SIPPUTHEADER, PLACECALL), and the bot signals the id it read from X-ExternalCallId; which script\'s id the header holds is only in Kore\'s sample script PDFs, not in the text',
    ),
    placeCall: seed(SEED.kore, 'SIP trunk "Transport Type: TLS"; PLACECALL: "Enter the SIP DID number configured in the AI for Service SIP Trunk"'),
  },
  notes: 'Kore.ai over SIP without VAH: Main + Spawn scripts, X-ExternalCallId matched exactly, access-key token, Signal v28.0 with p1=AgentHandoff; the bot ends its own leg. Sources per rule: docs/cxone-facts.md (seed 000_d4ad4dad8823db79.txt, [KORE]).',
};

const synthflow: VendorProfile = {
  id: 'synthflow',
  name: 'Synthflow',
  contactIdHeaders: ['X-MasterId'],
  headerCaseSensitive: true,
  valuePattern: CXONE_CONTACT_ID_PATTERN,
  expectedP1: [],
  defaultSignal: { p1: 'Sales' },
  auth: 'access-key',
  apiVersion: 'v30.0',
  pathStyle: 'incontactapi',
  hangsUp: 'cxone',
  topology: { kind: 'parent-child', headerHolds: 'main', onSignalIn: 'main' },
  placeCall: { e164: true, mustMatch: 'the pseudo number added as the Synthflow SIP number' },
  extraHeaders: [{ name: 'X-Skill', value: 'Sales' }],
  sources: {
    contactIdHeaders: assumed('header name X-MasterId', 'seed 001 says the child sets "SIP headers for Synthflow context" but names none; set it to what the customer\'s child script sends'),
    headerCaseSensitive: assumed(
      'exact-case header names',
      'Synthflow\'s pass-call-context page says names are case-sensitive (cxone-reference.md §4 [SYN]), but seed 001 does not, and that page has no date here',
    ),
    valuePattern: NUMERIC_ID,
    expectedP1: seed(SEED.synthflow, 'p1 names the target queue ("p1=billing"): any value, no fixed list'),
    auth: assumed('access-key token', 'seed 001 names the Signal a Contact endpoint but no token flow; the access-key flow is NICE\'s recommended one (cxone-reference.md §1a [NICE-UH])'),
    apiVersion: V30,
    pathStyle: PATH_LOWER,
    hangsUp: seed(SEED.synthflow, 'on ONSIGNAL "The End Call block drops Synthflow from the conversation", then REQAGENT'),
    topology: seed(
      SEED.synthflow,
      'parent: ASSIGN SetMasterId = {ContactId}, ONSIGNAL, REQAGENT; child: SIPPUTHEADER, PLACECALL with LinkContactId = {MasterId}; the Signal "must include the Contact ID captured in MasterId"',
    ),
    placeCall: seed(SEED.synthflow, '"A pseudo number is an internal E.164 number"; the same pseudo number is entered in Synthflow as the SIP number'),
  },
  notes: 'Synthflow SIP backchannel: parent/child scripts, the bot signals the MasterId, the parent drops the bot leg on ONSIGNAL; pseudo number in E.164. The header name X-MasterId is a default chosen here. Sources per rule: docs/cxone-facts.md (seed 001_3d23a4ce92d59cc5.txt, [SYN]).',
};

const watson: VendorProfile = {
  id: 'watson',
  name: 'IBM Watson Assistant',
  contactIdHeaders: ['X-ContactID'],
  headerCaseSensitive: false,
  valuePattern: CXONE_CONTACT_ID_PATTERN,
  expectedP1: ['hangup', ANY_P1],
  defaultSignal: { p1: 'wa-session-history-key-0001' },
  auth: 'access-key',
  apiVersion: 'v30.0',
  pathStyle: 'incontactapi',
  hangsUp: 'cxone',
  topology: { kind: 'single', headerHolds: 'main', onSignalIn: 'main' },
  placeCall: { mustMatch: 'the number configured in Watson ("Use an existing phone number with an external provider")' },
  extraHeaders: [],
  sources: {
    contactIdHeaders: seed(SEED.watson, 'Sipputheader headerName X-ContactID, headerValue {ContactId} (the name is configurable in Watson; this is its documented value)'),
    headerCaseSensitive: CASE_INSENSITIVE,
    valuePattern: NUMERIC_ID,
    expectedP1: seed(SEED.watson, 'p1 is the session history key to transfer, or "hangup" to disconnect; p2..p9 carry custom_data'),
    auth: seed(SEED.watson, 'the integration is set up with a NICE CXone access key id and secret'),
    apiVersion: V30,
    pathStyle: PATH_LOWER,
    hangsUp: assumed(
      'CXone ends the bot leg',
      'seed 002\'s script runs HANGUP on p1=hangup and REQAGENT to transfer; that CXone, not Watson, then ends the bot leg is inferred (Watson sends BYE only on an error)',
    ),
    topology: seed(SEED.watson, 'one script: Sipputheader X-ContactID = {ContactId}, Placecall, Onsignal (no parent/child)'),
    placeCall: seed(SEED.watson, '"The phone number must match the number that you configured in Use an existing phone number with an external provider"'),
  },
  notes: 'IBM Watson Assistant phone integration: one script puts X-ContactID: {ContactId}, PLACECALLs and waits in ONSIGNAL; p1 = session history key or hangup; a BYE from Watson on error → ONRELEASE → transfer. Sources per rule: docs/cxone-facts.md (seed 002_3a3aada58f5230c3.txt, [IBM]).',
};

const polyai: VendorProfile = {
  id: 'polyai',
  name: 'PolyAI',
  contactIdHeaders: ['X-ContactId'],
  headerCaseSensitive: false,
  valuePattern: CXONE_CONTACT_ID_PATTERN,
  expectedP1: [],
  defaultSignal: { p1: 'handoff' },
  auth: 'oauth-password',
  apiVersion: 'v30.0',
  pathStyle: 'incontactapi',
  hangsUp: 'cxone',
  topology: { kind: 'single', headerHolds: 'main', onSignalIn: 'main' },
  placeCall: {},
  extraHeaders: [],
  sources: {
    contactIdHeaders: assumed('header name X-ContactId', 'seed 003 says the contact_id "is passed in an X-Header in the initial SIP INVITE" but not its name; set it per project'),
    headerCaseSensitive: CASE_INSENSITIVE,
    valuePattern: NUMERIC_ID,
    expectedP1: seed(SEED.polyai, 'up to 9 parameters and no p1 convention: any p1'),
    auth: seed(SEED.polyai, 'a NICE-registered app (client_id, client_secret, secret_basic) plus the customer\'s access key id and secret'),
    apiVersion: V30,
    pathStyle: PATH_LOWER,
    hangsUp: assumed('CXone ends the bot leg', 'PolyAI\'s guide does not say who ends the bot leg after the Signal'),
    topology: assumed('single script', 'seed 003 does not describe the CXone script; the simplest design (the script that PLACECALLs waits in ONSIGNAL) is assumed'),
    placeCall: seed(SEED.polyai, 'pseudo numbers are assigned by NICE per client; no rule on their form'),
  },
  notes: 'PolyAI over NICE\'s shared connector: contact_id in an X- header (name per project), Signal with up to 9 parameters, OAuth password grant of a NICE-registered app (secret_basic) plus an access key. Sources per rule: docs/cxone-facts.md (seed 003_45ce4caa43f38103.txt, [POLY]).',
};

const custom: VendorProfile = {
  id: 'custom',
  name: 'Custom',
  contactIdHeaders: ['X-ContactID'],
  headerCaseSensitive: false,
  valuePattern: CXONE_CONTACT_ID_PATTERN,
  expectedP1: [],
  defaultSignal: { p1: 'transfer' },
  auth: 'access-key',
  apiVersion: 'v30.0',
  pathStyle: 'incontactapi',
  hangsUp: 'cxone',
  topology: { kind: 'parent-child', headerHolds: 'main', onSignalIn: 'main' },
  placeCall: {},
  extraHeaders: [],
  sources: {
    contactIdHeaders: assumed('header name X-ContactID', 'a starting point for a bot not listed (IBM\'s spelling); set it to what the bot reads'),
    headerCaseSensitive: CASE_INSENSITIVE,
    valuePattern: NUMERIC_ID,
    expectedP1: assumed('any p1', 'a starting point: list the p1 values the customer\'s ONSIGNAL branches on'),
    auth: nice('NICE-UH', 'NICE calls access keys the future-required API access method'),
    apiVersion: V30,
    pathStyle: PATH_LOWER,
    hangsUp: assumed('CXone ends the bot leg', 'a starting point: set who ends the bot leg in the customer\'s design'),
    topology: assumed('parent/child, MasterId in the header and ONSIGNAL in the parent', 'a starting point (NICE\'s SIP backchannel pattern); set it to the customer\'s scripts'),
    placeCall: assumed('no PLACECALL rule', 'a starting point'),
  },
  notes: 'A permissive starting point for a bot not listed; edit the header names, case rule, topology and p1 values to what the customer really runs. Only X- headers can be sent by SIPPUTHEADER [H-PUT]. Sources per rule: docs/cxone-facts.md.',
};

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * The built-in profiles, in display order: `kore`, `synthflow`, `watson`, `polyai`, `custom`.
 * Deeply frozen; use `listProfiles()` / `getProfile()` for mutable copies.
 */
export const BUILTIN_PROFILES: readonly VendorProfile[] = deepFreeze([kore, synthflow, watson, polyai, custom]);
