/**
 * The CXone emulator's API routes under `/incontactapi/services/vNN.0` (either spelling, any version):
 * - `POST /interactions/{contactId}/signal?p1..p9`: Signal a Contact (§2), faults applied;
 * - `GET /contacts/active[?toAddr=]`: the real-time active contacts (§3);
 * - `GET /contacts/{contactId}`: one contact's details (Reporting, §3);
 * - `POST /contacts/{contactId}/end`: end a contact (Admin, §3: test clean-up);
 * - `GET /server-time` → `{"ServerTime": "…"}` (§1c).
 *
 * Choices where CXone publishes nothing searchable (cxone-reference.md "Uncertain"), assumed here and
 * listed with their sources in rules.ts / docs/cxone-facts.md: Signal answers 202 with an empty body
 * (`emulator.signal-status`: NICE's FAQ gives only the generic 200/202 rule [NICE-FAQ]; configurable,
 * `signalStatus`); errors are JSON `{ error, message }`; `/contacts/active` always answers 200
 * `{ resultSet: { businessUnitId, lastPollTime, activeContacts: [...] } }` (even when empty), each
 * entry `{ contactId, masterContactId, contactStart, fromAddr, toAddr, isOutbound, mediaTypeName,
 * state }` with numeric ids as JSON numbers [GEN]; `/contacts/{id}` answers the same fields plus
 * `contactEnd` and `isActive` (also for ended contacts), 404 for unknown ones; end answers 202, and
 * 404 for unknown or already ended contacts.
 *
 * What CXone would not say but the emulator does: a 2xx Signal carries the header
 * {@link ONSIGNAL_HEADER}: `here` when the signalled contact's script has the ONSIGNAL, `none;
 * owner=<id>; owner-role=<master|child>` when another contact of the same call holds it (the wrong
 * leg), `none` when no script of the call has one.
 *
 * @remarks cxone-reference.md §1c, §2, §3, §6 (wrong contact id, contact already ended).
 */
import { SIGNAL_PARAM_NAMES, type SignalParams } from '../../shared/types';
import { API_PREFIX, type EmulatorContext, type EmulatorReply, type EmulatorRequest, type EmulatorRoute } from './api-types';
import type { EmulatedContact } from './contacts';
import { faultReply } from './fault-state';
import { formatFault } from './faults';
import { DEFAULT_SIGNAL_STATUS } from './rules';

/** Response header of a 2xx Signal telling which script holds the ONSIGNAL (emulator only). */
export const ONSIGNAL_HEADER = 'X-CXone-Emulator-ONSIGNAL';

/** The API routes of an emulator. `/contacts/active` comes before `/contacts/{id}`. */
export function contactRoutes(ctx: EmulatorContext): EmulatorRoute[] {
  return [
    { name: 'signal', method: 'POST', pattern: new RegExp(`${API_PREFIX}/interactions/([^/]+)/signal/?$`, 'i'), handle: (r) => signal(ctx, r) },
    { name: 'contacts/active', method: 'GET', pattern: new RegExp(`${API_PREFIX}/contacts/active/?$`, 'i'), handle: (r) => activeContacts(ctx, r) },
    { name: 'contacts/end', method: 'POST', pattern: new RegExp(`${API_PREFIX}/contacts/([^/]+)/end/?$`, 'i'), handle: (r) => endContact(ctx, r) },
    { name: 'contacts/details', method: 'GET', pattern: new RegExp(`${API_PREFIX}/contacts/([^/]+)/?$`, 'i'), handle: (r) => contactDetails(ctx, r) },
    { name: 'server-time', method: 'GET', pattern: new RegExp(`${API_PREFIX}/server-time/?$`, 'i'), handle: (r) => ctx.bearer(r, 'server-time') ?? serverTime(r) },
  ];
}

/** A numeric id as a JSON number when it is exact, else the string. */
function idValue(id: string): number | string {
  return /^\d{1,15}$/.test(id) ? Number(id) : id;
}

function pathId(r: EmulatorRequest): string | null {
  try {
    return decodeURIComponent(r.match[1] ?? '');
  } catch {
    return null;
  }
}

const BAD_ID: EmulatorReply = { status: 400, json: { error: 'BadRequest', message: 'the contact id in the path is not valid percent-encoding' } };

function contactJson(c: EmulatedContact): Record<string, unknown> {
  return {
    contactId: idValue(c.contactId),
    masterContactId: idValue(c.masterId),
    contactStart: new Date(c.startedWallMs).toISOString(),
    fromAddr: c.fromAddr ?? '',
    toAddr: c.toAddr ?? '',
    isOutbound: c.role === 'child',
    mediaTypeName: 'Call',
    state: c.endedWallMs === null ? 'Active' : 'Ended',
  };
}

