/**
 * The `call` run kind placed by the emulated CXone script (design.md §2, mode 2 and 3; issue 11):
 * the dashboard's "Place call". The embedded emulator's child script ({@link ChildScript}) puts
 * the profile's X- headers (or the user's, with `{contactId}`, `{masterId}`, `{childId}` filled in)
 * and PLACECALLs the target through an endpoint the caller owns (the dashboard's CXone-side or
 * trunk endpoint, which outlives the call); ONSIGNAL and ONRELEASE run in the emulator, so the far
 * bot can Signal it. The run tells its caller as soon as the INVITE is out (`onPlaced`), keeps the
 * call until either side hangs up (or `maxCallMs`, or the run is stopped), and reports it like
 * `lab call` (same checks, same report shape), its run row in history with the others.
 */
import { z } from 'zod';
import type { SipHeader } from '../../shared/types';
import type { CxoneEmulatorApi } from '../emulator/api-server';
import { ChildScript } from '../emulator/child-script';
import { placedCallChecks } from '../scenarios/place-call-checks';
import type { PlaceCallRunReport, PlacedCallReport } from '../scenarios/place-call-report';
import { allChecksPass } from '../scenarios/run-report';
import { digestOutcome } from '../sip/digest-outcome';
import type { SipEndpoint } from '../sip/endpoint';
import { callback } from './schemas';
import type { RunContext } from './types';

/** The longest a scripted call may last before the emulated script ends it (ms), by default. */
const MAX_CALL_MS = 10 * 60_000;

/** Where a scripted call was placed: what `onPlaced` receives. */
export interface PlacedCallRef {
  /** The recorder's id of the leg this run placed (the dashboard's call id). */
  callRef: string;
  /** The SIP Call-ID of the INVITE. */
  callId: string;
}

/**
 * Options of a call placed by the emulated script (the `script` option of the `call` kind).
 * In-process only (an endpoint, the emulator's API, a callback): the contract never sends them.
 */
export const scriptedCallOption = z.object({
  /** The embedded emulator's API the script registers its contacts with (ONSIGNAL is served there). */
  api: z.custom<CxoneEmulatorApi>((v) => typeof v === 'object' && v !== null, 'the emulator API'),
  /** The SIP endpoint to place the call through; the caller owns it (the run never stops it). */
  endpoint: z.custom<SipEndpoint>((v) => typeof v === 'object' && v !== null, 'a SIP endpoint'),
  /** Headers put instead of the profile's, `{contactId}`, `{masterId}`, `{childId}` substituted; null: the profile's. */
  headers: z.array(z.object({ name: z.string().min(1), value: z.string() })).nullable().optional(),
  /** How long the script lets the call run before it ends it (ms); default 10 minutes. */
  maxCallMs: z.number().positive().optional(),
  /** Told once, right after the INVITE went out (before any answer). */
  onPlaced: callback<(placed: PlacedCallRef) => void>().optional(),
});

/** The `script` option as given. */
export type ScriptedCallOption = z.input<typeof scriptedCallOption>;

/** `{contactId}`, `{masterId}`, `{childId}` in a header value, replaced by the emulated contact ids. */
export function substituteIds(value: string, ids: { masterId: string; childId: string; contactId: string }): string {
  return value.replace(/\{(contactId|masterId|childId)\}/g, (_m, k: 'contactId' | 'masterId' | 'childId') => ids[k]);
}

/** What the scripted placement reads from the `call` kind's options. */
export interface ScriptedCallRun {
  target: string;
  profile: string;
  transport: 'udp' | 'tcp' | 'tls';
  /** Digest user of the endpoint (a trunk's), for the report; no password ever reaches the run. */
  user?: string;
  passwordSource?: 'env' | 'keychain' | null;
  outboundProxy?: string;
  script: z.output<typeof scriptedCallOption>;
}

/**
 * Places the call through the emulated script and reports it once it has ended.
 * @returns the report (`ok` when every check passed: answered, X- headers on the wire, audio).
 * @throws Error when the INVITE could not be sent (`the call was not placed: …`).
 */
export async function runScriptedCall(ctx: RunContext, opts: ScriptedCallRun): Promise<PlaceCallRunReport> {
  const profile = ctx.profile(opts.profile);
  const s = opts.script;
  const runId = ctx.createRun({ kind: 'call', profile: profile.id, transport: opts.transport, options: { target: opts.target, user: opts.user ?? null, scripted: true } });
  const headers: SipHeader[] = [];
  const script = new ChildScript({
    endpoint: s.endpoint,
    api: s.api,
    profile,
    target: opts.target,
    recorder: ctx.recorder,
    runId,
    maxCallMs: s.maxCallMs ?? MAX_CALL_MS,
    abort: ctx.signal,
    ...(s.headers ? { headersOverride: headers } : {}),
  });
  if (s.headers) {
    const ids = { contactId: script.header.value, masterId: script.masterId, childId: script.childId };
    for (const h of s.headers) headers.push({ name: h.name, value: substituteIds(h.value, ids) });
  }
  const done = script.run(); // places the call synchronously: script.call is set now
  const call = script.call;
  if (!call) {
    const outcome = await done;
    ctx.finishRun(runId, false);
    throw new Error(`the call was not placed: ${outcome.outcome}`);
  }
  s.onPlaced?.({ callRef: call.id, callId: call.callId });
  const outcome = await done;
  await call.mediaClosed().catch(() => {});
  ctx.log('info', `placed call ${call.callId}: ${outcome.outcome}`);
  const answered = call.messages.some((m) => m.direction === 'in' && m.method === 'INVITE' && m.status === 200);
  const auth = digestOutcome(call.messages, 'INVITE', { user: opts.user ?? null, hadPassword: Boolean(opts.user) });
  const media = answered ? call.mediaReport() : null;
  const sent = script.headers();
  const checked = placedCallChecks({ call, answered, headers: sent, contactIdHeaderName: script.header.name, auth, media, prompt: null, registration: null });
  const placed: PlacedCallReport = {
    callId: call.callId,
    callRef: call.id,
    profile: profile.id,
    transport: call.transport,
    invite: { requestUri: opts.target, originalRequestUri: call.originalRequestUri, headers: call.invite?.parsed.headers ?? [] },
    contactId: checked.contactId,
    signal: null,
    cxone: { masterId: script.masterId, childId: script.childId, signalledContactId: outcome.signalledContactId, onSignal: outcome.onSignal, outcome: outcome.outcome },
    end: call.end,
    latency: script.tracked?.latency() ?? {},
    checks: checked.checks,
    trunk: {
      requestUri: opts.target,
      outboundProxy: opts.outboundProxy ?? null,
      user: opts.user ?? null,
      passwordSource: opts.user ? (opts.passwordSource ?? null) : null,
      auth: { challenges: auth.challenges, sentAuthorization: auth.sentAuthorization, sentProxyAuthorization: auth.sentProxyAuthorization, problem: auth.problem },
    },
    media,
  };
  ctx.recorder.prune();
  ctx.onCallReport(placed);
  const ok = allChecksPass(checked.checks);
  ctx.finishRun(runId, ok);
  return { ok, runId, kind: 'call', profile: profile.id, transport: opts.transport, db: ctx.store?.file ?? null, calls: [placed], registration: null, error: checked.error };
}
