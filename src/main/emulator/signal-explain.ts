/**
 * Explains a Signal's contact id from the script topology (issue 14): which script's contact the id
 * is, which script waits in ONSIGNAL, and what CXone put in the header. Used by the emulated script
 * (its findings) and the emulate checks, instead of a fixed "signal the master" rule.
 *
 * @remarks ONSIGNAL fires in the script whose contact id was signalled [H-ONS]; NICE warns to signal
 * the correct contact id [H-SIG]; a Signal to a contact whose script has no ONSIGNAL is accepted and
 * does nothing (assumed here: CXone documents no error for it, cxone-reference.md §6).
 */
import type { RuleSource, ScriptTopology } from '../../shared/profile';
import type { SipHeader } from '../../shared/types';
import { nice } from '../profiles/sources';
import { describeTopology, normalizeTopology, SCRIPT_NAMES } from '../profiles/topology';

/** What the explanation needs to know about one emulated call. */
export interface TopologyView {
  topology: ScriptTopology;
  /** The main (parent, Main script) contact: the MasterId. */
  masterId: string;
  /** The placing (child, Spawn script) contact; equals `masterId` under `single`. */
  childId: string;
  /** The contact-id header CXone put, and its value. */
  header: SipHeader;
}

/** The verdict on one signalled contact id. */
export interface SignalExplanation {
  /** True when the id is the contact whose script waits in ONSIGNAL. */
  ok: boolean;
  /** Which contact the id is: `main`, `placer` (one contact under single), or `other` (not this call's). */
  leg: 'main' | 'placer' | 'other';
  /** The contact whose script waits in ONSIGNAL. */
  onSignalContactId: string;
  detail: string;
  source: RuleSource;
}

/** The contact id whose script waits in ONSIGNAL under the view's topology. */
export function onSignalContactId(v: Pick<TopologyView, 'topology' | 'masterId' | 'childId'>): string {
  const t = normalizeTopology(v.topology);
  return t.onSignalIn === 'main' ? v.masterId : v.childId;
}

function idLabel(v: TopologyView, id: string): { leg: SignalExplanation['leg']; what: string } {
  const t = normalizeTopology(v.topology);
  const names = SCRIPT_NAMES[t.kind];
  if (id === v.masterId) {
    if (t.kind === 'single') return { leg: 'main', what: `the id of ${names.main} that placed the call` };
    return { leg: 'main', what: `${names.main}'s id (the MasterId)` };
  }
  if (id === v.childId) {
    const leg = t.kind === 'main-spawn' ? "the spawned leg's" : "the child leg's";
    return { leg: 'placer', what: `${leg} id (${names.placer})` };
  }
  return { leg: 'other', what: 'not a contact of this call' };
}

/**
 * Explains a Signal to `contactId` under the view's topology, e.g. "this id is the spawned leg's
 * (the Spawn script), whose script has no ONSIGNAL, nothing happens; the script waiting in ONSIGNAL is the Main script's, MasterId 123…".
 * When the header itself holds an id whose script has no ONSIGNAL (a customer's script that puts the
 * wrong leg's id), the detail says so too. Never throws.
 */
export function explainSignalledContact(v: TopologyView, contactId: string): SignalExplanation {
  const t = normalizeTopology(v.topology);
  const names = SCRIPT_NAMES[t.kind];
  const owner = onSignalContactId(v);
  const ownerWhat = t.onSignalIn === 'main' ? `${names.main}'s` : `${names.placer}'s`;
  const ownerId = t.onSignalIn === 'main' && t.kind !== 'single' ? `MasterId ${owner}` : owner;
  const source = nice('H-ONS', 'ONSIGNAL fires in the script whose contact id was signalled');
  const label = idLabel(v, contactId);
  const headerNote =
    v.header.value !== owner
      ? `; CXone put ${v.header.value} (${idLabel(v, v.header.value).what}) in ${v.header.name}, so a bot that signals the id it read reaches no ONSIGNAL: the scripts signal the wrong leg (${describeTopology(t)})`
      : '';
  if (contactId === owner) {
    return {
      ok: true,
      leg: label.leg,
      onSignalContactId: owner,
      detail: `Signal to ${contactId}, ${label.what}, whose script waits in ONSIGNAL (${describeTopology(t)})${headerNote}`,
      source,
    };
  }
  return {
    ok: false,
    leg: label.leg,
    onSignalContactId: owner,
    detail: `wrong leg: this id, ${contactId}, is ${label.what}, whose script has no ONSIGNAL, nothing happens; the script waiting in ONSIGNAL is ${ownerWhat}, ${ownerId}${headerNote}`,
    source,
  };
}
