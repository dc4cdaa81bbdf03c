/**
 * What CXone's child script puts on the INVITE of a PLACECALL (cxone-reference.md §4 [H-PUT],
 * [H-PC]), shared by the emulated handoff (child-script.ts) and `lab call` (a real call placed as
 * CXone would place it).
 */
import type { VendorProfile } from '../../shared/profile';
import type { SipHeader } from '../../shared/types';

/** The contact ids of an emulated SPAWN: the parent's (MasterId) and its child's. */
export interface SpawnIds {
  masterId: string;
  childId: string;
}

/** The child's contact id of an emulated SPAWN: the number after the parent's (MasterId). */
export function childContactId(masterId: string): string {
  return String(Number(masterId) + 1);
}

/**
 * The headers the child script puts with SIPPUTHEADER before PLACECALL: the profile's contact-id
 * header carrying the id of the contact the profile signals (MasterId or the child's), then the
 * profile's extra X- headers.
 * @returns the contact-id header alone, and every header in INVITE order.
 */
export function placeCallHeaders(profile: VendorProfile, ids: SpawnIds): { contactIdHeader: SipHeader; headers: SipHeader[] } {
  const value = profile.signalTarget === 'master' ? ids.masterId : ids.childId;
  const contactIdHeader = { name: profile.contactIdHeaders[0] ?? 'X-ContactID', value };
  return { contactIdHeader, headers: [contactIdHeader, ...profile.extraHeaders] };
}
