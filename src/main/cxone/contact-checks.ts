/**
 * Checks of a contact id around a Signal, as {@link CheckResult}s for the call's report:
 * - before: is the contact live (`/contacts/active`, filtered by the pseudo number), and is it the
 *   leg whose script holds the ONSIGNAL for the profile (parent/MasterId or child)?
 * - after: what `/contacts/{id}` says (state, end).
 *
 * Against real CXone these are the only way to see a wrong leg: Signal answers 2xx either way and
 * nothing happens (cxone-reference.md §6). The emulator also says so in the Signal's answer.
 *
 * The parent of a live child is live too: filtered by the pseudo number (the child's PLACECALL
 * target), the list holds the child, whose `masterContactId` is the parent.
 *
 * @remarks cxone-reference.md §2 (which id to signal depends on the script design: the profile's
 * topology says which script waits in ONSIGNAL, with its source), §3 ("confirm the id appears in
 * /contacts/active, optionally filtered by toAddr, the pseudo number; after the test, check
 * /contacts/{id}"), §6 (contact already ended; wrong leg).
 */
import type { VendorProfile } from '../../shared/profile';
import type { CheckResult } from '../../shared/types';
import type { ActiveContact } from './contact-reads';
import type { ContactReader } from './contact-reader';
import { formatApiUrl } from './urls';
import { formatSource, isAssumed, USER_SET } from '../profiles/sources';
import { describeTopology, normalizeTopology, SCRIPT_NAMES } from '../profiles/topology';

/** What the checks need to know about the run. */
export interface ContactCheckOptions {
  /** The profile: its name for messages, its topology (which leg waits in ONSIGNAL) and that rule's source. */
  profile: Pick<VendorProfile, 'name' | 'topology'> & { sources?: VendorProfile['sources'] };
  /** The pseudo number the child leg was placed to (the INVITE's Request-URI user), as the `toAddr` filter. */
  toAddr?: string;
}

/** Where a contact id sits in the active list: as a child of another id, as a parent, or not at all. */
export type LegPosition = { leg: 'child'; masterId: string } | { leg: 'master'; childIds: string[] } | { leg: 'unknown' };

/**
 * Finds a contact id's leg in an active-contacts list: a child (its `masterContactId` is another
 * id), a master (it is the `masterContactId` of other entries, or its own), or unknown (absent).
 */
export function legOf(contacts: readonly ActiveContact[], contactId: string): LegPosition {
  const own = contacts.find((c) => c.contactId === contactId);
  if (own?.masterContactId && own.masterContactId !== contactId) return { leg: 'child', masterId: own.masterContactId };
  const childIds = contacts.filter((c) => c.masterContactId === contactId && c.contactId !== contactId).map((c) => c.contactId);
  if (own || childIds.length > 0) return { leg: 'master', childIds };
  return { leg: 'unknown' };
}

/**
 * The leg check, explained from the profile's script topology (issue 14): the contact whose script
 * waits in ONSIGNAL (`topology.onSignalIn`) is the right one; the other leg is the wrong one. Under
 * a `single` topology there is no other leg, so a child in the list is the wrong one.
 * When the profile's topology is an assumption (its source is `assumed`), a wrong leg is a warning
 * (`ok` stays true, `warn: true`), never a failure.
 *
 * @returns the check, or null when the list does not show the id's leg.
 */
export function legCheck(pos: LegPosition, contactId: string, profile: ContactCheckOptions['profile']): CheckResult | null {
  if (pos.leg === 'unknown') return null;
  const t = normalizeTopology(profile.topology);
  const names = SCRIPT_NAMES[t.kind];
  const source = profile.sources?.topology ?? USER_SET;
  const soft = isAssumed(source);
  const topo = `${describeTopology(t)} [${formatSource(source)}]`;
  const wrong = (detail: string): CheckResult => ({ name: 'signal-leg', ok: soft, detail: `wrong leg: ${detail}`, source, ...(soft ? { warn: true } : {}) });
  if (pos.leg === 'child') {
    const what = `this id, ${contactId}, is the ${t.kind === 'main-spawn' ? 'spawned' : 'child'} leg's (MasterId ${pos.masterId})`;
    if (t.kind !== 'single' && t.onSignalIn === 'placer') return { name: 'signal-leg', ok: true, detail: `${what}; ${names.placer} waits in ONSIGNAL under ${profile.name}: ${topo}`, source };
    return wrong(`${what}; the script waiting in ONSIGNAL is ${names.main}'s: signal the MasterId ${pos.masterId} (${topo})`);
  }
  if (t.kind !== 'single' && t.onSignalIn === 'placer') {
    const child = pos.childIds[0];
    return wrong(`this id, ${contactId}, is ${names.main}'s (the MasterId); the script waiting in ONSIGNAL is ${names.placer}'s${child ? `, ${child}: signal ${child}` : ''} (${topo})`);
  }
  return { name: 'signal-leg', ok: true, detail: `contact ${contactId} is ${names.main}'s (the MasterId), which waits in ONSIGNAL under ${profile.name}: ${topo}`, source };
}

/**
 * The checks before a Signal: `contact-live` (the id, or a child of it, is in `/contacts/active`
 * filtered by `toAddr`), and `signal-leg` when the list shows which leg the id is.
 *
 * @returns one or two checks; a failed API call is a failed `contact-live` saying why. Never throws.
 */
export async function checksBeforeSignal(client: ContactReader, contactId: string, opts: ContactCheckOptions): Promise<CheckResult[]> {
  const r = await client.activeContacts(opts.toAddr ? { toAddr: opts.toAddr } : {});
  if (!r.ok) return [{ name: 'contact-live', ok: false, detail: `could not check before signalling: ${r.message} (${formatApiUrl(r.url)})` }];
  const filter = opts.toAddr ? ` placed to ${opts.toAddr}` : '';
  const pos = legOf(r.contacts, contactId);
  const checks: CheckResult[] = [];
  if (pos.leg === 'unknown') {
    const seen = r.contactIds.length ? ` (active${filter}: ${r.contactIds.slice(0, 5).join(', ')}${r.contactIds.length > 5 ? ', …' : ''})` : ` (no active contact${filter})`;
    checks.push({ name: 'contact-live', ok: false, detail: `contact ${contactId} is not among the active contacts${filter}${seen}: the call has ended, or the id is not this call's ContactId/MasterId` });
  } else {
    checks.push({ name: 'contact-live', ok: true, detail: `contact ${contactId} is active (${formatApiUrl(r.url)}, ${r.ms.toFixed(1)} ms)` });
  }
  const leg = legCheck(pos, contactId, opts.profile);
  if (leg) checks.push(leg);
  return checks;
}

/**
 * The check after a Signal: `contact-details` from `/contacts/{id}` (state, start, end). It fails
 * only when the details cannot be read; the detail says what CXone reports.
 */
export async function checkAfterSignal(client: ContactReader, contactId: string): Promise<CheckResult> {
  const r = await client.contactDetails(contactId);
  if (!r.ok) return { name: 'contact-details', ok: false, detail: `could not read contact ${contactId} after the Signal: ${r.message}` };
  const c = r.contact;
  const state = c.active === null ? (c.state ?? 'state unknown') : c.active ? `active${c.state ? ` (${c.state})` : ''}` : `ended${c.end ? ` at ${c.end}` : ''}${c.state ? ` (${c.state})` : ''}`;
  const master = c.masterContactId && c.masterContactId !== c.contactId ? `, MasterId ${c.masterContactId}` : '';
  return { name: 'contact-details', ok: true, detail: `contact ${contactId}: ${state}${master} (${formatApiUrl(r.url)})` };
}