function signal(ctx: EmulatorContext, r: EmulatorRequest): EmulatorReply {
  const rawId = r.match[1] ?? '';
  const contactId = pathId(r) ?? rawId;
  const ev = (status: number, outcome: string, params: SignalParams = {}): void => {
    ctx.emit('signal', { contactId, params, status, outcome, wallMs: r.received.wallMs, monoMs: r.received.monoMs });
  };
  if (pathId(r) === null) {
    ev(400, 'bad percent-encoding in the contact id');
    return BAD_ID;
  }
  const delayMs = ctx.faults.signalDelayMs();
  const slow = (reply: EmulatorReply): EmulatorReply => (delayMs > 0 ? { ...reply, delayMs } : reply);
  const denied = ctx.bearer(r, 'signal');
  if (denied) {
    ev(401, `token refused: ${(denied.json as { message: string }).message}`);
    return slow(denied);
  }
  const names = SIGNAL_PARAM_NAMES as readonly string[];
  const params: Record<string, string> = {};
  const problems: string[] = [];
  for (const [k, v] of r.query) {
    if (!names.includes(k)) problems.push(`unknown query parameter "${k}" (only p1..p9)`);
    else if (k in params) problems.push(`${k} given more than once`);
    else params[k] = v;
  }
  const action = ctx.faults.signalAction(performance.now());
  if (action) {
    const f = faultReply(action);
    const fault = ctx.faults.faults.find((x) => x.kind === action.kind);
    ctx.emit('fault', { fault: fault ? formatFault(fault) : action.kind, route: 'signal', action: f.action, wallMs: r.received.wallMs });
    ev(f.reply.status, `fault ${fault ? formatFault(fault) : action.kind}: ${f.action}; ONSIGNAL not run`, params);
    return slow(f.reply);
  }
  if (problems.length > 0) {
    ev(400, problems.join('; '), params);
    return slow({ status: 400, json: { error: 'BadRequest', message: problems.join('; ') } });
  }
  const c = ctx.contacts.get(contactId);
  if (!c || c.endedWallMs !== null) {
    const why = c ? `contact ${contactId} has ended` : `contact ${contactId} is unknown`;
    ev(404, why, params);
    return slow({ status: 404, json: { error: 'NotFound', message: why } });
  }
  const status = ctx.opts.signalStatus ?? DEFAULT_SIGNAL_STATUS;
  const bodyNote = r.body.trim() ? '; a request body was ignored (only the query p1..p9 count)' : '';
  if (status < 200 || status > 299) {
    ev(status, `answered ${status} (emulator signalStatus): ONSIGNAL not run${bodyNote}`, params);
    return slow({ status, json: { error: 'Emulated', message: `emulator answers ${status} to Signal` } });
  }
  const owner = ctx.contacts.onSignalOwner(contactId);
  // Taken now: the Signal was accepted while the contact was active, even if it ends before `after`.
  const onSignal = c.onSignal;
  const where = onSignal ? 'here' : owner ? `none; owner=${owner.contactId}; owner-role=${owner.role}` : 'none';
  return slow({
    status,
    headers: { [ONSIGNAL_HEADER]: where },
    after: () => {
      let outcome = owner
        ? `no ONSIGNAL in the ${c.role} contact's script: nothing happens (the ONSIGNAL is in the script of ${owner.contactId}, the ${owner.role === 'master' ? 'MasterId' : 'child'})`
        : `no ONSIGNAL in that contact's script: nothing happens`;
      if (onSignal) {
        try {
          onSignal({ ...params });
          outcome = `ONSIGNAL fired in the ${c.role} contact's script`;
        } catch (e) {
          outcome = `ONSIGNAL of the ${c.role} contact's script failed: ${e instanceof Error ? e.message : String(e)}`;
        }
      }
      ev(status, outcome + bodyNote, params);
    },
  });
}

function activeContacts(ctx: EmulatorContext, r: EmulatorRequest): EmulatorReply {
  const denied = ctx.bearer(r, 'contacts/active');
  if (denied) return denied;
  const toAddr = r.query.get('toAddr');
  const list = ctx.contacts
    .active()
    .filter((c) => !toAddr || c.toAddr === toAddr)
    .map(contactJson);
  return { status: 200, json: { resultSet: { businessUnitId: 4600001, lastPollTime: new Date(r.received.wallMs).toISOString(), activeContacts: list } } };
}

/**
 * The authenticated preamble of the `/contacts/{id}` routes: bearer check, the id from the path,
 * the contact (404 when unknown), then `fn`.
 */
function onContact(ctx: EmulatorContext, r: EmulatorRequest, route: string, fn: (c: EmulatedContact) => EmulatorReply): EmulatorReply {
  const denied = ctx.bearer(r, route);
  if (denied) return denied;
  const id = pathId(r);
  if (id === null) return BAD_ID;
  const c = ctx.contacts.get(id);
  return c ? fn(c) : { status: 404, json: { error: 'NotFound', message: `contact ${id} is unknown` } };
}

function contactDetails(ctx: EmulatorContext, r: EmulatorRequest): EmulatorReply {
  return onContact(ctx, r, 'contacts/details', (c) => ({
    status: 200,
    json: { ...contactJson(c), contactEnd: c.endedWallMs === null ? null : new Date(c.endedWallMs).toISOString(), isActive: c.endedWallMs === null },
  }));
}

function endContact(ctx: EmulatorContext, r: EmulatorRequest): EmulatorReply {
  return onContact(ctx, r, 'contacts/end', (c) => {
    if (c.endedWallMs !== null) return { status: 404, json: { error: 'NotFound', message: `contact ${c.contactId} has already ended` } };
    ctx.contacts.end(c.contactId);
    return { status: 202, after: () => ctx.emit('contact-end', { contactId: c.contactId, wallMs: r.received.wallMs }) };
  });
}

function serverTime(r: EmulatorRequest): EmulatorReply {
  return { status: 200, json: { ServerTime: new Date(r.received.wallMs).toISOString() } };
}
