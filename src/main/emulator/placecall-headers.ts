/**
 * What CXone's placing script puts on the INVITE of a PLACECALL (cxone-reference.md §4 [H-PUT],
 * [H-PC]), shared by the emulated handoff (child-script.ts) and `lab call` (a real call placed as
 * CXone would place it).
 */
import type { ScriptTopology, VendorProfile } from '../../shared/profile';
import type { SipHeader } from '../../shared/types';
import { topologyOf } from '../profiles/topology';

/**
 * The contact ids of an emulated call: the main (parent, Main script) contact's, whose id is the
 * MasterId, and the placing (child, Spawn script) contact's. Under a `single` topology they are the
 * same contact and `childId` equals `masterId`.
 */
export interface SpawnIds {
  masterId: string;
  childId: string;
}

/**
 * The placing contact's id of an emulated SPAWN: the number after the main contact's (MasterId).
 * Assumed here: CXone gives no rule for contact ids; consecutive numbers make reports easy to read.
 */
export function childContactId(masterId: string): string {
  return String(Number(masterId) + 1);
}

/**
 * The id SIPPUTHEADER puts in the contact-id header under a topology: the main contact's
 * (`headerHolds: main`) or the placing contact's.
 */
export function headerContactId(topology: ScriptTopology, ids: SpawnIds): string {
  return topology.kind === 'single' || topology.headerHolds === 'main' ? ids.masterId : ids.childId;
}

/**
 * The headers the placing script puts with SIPPUTHEADER before PLACECALL [H-PUT]: the profile's
 * contact-id header carrying the id the topology puts there, then the profile's extra X- headers.
 * @param topology - default the profile's.
 * @returns the contact-id header alone, and every header in INVITE order.
 */
export function placeCallHeaders(profile: VendorProfile, ids: SpawnIds, topology: ScriptTopology = topologyOf(profile)): { contactIdHeader: SipHeader; headers: SipHeader[] } {
  const contactIdHeader = { name: profile.contactIdHeaders[0] ?? 'X-ContactID', value: headerContactId(topology, ids) };
  return { contactIdHeader, headers: [contactIdHeader, ...profile.extraHeaders] };
}
