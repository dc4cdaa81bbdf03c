/**
 * Replay (issue 6): sends a stored or imported INVITE's X- headers (and its From and To users)
 * to a target again, to reproduce a customer's call against a bot. The far end's answer, the
 * contact-id verdict of the INVITE as replayed and whether it equals the original's are reported,
 * and the replay is kept in history as a run of kind `replay` whose options name the source call.
 */
import { isIP } from 'node:net';
import type { VendorProfile } from '../../shared/profile';
import type { CallDetail, CallEnd, CheckResult, ContactIdVerdict, LatencyMarks, SipHeader } from '../../shared/types';
import type { HistoryStore } from '../history/store';
import { getProfile, verifyContactId } from '../profiles';
import { CallRecorder, type RecorderLog } from '../scenarios/call-recorder';
import type { SipCall } from '../sip/call';
import { advertisedAddress, SipEndpoint } from '../sip/endpoint';
import { isParseError, parseSipMessage } from '../sip/message';
import type { SipTlsOptions } from '../sip/tls-setup';
import { replayParts, targetWithUser } from './replay-headers';

/** The run kind of replays in history. */
export const REPLAY_RUN_KIND = 'replay';

/** Options of {@link replayCall}. */
export interface ReplayOptions {
  /** History holding the source call; the replay is recorded there too unless `record` is false. */
  store: HistoryStore;
  /** The source call: its history id, or its SIP Call-ID (the answered leg is preferred). */
  call: string;
  /** SIP URI to call, e.g. `sip:bot@10.0.0.5:5060`; without a user part the original To user is put in. */
  target: string;
  transport: 'udp' | 'tcp' | 'tls';
  /** Profile the verdict is judged under; default the source call's. */
  profile?: string | VendorProfile;
  /** Local listener: bind host (default: 127.0.0.1 for a loopback target, else 0.0.0.0), port (0), advertised address. */
  local?: { host?: string; port?: number; advertiseHost?: string };
  tls?: SipTlsOptions;
  /** How long an answered call is held before the BYE, unless the far end hangs up first (ms). Default 2000. */
  holdMs?: number;
  /** CANCEL when not answered within this (ms). Default 30000. */
  answerTimeoutMs?: number;
  /** Keep the replay in history (default true). */
  record?: boolean;
  log?: RecorderLog;
  /**
   * The runtime's recorder and run bookkeeping (runs/replay.ts), so the replay is announced on its
   * event stream; default a recorder of its own over `store`.
   */
  runtime?: {
    recorder: CallRecorder;
    createRun(rec: { kind: string; profile: string; transport: string; options: Record<string, unknown> }): string;
    finishRun(runId: string, ok: boolean): void;
  };
}

/** What a replay did. `ok`: the X- headers went out as stored, the far end answered, and the verdict equals the original's. */
export interface ReplayReport {
  ok: boolean;
  runId: string | null;
  source: { callRef: string; callId: string; profile: string };
  target: string;
  /** The new call: its SIP Call-ID and history id. */
  callId: string;
  callRef: string;
  sent: { headers: SipHeader[]; fromUser: string | null; fromDisplayName: string | null };
  /** The far end's final response to the INVITE; null when none came. */
  answer: { status: number; reason: string } | null;
  end: CallEnd | null;
  verdict: ContactIdVerdict;
  originalVerdict: ContactIdVerdict | null;
  sameVerdict: boolean;
  latency: LatencyMarks;
  checks: CheckResult[];
}

/** The source call by history id, else by SIP Call-ID. @throws Error when there is none or it has no INVITE. */
function findSource(store: HistoryStore, ref: string): CallDetail {
  const byId = store.getCall(ref);
  const summary = byId ? null : (store.findCallBySipCallId(ref, 'uas') ?? store.findCallBySipCallId(ref));
  const call = byId ?? (summary ? store.getCall(summary.id) : null);
  if (!call) throw new Error(`no call ${ref} in history ${store.file} (give its history id or its Call-ID)`);
  if (!call.invite) throw new Error(`call ${ref} has no stored INVITE to replay`);
  return call;
}

/** Whether two verdicts say the same: outcome, header, value and problems. */
export function sameVerdict(a: ContactIdVerdict | null, b: ContactIdVerdict): boolean {
  if (!a) return false;
  return a.ok === b.ok && a.header === b.header && a.value === b.value && JSON.stringify(a.problems) === JSON.stringify(b.problems);
}

/**
 * Replays a call.
 * @returns the report (a far end that refuses the call is a failed check, not an error).
 * @throws Error when the source call is unknown or has no INVITE, the profile is unknown, the
 *   target is not a SIP URI, or the listener cannot be bound.
 */
