/**
 * Registry of the contacts the CXone emulator knows: the parent (master) contact of a call and the
 * child contact its script SPAWNs, each possibly with a script that has an ONSIGNAL.
 *
 * @remarks design.md §1 (parent/child scripts, MasterId); cxone-reference.md §2 (ONSIGNAL fires in
 * the script of the contact signalled), §6 (wrong contact id, contact already ended).
 */
import { stampNow } from '../clock';
import type { SignalParams } from '../../shared/types';

/** What the caller gives to {@link ContactRegistry.add}. */
export interface ContactSpec {
  /** The ContactId (CXone's are numbers; any non-empty string is accepted). */
  contactId: string;
  /** MasterId: the parent's contact id; for a master, its own id (the default). */
  masterId?: string;
  role: 'master' | 'child';
  /** Number the contact was placed to (e.g. the pseudo number of the bot). */
  toAddr?: string;
  /** Caller's number (ANI). */
  fromAddr?: string;
  /**
   * The ONSIGNAL of the contact's script: called with p1..p9 after the Signal was answered. Absent
   * when the script has no ONSIGNAL (a Signal is then accepted but nothing happens).
   */
  onSignal?: (params: SignalParams) => void;
}

/** A contact as the emulator keeps it. */
export interface EmulatedContact {
  contactId: string;
  masterId: string;
  role: 'master' | 'child';
  toAddr: string | null;
  fromAddr: string | null;
  /** Unix ms when it was added. */
  startedWallMs: number;
  /** Unix ms when it ended; null while active. */
  endedWallMs: number | null;
  onSignal?: (params: SignalParams) => void;
}

/**
 * Ended contacts remembered (the oldest forgotten beyond): a Signal to one of them gets 404 "ended"
 * rather than "unknown" (cxone-reference.md §6). Bounds the registry of a run that lasts for hours.
 */
export const MAX_ENDED_CONTACTS = 2_000;

/** The emulator's contacts by ContactId. */
export class ContactRegistry {
  private readonly contacts = new Map<string, EmulatedContact>();
  /** Contact ids by MasterId (the contacts of one call), for {@link onSignalOwner}. */
  private readonly byMaster = new Map<string, Set<string>>();
  /** Ended contact ids, oldest first (insertion order of a Set). */
  private readonly ended = new Set<string>();

  /**
   * Adds a contact, active from now. Adding an id again replaces the earlier contact (a new call).
   *
   * @throws RangeError when `contactId` is empty (a programming error, not user input).
   */
  add(c: ContactSpec): void {
    if (!c.contactId) throw new RangeError('contactId must not be empty');
    this.forget(c.contactId);
    const masterId = c.masterId ?? c.contactId;
    let call = this.byMaster.get(masterId);
    if (!call) this.byMaster.set(masterId, (call = new Set()));
    call.add(c.contactId);
    this.contacts.set(c.contactId, {
      contactId: c.contactId,
      masterId,
      role: c.role,
      toAddr: c.toAddr ?? null,
      fromAddr: c.fromAddr ?? null,
      startedWallMs: stampNow().wallMs,
      endedWallMs: null,
      onSignal: c.onSignal,
    });
  }

  /** Ends a contact: a later Signal to it gets 404. Unknown or already ended ids are ignored. */
  end(contactId: string): void {
    const c = this.contacts.get(contactId);
    if (!c || c.endedWallMs !== null) return;
    c.endedWallMs = stampNow().wallMs;
    // Its script is over: a later Signal gets 404, so the ONSIGNAL (and what it holds) can go.
    delete c.onSignal;
    this.ended.add(contactId);
    while (this.ended.size > MAX_ENDED_CONTACTS) this.forget(this.ended.values().next().value!);
  }

  /** Sizes of the registry (name → entries): active contacts, and ended ones remembered (bounded). */
  sizes(): Record<string, number> {
    return { active: this.contacts.size - this.ended.size, endedRemembered: this.ended.size };
  }

  private forget(contactId: string): void {
    const c = this.contacts.get(contactId);
    if (!c) return;
    this.contacts.delete(contactId);
    this.ended.delete(contactId);
    const call = this.byMaster.get(c.masterId);
    call?.delete(contactId);
    if (call?.size === 0) this.byMaster.delete(c.masterId);
  }

  /** The contact with that id, active or ended; undefined when never added. */
  get(contactId: string): EmulatedContact | undefined {
    return this.contacts.get(contactId);
  }

  /**
   * The contact of the same call (same MasterId) whose script holds the ONSIGNAL, when `contactId`'s
   * own script has none: e.g. the parent (MasterId) under Synthflow, where the child has no ONSIGNAL.
   *
   * @returns that contact, or undefined when `contactId` is unknown, has its own ONSIGNAL, or no
   * contact of its call has one.
   */
  onSignalOwner(contactId: string): EmulatedContact | undefined {
    const c = this.contacts.get(contactId);
    if (!c || c.onSignal) return undefined;
    for (const id of this.byMaster.get(c.masterId) ?? []) {
      const x = this.contacts.get(id);
      if (x && x !== c && x.onSignal) return x;
    }
    return undefined;
  }

  /** Contacts not ended, in the order they were added. */
  active(): EmulatedContact[] {
    return [...this.contacts.values()].filter((c) => c.endedWallMs === null);
  }

  /** Forgets every contact. */
  clear(): void {
    this.contacts.clear();
    this.byMaster.clear();
    this.ended.clear();
  }
}
