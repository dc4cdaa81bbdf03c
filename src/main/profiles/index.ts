/**
 * Vendor profiles and contact-id verification (design.md §3): the public face of `profiles/`.
 */
import type { VendorProfile } from '../../shared/profile';
import { BUILTIN_PROFILES } from './builtin';

export { BUILTIN_PROFILES, CXONE_CONTACT_ID_PATTERN } from './builtin';
export { parseProfile, vendorProfileSchema, ruleSourceSchema, scriptTopologySchema, X_HEADER_NAME, FORBIDDEN_VALUE_CHARS } from './schema';
export { verifyContactId, verifyContactIdInRaw, isSimilarHeaderName, editDistance } from './extract';
export { checkSignalParams, ANY_P1 } from './signal-check';
export { formatSource, isAssumed } from './sources';
export { describeTopology, headerReachesOnSignal, normalizeTopology, topologyOf, TOPOLOGY_BEHAVIOUR, TOPOLOGY_KINDS } from './topology';
export { profileRules, sourceOf, type ProfileRule } from './rules';

/**
 * The built-in profiles, in display order (`kore`, `synthflow`, `watson`, `polyai`, `custom`).
 * @returns deep copies: changing them does not change the built-ins.
 */
export function listProfiles(): VendorProfile[] {
  return BUILTIN_PROFILES.map((p) => structuredClone(p));
}

/**
 * One built-in profile by id.
 * @param id - e.g. `kore` (as given on the CLI with `--profile`).
 * @returns a deep copy of the profile.
 * @throws Error naming the known ids when `id` is unknown.
 */
export function getProfile(id: string): VendorProfile {
  const p = BUILTIN_PROFILES.find((x) => x.id === id);
  if (!p) {
    throw new Error(`unknown profile ${JSON.stringify(id)}; known profiles: ${BUILTIN_PROFILES.map((x) => x.id).join(', ')}`);
  }
  return structuredClone(p);
}
export { placeCallRuleChecks, dialledNumber, E164 } from './placecall-checks';