export async function replayCall(opts: ReplayOptions): Promise<ReplayReport> {
  const source = findSource(opts.store, opts.call);
  const profile = typeof opts.profile === 'object' ? opts.profile : getProfile(opts.profile ?? source.profile);
  const parts = replayParts(source.invite!.headers);
  const target = targetWithUser(opts.target, parts.toUser);
  const targetHost = /^sips?:(?:[^@]*@)?(\[[^\]]+\]|[^:;>]+)/i.exec(target)?.[1]?.replace(/^\[|\]$/g, '') ?? '';
  const loopback = targetHost === 'localhost' || targetHost.startsWith('127.') || targetHost === '::1';
  const host = opts.local?.host ?? (loopback ? (isIP(targetHost) === 6 ? '::1' : '127.0.0.1') : '0.0.0.0');
  const record = opts.record !== false;
  const store = opts.store;
  const runRec = { kind: REPLAY_RUN_KIND, profile: profile.id, transport: opts.transport, options: { sourceCall: source.id, sourceCallId: source.callId, target } };
  const runId = record ? (opts.runtime ? opts.runtime.createRun(runRec) : store.createRun({ ...runRec, startedWallMs: Date.now() })) : null;
  const endpoint = await SipEndpoint.start({
    transport: opts.transport,
    host,
    port: opts.local?.port ?? 0,
    advertiseHost: opts.local?.advertiseHost ?? advertisedAddress(host),
    user: parts.fromUser ?? 'lab',
    tls: opts.tls,
    log: opts.log,
  });
  try {
    const recorder = record && opts.runtime ? opts.runtime.recorder : new CallRecorder(record ? store : null, null, opts.log);
    const call = endpoint.invite(target, {
      extraHeaders: parts.headers,
      ...(parts.fromUser ? { fromUser: parts.fromUser } : {}),
      ...(parts.fromDisplayName ? { fromDisplayName: parts.fromDisplayName } : {}),
    });
    const tracked = recorder.track(call, { runId, profile: profile.id });
    const answered = await call.waitForState('answered', opts.answerTimeoutMs ?? 30_000).then(
      () => true,
      () => false,
    );
    if (answered) await call.waitForEnd(opts.holdMs ?? 2000).catch(() => undefined);
    if (call.state !== 'ended' && call.state !== 'failed') await call.hangup().catch(() => undefined);
    await call.waitForEnd(10_000).catch(() => undefined);
    const sentInvite = call.messages.find((m) => m.direction === 'out' && m.method === 'INVITE' && m.status === undefined);
    const parsed = sentInvite ? parseSipMessage(sentInvite.raw) : null;
    const wire = parsed && !isParseError(parsed) ? parsed.headers : [];
    const verdict = verifyContactId(wire, profile);
    tracked.setVerdict(verdict);
    const same = sameVerdict(source.verdict, verdict);
    const answer = finalAnswer(call);
    const sentX = wire.filter((h) => /^x-/i.test(h.name));
    const headersOk = sentX.length === parts.headers.length && parts.headers.every((h, i) => sentX[i]?.name === h.name && sentX[i]?.value === h.value);
    const checks: CheckResult[] = [
      {
        name: 'replay-headers-sent',
        ok: wire.length > 0 && headersOk,
        detail: wire.length === 0 ? 'no INVITE was sent' : headersOk ? `the INVITE carried ${parts.headers.map((h) => `${h.name}: ${h.value}`).join(', ') || 'no X- header (as the original)'}` : `sent ${sentX.map((h) => h.name).join(', ')}; stored ${parts.headers.map((h) => h.name).join(', ')}`,
      },
      { name: 'call-answered', ok: answered, detail: answer ? `${answer.status} ${answer.reason}` : (call.end?.reason ?? `no answer (${call.state})`) },
      {
        name: 'same-verdict',
        ok: same,
        detail: `replayed: ${verdictText(verdict)}; original: ${source.verdict ? verdictText(source.verdict) : 'none stored'}`,
      },
    ];
    tracked.addChecks(checks);
    const ok = checks.every((k) => k.ok);
    if (runId) {
      if (opts.runtime) opts.runtime.finishRun(runId, ok);
      else store.finishRun(runId, { ok, endedWallMs: Date.now() });
    }
    return {
      ok,
      runId,
      source: { callRef: source.id, callId: source.callId, profile: source.profile },
      target,
      callId: call.callId,
      callRef: call.id,
      sent: { headers: parts.headers, fromUser: parts.fromUser, fromDisplayName: parts.fromDisplayName },
      answer,
      end: call.end,
      verdict,
      originalVerdict: source.verdict,
      sameVerdict: same,
      latency: tracked.latency(),
      checks,
    };
  } finally {
    await endpoint.stop();
  }
}

function verdictText(v: ContactIdVerdict): string {
  return v.ok ? `ok ${v.header} = ${v.value}` : `FAILED (${v.problems.join('; ') || 'no usable contact id'})`;
}

/** The far end's final response to the INVITE, as received. */
function finalAnswer(call: SipCall): { status: number; reason: string } | null {
  const m = call.messages.find((x) => x.direction === 'in' && x.method === 'INVITE' && x.status !== undefined && x.status >= 200);
  return m ? { status: m.status!, reason: m.firstLine.replace(/^SIP\/2\.0\s+\d+\s*/, '') } : null;
}

/** The replay report for a terminal. */
export function formatReplayReport(r: ReplayReport): string {
  const lines = [`replay of call ${r.source.callId} (${r.source.callRef}) to ${r.target}`, `  new call ${r.callId}${r.runId ? `, history run ${r.runId}` : ''}`];
  if (r.sent.fromUser) lines.push(`  From user ${r.sent.fromUser}${r.sent.fromDisplayName ? ` ("${r.sent.fromDisplayName}")` : ''}`);
  for (const h of r.sent.headers) lines.push(`    ${h.name}: ${h.value}`);
  lines.push(`  answer: ${r.answer ? `${r.answer.status} ${r.answer.reason}` : 'none'}${r.end ? `; ended by ${r.end.by}: ${r.end.reason}` : ''}`);
  lines.push(`  contact id: ${verdictText(r.verdict)}${r.sameVerdict ? ' (same as the original)' : ` — original: ${r.originalVerdict ? verdictText(r.originalVerdict) : 'none'}`}`);
  for (const k of r.checks) lines.push(`  ${k.ok ? '✓' : '✗'} ${k.name}: ${k.detail}`);
  lines.push(r.ok ? 'PASS' : 'FAIL');
  return lines.join('\n');
}
