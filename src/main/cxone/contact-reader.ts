/**
 * The two contact reads the contact checks need, apart from the client that implements them, so
 * that `contact-checks.ts` depends on this shape and not on `client.ts` (which calls the checks).
 *
 * @remarks cxone-reference.md §3 (`/contacts/active` filtered by `toAddr`, `/contacts/{id}`).
 */
import type { HttpExchange } from '../../shared/types';
import type { ApiTarget } from './api-session';
import type { ActiveContact, ContactDetails } from './contact-reads';
import type { HttpTimings } from './http';

/**
 * Result of an authenticated API call: the parsed fields `T` with the request's time (`ms`),
 * per-phase timings, URL and API target on success; the message and the HTTP exchange otherwise.
 */
export type ApiReadResult<T> =
  | ({ ok: true; ms: number; timings: HttpTimings; url: string; api: ApiTarget } & T)
  | { ok: false; message: string; exchange: HttpExchange; url: string };

/** What reads a contact's state: {@link CxoneClient} (client.ts) is one. Never throws; failures are `ok: false`. */
export interface ContactReader {
  /** `GET /contacts/active` (optionally filtered by the pseudo number `toAddr`). */
  activeContacts(opts?: { toAddr?: string }): Promise<ApiReadResult<{ contactIds: string[]; contacts: ActiveContact[] }>>;
  /** `GET /contacts/{contactId}`. */
  contactDetails(contactId: string): Promise<ApiReadResult<{ contact: ContactDetails }>>;
}
