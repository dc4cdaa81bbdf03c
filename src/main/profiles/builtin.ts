/**
 * The built-in vendor profiles (design.md §3), as data. Facts come from cxone-reference.md; each
 * profile's `notes` names the source tags and says which values are choices made here because the
 * sources are silent.
 *
 * These objects are frozen: callers get copies through `listProfiles()` / `getProfile()` (index.ts).
 */
import type { VendorProfile } from '../../shared/profile';
import { ANY_P1 } from './signal-check';

/**
 * A CXone ContactId (and MasterId) is a decimal integer. No source gives a maximum length; 20 digits
 * covers a 64-bit unsigned integer.
 */
export const CXONE_CONTACT_ID_PATTERN = '^[0-9]{1,20}$';

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
  signalTarget: 'master',
  extraHeaders: [],
  notes: [
    "Kore's bot script reads the contact id with headers.find(o => o.name === 'X-ExternalCallId'): the name",
    'must match exactly, and the first header of that name wins; an empty value is ignored [KORE].',
    'Signal: POST .../incontactapi/services/v28.0/interactions/{ContactId}/signal?p1=AgentHandoff&p3=<conversation',
    'session id> with an access-key token [KORE]; p3 here is a placeholder. After signalling, the bot must end its',
    'own leg [KORE]. The contact id is the main script\'s (the main script SPAWNs the child that PLACECALLs) [KORE].',
  ].join(' '),
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
  signalTarget: 'master',
  extraHeaders: [{ name: 'X-Skill', value: 'Sales' }],
  notes: [
    'The parent script stores SetMasterId = {ContactId}; the child puts it in an X- header with SIPPUTHEADER before',
    'PLACECALL to the pseudo number; the bot signals the MasterId and the parent ends the bot leg on ONSIGNAL [SYN].',
    'Synthflow accepts any header name matching ^X-[A-Za-z0-9\\-_]+$, compared case-sensitively, and rejects values',
    'with CR, LF or NUL [SYN pass-call-context]. The name X-MasterId is a default chosen here (Synthflow publishes',
    'none); set it to what the customer\'s child script sends. p1 = the queue or skill to route to ("Sales" is a',
    'placeholder, so no fixed p1 list). The extra X-Skill header is illustrative: Synthflow exposes every X- header',
    'as a variable [SYN]. API version: Synthflow gives none; v30.0 is the newest seen on this path [COG].',
  ].join(' '),
};

const watson: VendorProfile = {
  id: 'watson',
  name: 'IBM Watson Assistant',
  contactIdHeaders: ['X-ContactID', 'X-Contact-ID'],
  headerCaseSensitive: false,
  valuePattern: CXONE_CONTACT_ID_PATTERN,
  expectedP1: ['hangup', ANY_P1],
  defaultSignal: { p1: 'wa-session-history-key-0001' },
  auth: 'access-key',
  apiVersion: 'v30.0',
  pathStyle: 'incontactapi',
  hangsUp: 'cxone',
  signalTarget: 'master',
  extraHeaders: [],
  notes: [
    'IBM\'s script puts X-Contact-ID: {ContactId} with SIPPUTHEADER before PLACECALL [IBM]; other IBM/seed text spells',
    'it X-ContactID, so both are accepted (X-ContactID first). Nothing says Watson compares names exactly, and SIP',
    'header names are case-insensitive (RFC 3261 §7.3.5), so this profile matches without case. p1 is reserved: the',
    'session history key to transfer (ONSIGNAL -> REQAGENT, transcript link built from it) or "hangup" (-> HANGUP);',
    'p2..p9 carry custom_data [IBM]. expectedP1 ["hangup", "*"]: "*" stands for the free session history key. The',
    'default p1 is a placeholder. If the bot fails it sends BYE and ONRELEASE routes to an agent [IBM]. Access-key',
    'token [IBM]. API version: IBM asks only for the Admin API URL; v30.0 is the newest seen on this path [COG].',
  ].join(' '),
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
  signalTarget: 'master',
  extraHeaders: [],
  notes: [
    'PolyAI reads contact_id from an X- header of the initial INVITE; the name is per project and not published',
    '(X-ContactId is a default chosen here: set it per project) [POLY]. Signal with up to 9 parameters; no p1',
    'convention is published ("handoff" is a placeholder) [POLY]. Auth: OAuth password grant with NICE-issued',
    'client_id/client_secret plus the customer\'s access key [POLY]. Name case sensitivity, the signalled contact',
    '(master assumed) and the API version (v30.0, newest seen [COG]) are not documented by PolyAI.',
  ].join(' '),
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
  signalTarget: 'master',
  extraHeaders: [],
  notes: [
    'A permissive starting point for a bot not listed: X-ContactID matched without case (RFC 3261 §7.3.5), any p1',
    '("transfer" is a placeholder), access-key token [NICE-UH], v30.0 [COG]. Only X- headers can be sent by',
    'SIPPUTHEADER [H-PUT]. Edit the header names, case rule and p1 values to what the bot really does.',
  ].join(' '),
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
