/**
 * What a replay sends again from a stored or imported INVITE: its X- headers (names with their
 * exact case, in wire order, repeated ones repeated: SIPPUTHEADER's doing, the thing under test),
 * the From user and display name, and the To user when the target names none.
 */
import type { SipHeader } from '../../shared/types';
import { splitHeaderList } from '../sip/message';

/** The parts of an INVITE a replay carries over. */
export interface ReplayParts {
  /** X- headers in wire order. */
  headers: SipHeader[];
  /** User part of the From URI (e.g. the caller's number); null when it has none. */
  fromUser: string | null;
  /** Display name of From, unquoted; null when absent. */
  fromDisplayName: string | null;
  /** User part of the To URI (e.g. the pseudo number dialled); null when it has none. */
  toUser: string | null;
}

/** The user part of the first URI in a name-addr / addr-spec (`"A" <sip:+1555@h>;tag=x` → `+1555`). */
export function uriUser(value: string): string | null {
  const first = splitHeaderList(value)[0] ?? value;
  const m = /(sips?|tel):([^@;>?\s]+)(@)?/i.exec(first);
  if (!m) return null;
  if (m[1]!.toLowerCase() === 'tel') return m[2]!;
  return m[3] ? m[2]! : null;
}

/** The display name of a name-addr, unquoted; null when there is none. */
export function displayName(value: string): string | null {
  const lt = value.indexOf('<');
  if (lt <= 0) return null;
  const d = value.slice(0, lt).trim();
  if (d === '') return null;
  return d.startsWith('"') && d.endsWith('"') ? d.slice(1, -1).replace(/\\(.)/g, '$1') : d;
}

/** Picks the replayed parts of an INVITE's headers (wire order, names as received). */
export function replayParts(headers: readonly SipHeader[]): ReplayParts {
  const get = (...names: string[]): string | undefined => headers.find((h) => names.includes(h.name.toLowerCase()))?.value;
  const from = get('from', 'f') ?? '';
  const to = get('to', 't') ?? '';
  return {
    headers: headers.filter((h) => /^x-/i.test(h.name)).map((h) => ({ name: h.name, value: h.value })),
    fromUser: uriUser(from),
    fromDisplayName: displayName(from),
    toUser: uriUser(to),
  };
}

/**
 * The target URI with `user` put in when it has no user part (`sip:10.0.0.5:5060` → `sip:15550100@10.0.0.5:5060`).
 * A target that names a user is kept as given.
 */
export function targetWithUser(target: string, user: string | null): string {
  if (!user || target.includes('@')) return target;
  const m = /^(sips?:)(.*)$/i.exec(target.trim());
  return m ? `${m[1]}${user}@${m[2]}` : target;
}
