/**
 * The reported form of a `lab emulate` run: the bot's requests to the emulated CXone API (token,
 * Signal, discovery…) with secrets redacted, and the CXone leg's call report ({@link CallReport}).
 */
import type { VendorProfile } from '../../shared/profile';
import { SIGNAL_PARAM_NAMES, type CheckResult, type LatencyMarks, type SignalParams, type SignalRecord } from '../../shared/types';
import type { EmulatorSignalEvent } from '../emulator/api-types';
import type { ScriptOutcome } from '../emulator/script-outcome';
import type { TrackedCall } from './call-recorder';
import type { CapturedExchange } from './emulate-capture';
import { SIGNAL_PATH, type SignalSeen, type TokenSeen } from './emulate-checks';
import type { ApiRequestReport, CallReport } from './run-report';

/** The bot's requests sorted out for the checks and the report. */
export interface DescribedRequests {
  /** Every request, for the report. */
  requests: ApiRequestReport[];
  tokens: TokenSeen[];
  signals: SignalSeen[];
  others: { method: string; path: string; status: number }[];
  /** The Signals as history records (callRef to be set), with their redacted exchanges. */
  signalRecords: Omit<SignalRecord, 'callRef'>[];
}

const TOKEN_PATHS: Record<string, TokenSeen['flow']> = {
  '/authentication/v1/token/access-key': 'access-key',
  '/auth/token': 'oauth-password',
};

const round = (ms: number): number => Math.round(ms * 10) / 10;

function signalParams(url: string): SignalParams {
  const out: SignalParams = {};
  const q = new URL(url, 'http://x').searchParams;
  for (const n of SIGNAL_PARAM_NAMES) {
    const v = q.get(n);
    if (v !== null) out[n] = v;
  }
  return out;
}

function decodeId(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * Sorts the captured exchanges into token requests, Signals and others, and joins each Signal to
 * the emulator's `signal` event of the same contact id (in order) for its outcome.
 * @param inviteMonoMs - monotonic ms of the INVITE sent: request times are counted from it.
 */
export function describeRequests(
  exchanges: readonly CapturedExchange[],
  signalEvents: readonly EmulatorSignalEvent[],
  inviteMonoMs: number,
): DescribedRequests {
  const out: DescribedRequests = { requests: [], tokens: [], signals: [], others: [], signalRecords: [] };
  const unmatched = [...signalEvents];
  for (const x of [...exchanges].sort((a, b) => a.startMonoMs - b.startMonoMs)) {
    const sinceInviteMs = round(x.startMonoMs - inviteMonoMs);
    const path = x.path.replace(/\/+$/, '') || '/';
    const flow = TOKEN_PATHS[path.toLowerCase()];
    const target = `${x.method} ${x.exchange.request.url.replace(/^https?:\/\/[^/]+/, '')}`;
    const sig = x.method === 'POST' ? SIGNAL_PATH.exec(x.path) : null;
    if (flow) {
      out.tokens.push({ flow, ok: x.status === 200, status: x.status, sinceInviteMs });
      out.requests.push({ kind: 'token', wallMs: Math.round(x.startWallMs), sinceInviteMs, status: x.status, summary: `${target} (${flow} flow) → ${x.status}`, exchange: x.exchange });
    } else if (sig) {
      const contactId = decodeId(sig[3] ?? '');
      const i = unmatched.findIndex((e) => e.contactId === contactId);
      const ev = i >= 0 ? unmatched.splice(i, 1)[0]! : null;
      const params = ev?.params ?? signalParams(x.exchange.request.url);
      const apiOutcome = ev?.outcome ?? null;
      out.signals.push({ contactId, params, status: x.status, apiOutcome, path: x.path });
      out.requests.push({ kind: 'signal', wallMs: Math.round(x.startWallMs), sinceInviteMs, status: x.status, summary: `${target} → ${x.status}${apiOutcome ? `: ${apiOutcome}` : ''}`, exchange: x.exchange });
      out.signalRecords.push({
        id: crypto.randomUUID(),
        contactId,
        params,
        url: x.exchange.request.url,
        status: x.status,
        ok: x.status >= 200 && x.status < 300,
        message: `received by the emulated CXone: ${x.status}${apiOutcome ? `, ${apiOutcome}` : ''}`,
        ms: null,
        tokenMs: null,
        doneMonoMs: x.doneMonoMs,
        wallMs: Math.round(x.startWallMs),
        exchange: x.exchange,
      });
    } else {
      out.others.push({ method: x.method, path: x.path, status: x.status });
      out.requests.push({ kind: 'other', wallMs: Math.round(x.startWallMs), sinceInviteMs, status: x.status, summary: `${target} → ${x.status}`, exchange: x.exchange });
    }
  }
  // A Signal whose exchange was not captured (its connection was reset by a fault): the event only.
  for (const e of unmatched) out.signals.push({ contactId: e.contactId, params: e.params, status: e.status, apiOutcome: e.outcome, path: '' });
  return out;
}

/** What {@link buildEmulateCallReport} needs. */
export interface EmulateReportInput {
  tracked: TrackedCall;
  profile: VendorProfile;
  outcome: ScriptOutcome;
  checks: CheckResult[];
  requests: ApiRequestReport[];
  apiBase: string;
  certFingerprint256: string | null;
  faults: string[];
  inviteMonoMs: number;
  latency: LatencyMarks;
}

/** The CXone leg of an emulate run as a {@link CallReport}: the INVITE CXone sent, the Signal the bot sent, the script's outcome. */
export function buildEmulateCallReport(i: EmulateReportInput): CallReport {
  const { tracked, outcome: o } = i;
  const call = tracked.call;
  const sig = tracked.signals.find((s) => s.contactId === o.onSignalContactId && s.ok) ?? tracked.signals[0] ?? null;
  const problems: string[] = [];
  if (!o.signalledContactId) problems.push('the bot sent no Signal, so it is unknown which contact id it read');
  else if (o.signalledContactId !== i.outcome.header.value) {
    problems.push(`CXone put ${o.header.name}: ${o.header.value}; the bot signalled ${o.signalledContactId}`);
  }
  return {
    callId: call.callId,
    callRef: call.id,
    profile: i.profile.id,
    transport: call.transport,
    invite: {
      requestUri: call.invite?.parsed.requestUri ?? call.originalRequestUri,
      originalRequestUri: call.originalRequestUri,
      headers: call.invite?.parsed.headers ?? [],
    },
    contactId: { ok: problems.length === 0, header: o.header.name, value: o.header.value, problems, nearMisses: [] },
    signal: sig ? { params: sig.params, status: sig.status, ms: null, ok: sig.ok, url: sig.url, message: sig.message } : null,
    cxone: {
      masterId: o.masterId,
      childId: o.childId,
      signalledContactId: o.signalledContactId,
      onSignal: o.onSignal,
      outcome: o.outcome,
      action: o.action,
      onSignalCount: o.onSignalCount,
      transfers: o.transfers,
      legDrop: o.legDrop,
      notes: o.notes,
      timeline: o.timeline.map((s) => ({ ms: round(s.monoMs - i.inviteMonoMs), step: s.step })),
    },
    api: { base: i.apiBase, certFingerprint256: i.certFingerprint256, requests: i.requests, faults: i.faults },
    end: call.end,
    latency: i.latency,
    checks: i.checks,
  };
}
