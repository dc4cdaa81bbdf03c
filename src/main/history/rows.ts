/**
 * Mapping between the history database's rows (`statements.ts`: snake_case, booleans 0/1, JSON
 * text) and the domain types of `src/shared/types.ts`. Pure functions, no SQL.
 */
import type {
  CallEnd,
  CallRole,
  CallState,
  CallSummary,
  CheckResult,
  ContactIdVerdict,
  Direction,
  HttpExchange,
  LatencyMarks,
  MediaReport,
  SignalParams,
  SignalRecord,
  SipHeader,
  SipMessageRecord,
  SipTransportKind,
} from '../../shared/types';
import { redactExchange, redactText, redactUrl } from './redact';
import type { CallRow, CallSummaryRow, CheckRow, ParamsOf, SignalRow, SipMessageRow } from './statements';

/** A call as {@link HistoryStore.saveCall} takes it: a summary, plus the INVITE and verdict once known. */
export type CallToSave = CallSummary & {
  invite?: { raw: string; headers: SipHeader[] } | null;
  verdict?: ContactIdVerdict | null;
  /** The call's audio; null or absent keeps the stored one. */
  media?: MediaReport | null;
};

/** A boolean as SQLite stores it. */
export const toBit = (b: boolean): 0 | 1 => (b ? 1 : 0);
/** A nullable boolean as SQLite stores it. */
export const toBitOrNull = (b: boolean | null | undefined): 0 | 1 | null =>
  b === null || b === undefined ? null : toBit(b);
/** A stored nullable boolean back. */
export const fromBit = (n: number | null): boolean | null => (n === null ? null : n !== 0);

/**
 * Parses JSON written by the store; a damaged value yields `fallback`, so that one bad row cannot
 * break a listing.
 */
export function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** A call to its `calls` row. INVITE and verdict columns are null when not given (the upsert keeps the stored ones). */
export function callToRow(call: CallToSave): CallRow {
  return {
    id: call.id,
    run_id: call.runId,
    call_id: call.callId,
    role: call.role,
    transport: call.transport,
    profile: call.profile,
    state: call.state,
    from_uri: call.from,
    to_uri: call.to,
    request_uri: call.requestUri,
    contact_id: call.contactId,
    contact_id_ok: toBitOrNull(call.contactIdOk),
    started_wall_ms: call.startedWallMs,
    ended_wall_ms: call.endedWallMs,
    end_json: call.end ? JSON.stringify(call.end) : null,
    latency_json: JSON.stringify(call.latency ?? {}),
    invite_raw: call.invite ? call.invite.raw : null,
    invite_headers_json: call.invite ? JSON.stringify(call.invite.headers) : null,
    verdict_json: call.verdict ? JSON.stringify(call.verdict) : null,
    media_json: call.media ? JSON.stringify(call.media) : null,
  };
}

/** A `calls` row (summary columns) to a {@link CallSummary}. */
export function rowToCallSummary(r: CallSummaryRow): CallSummary {
  return {
    id: r.id,
    runId: r.run_id,
    callId: r.call_id,
    role: r.role as CallRole,
    transport: r.transport as SipTransportKind,
    profile: r.profile,
    state: r.state as CallState,
    from: r.from_uri,
    to: r.to_uri,
    requestUri: r.request_uri,
    contactId: r.contact_id,
    contactIdOk: fromBit(r.contact_id_ok),
    startedWallMs: r.started_wall_ms,
    endedWallMs: r.ended_wall_ms,
    end: parseJson<CallEnd | null>(r.end_json, null),
    latency: parseJson<LatencyMarks>(r.latency_json, {}),
  };
}

/** The INVITE of a full `calls` row, or null. */
export function rowToInvite(r: CallRow): { raw: string; headers: SipHeader[] } | null {
  return r.invite_raw === null ? null : { raw: r.invite_raw, headers: parseJson<SipHeader[]>(r.invite_headers_json, []) };
}

/** The media report of a full `calls` row, or null. */
export function rowToMedia(r: CallRow): MediaReport | null {
  return parseJson<MediaReport | null>(r.media_json, null);
}

/** The contact-id verdict of a full `calls` row, or null. */
export function rowToVerdict(r: CallRow): ContactIdVerdict | null {
  return parseJson<ContactIdVerdict | null>(r.verdict_json, null);
}

/** A SIP message to its `sip_messages` row (the statement assigns `seq`). Raw text kept as is. */
export function sipMessageToRow(callRef: string, rec: SipMessageRecord): ParamsOf<'sip_message_insert'> {
  return {
    call_ref: callRef,
    call_id: rec.callId,
    direction: rec.direction,
    transport: rec.transport,
    local_addr: rec.local,
    remote_addr: rec.remote,
    mono_ms: rec.monoMs,
    wall_ms: rec.wallMs,
    first_line: rec.firstLine,
    method: rec.method,
    status: rec.status ?? null,
    raw: rec.raw,
  };
}

/** A `sip_messages` row back; `status` is omitted for a request, as in {@link SipMessageRecord}. */
export function rowToSipMessage(m: SipMessageRow): SipMessageRecord {
  const rec: SipMessageRecord = {
    callId: m.call_id,
    direction: m.direction as Direction,
    transport: m.transport as SipTransportKind,
    local: m.local_addr,
    remote: m.remote_addr,
    monoMs: m.mono_ms,
    wallMs: m.wall_ms,
    firstLine: m.first_line,
    method: m.method,
    raw: m.raw,
  };
  if (m.status !== null) rec.status = m.status;
  return rec;
}

/**
 * A Signal to its `signals` row, redacted: the exchange through {@link redactExchange}, the URL
 * through {@link redactUrl}, the message through {@link redactText}.
 */
export function signalToRow(rec: SignalRecord & { runId?: string | null }): SignalRow {
  return {
    id: rec.id,
    call_ref: rec.callRef,
    run_id: rec.runId ?? null,
    contact_id: rec.contactId,
    params_json: JSON.stringify(rec.params ?? {}),
    url: redactUrl(rec.url),
    status: rec.status,
    ok: toBit(rec.ok),
    message: redactText(rec.message),
    ms: rec.ms,
    token_ms: rec.tokenMs,
    done_mono_ms: rec.doneMonoMs,
    wall_ms: rec.wallMs,
    exchange_json: JSON.stringify(redactExchange(rec.exchange)),
  };
}

/** A `signals` row back to a {@link SignalRecord}. */
export function rowToSignal(r: SignalRow): SignalRecord {
  return {
    id: r.id,
    callRef: r.call_ref,
    contactId: r.contact_id,
    params: parseJson<SignalParams>(r.params_json, {}),
    url: r.url,
    status: r.status,
    ok: r.ok !== 0,
    message: r.message,
    ms: r.ms,
    tokenMs: r.token_ms,
    doneMonoMs: r.done_mono_ms,
    wallMs: r.wall_ms,
    exchange: parseJson<HttpExchange>(r.exchange_json, { request: { method: '', url: r.url, headers: {} } }),
  };
}

/** A `checks` row back to a {@link CheckResult}. */
export function rowToCheck(r: CheckRow): CheckResult {
  const out: CheckResult = { name: r.name, ok: r.ok !== 0, detail: r.detail };
  if (r.warn === 1) out.warn = true;
  if (r.source_json) {
    try {
      out.source = JSON.parse(r.source_json) as NonNullable<CheckResult['source']>;
    } catch {
      // a damaged source is left out, never fatal
    }
  }
  return out;
}
