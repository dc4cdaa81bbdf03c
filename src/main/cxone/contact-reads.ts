/**
 * Reading the answers of the contact APIs: `/contacts/active` (real-time) and `/contacts/{id}`
 * (Reporting). Pure: JSON text in, plain objects out.
 *
 * The field names follow the real-time API's `resultSet.activeContacts[]` entries [GEN]
 * (`contactId`, `masterContactId`, `toAddr`, `fromAddr`, `state`…). The Reporting contact's shape
 * is not published in any source found (cxone-reference.md §3), so its reader is lenient: the
 * object itself or its first `contacts[]`/`resultSet.contacts[]` entry, ids as numbers or strings,
 * and the end from `contactEnd`, `endDate` or `isActive`.
 *
 * @remarks cxone-reference.md §3 [GEN], [WP].
 */

/** One entry of `/contacts/active` as read by the client. */
export interface ActiveContact {
  contactId: string;
  masterContactId: string | null;
  toAddr: string | null;
  fromAddr: string | null;
}

/** One contact's details as read from `/contacts/{id}`. */
export interface ContactDetails {
  contactId: string;
  masterContactId: string | null;
  /** e.g. `Active`, `Ended`; null when absent. */
  state: string | null;
  /** Whether the contact is still up: from `isActive`, else from an end time, else from `state`; null when unknown. */
  active: boolean | null;
  /** ISO times as sent; null when absent. */
  start: string | null;
  end: string | null;
  toAddr: string | null;
  fromAddr: string | null;
}

/** An id as a string: a non-empty string, or a finite number; null otherwise. */
export function idString(v: unknown): string | null {
  if (typeof v === 'string' && v) return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

function text(v: unknown): string | null {
  return typeof v === 'string' && v ? v : null;
}

/**
 * Reads `resultSet.activeContacts[]`.
 *
 * @returns the entries with a contact id, or null when the body has no such list (not JSON, or
 * another shape).
 */
export function readActiveContacts(body: string): ActiveContact[] | null {
  try {
    const j = JSON.parse(body) as { resultSet?: { activeContacts?: unknown } };
    const list = j.resultSet?.activeContacts;
    if (!Array.isArray(list)) return null;
    const out: ActiveContact[] = [];
    for (const item of list as Record<string, unknown>[]) {
      const contactId = idString(item?.['contactId']);
      if (!contactId) continue;
      out.push({
        contactId,
        masterContactId: idString(item['masterContactId']),
        toAddr: typeof item['toAddr'] === 'string' ? item['toAddr'] : null,
        fromAddr: typeof item['fromAddr'] === 'string' ? item['fromAddr'] : null,
      });
    }
    return out;
  } catch {
    return null;
  }
}

/**
 * Reads one contact from a `/contacts/{id}` answer.
 *
 * @returns the details, or null when the body holds no object with a `contactId`.
 */
export function readContactDetails(body: string): ContactDetails | null {
  let j: unknown;
  try {
    j = JSON.parse(body);
  } catch {
    return null;
  }
  const o = j as Record<string, unknown> | null;
  const rs = (o?.['resultSet'] ?? null) as Record<string, unknown> | null;
  const list = (Array.isArray(o?.['contacts']) ? o['contacts'] : Array.isArray(rs?.['contacts']) ? rs['contacts'] : null) as Record<string, unknown>[] | null;
  const c = list ? (list[0] ?? null) : o;
  if (!c || typeof c !== 'object') return null;
  const contactId = idString(c['contactId']);
  if (!contactId) return null;
  const state = text(c['state']) ?? text(c['contactStateName']);
  const end = text(c['contactEnd']) ?? text(c['endDate']);
  const active =
    typeof c['isActive'] === 'boolean' ? c['isActive'] : end ? false : state ? !/^(ended|disconnected|closed)$/i.test(state) : null;
  return {
    contactId,
    masterContactId: idString(c['masterContactId']),
    state,
    active,
    start: text(c['contactStart']) ?? text(c['startDate']),
    end,
    toAddr: text(c['toAddr']),
    fromAddr: text(c['fromAddr']),
  };
}
