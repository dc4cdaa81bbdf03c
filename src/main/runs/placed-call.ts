/**
 * The one path of the `call` run kind (issue 11 item 2): `lab call` and the dashboard's "Place
 * call" both come here. It sends the INVITE (the kind's only `endpoint.invite` call site), tells the
 * caller it is out, waits for the answer (CANCEL after the answer timeout, PLACECALL's NoAnswer
 * branch, cxone-reference.md §4 [H-PC]), plays the prompt and the DTMF plan, holds the call until
 * the far end hangs up, the duration or the longest call passes, or the run is stopped, ends it
 * (BYE), runs the checks, writes them onto the call's row, and builds the {@link PlacedCallReport}.
 *
 * What differs between the front-ends is input, not code: the endpoint (the run's own or one the
 * caller owns; place-call.ts decides) and an emulated CXone script attached to the call
 * ({@link ChildScript}: its contacts are registered with the embedded emulator API before the
 * INVITE, so the far bot can Signal them, and ONSIGNAL/ONRELEASE play while the call is up; the
 * report's `cxone` then holds the script's outcome).
 */
import type { VendorProfile } from '../../shared/profile';
import type { CheckResult, SipHeader } from '../../shared/types';
import { monoNow } from '../clock';
import type { ChildScript, ScriptOutcome } from '../emulator/child-script';
import { placeCallRuleChecks } from '../profiles/placecall-checks';
import { sendDtmfPlan, type CallDtmfPlan } from '../scenarios/call-dtmf';
import type { TrackedCall } from '../scenarios/call-recorder';
import { placedCallChecks, type PromptOutcome } from '../scenarios/place-call-checks';
import type { PlacedCallReport, RegistrationReport } from '../scenarios/place-call-report';
import type { SipCall } from '../sip/call';
import { digestOutcome } from '../sip/digest-outcome';
import type { InviteOptions, SipEndpoint } from '../sip/endpoint';
import type { RunContext } from './types';

/** Where a call was placed: what `onPlaced` receives, right after the INVITE went out. */
export interface PlacedCallRef {
  /** The recorder's id of the leg this run placed (the dashboard's call id). */
  callRef: string;
  /** The SIP Call-ID of the INVITE. */
  callId: string;
}

/** `{contactId}`, `{masterId}`, `{childId}` in a header value, replaced by the emulated contact ids. */
export function substituteIds(value: string, ids: { masterId: string; childId: string; contactId: string }): string {
  return value.replace(/\{(contactId|masterId|childId)\}/g, (_m, k: 'contactId' | 'masterId' | 'childId') => ids[k]);
}

/** Everything {@link placeOneCall} needs; place-call.ts builds it from the run's options. */
export interface PlaceOneCallInput {
  /** The run the call belongs to (its history row exists already). */
  runId: string;
  profile: VendorProfile;
  /** The endpoint the INVITE goes out on; never stopped here (its owner does that). */
  endpoint: SipEndpoint;
  /** The INVITE's Request-URI. */
  requestUri: string;
  /** The SIPPUTHEADER headers to put on the INVITE, as they are to be sent (overrides applied). */
  headers: SipHeader[];
  /** The profile's contact-id header name (for the `x-headers-sent` check and the report). */
  contactIdHeaderName: string;
  /** The emulated contact ids the headers carry (MasterId, child), for the report. */
  ids: { masterId: string; childId: string };
  /** The From of the INVITE (a full URI or a user at the endpoint's address); empty: the endpoint's default. */
  from: Pick<InviteOptions, 'fromUri' | 'fromUser'>;
  /** The emulated CXone script to attach (dashboard), whose {@link ChildScript.headers} are `headers`; null: none (CLI). */
  script: ChildScript | null;
  /** CANCEL when not answered within this (ms). */
  answerTimeoutMs: number;
  /** BYE this long after the answer unless the far end hung up first (ms). */
  holdMs: number;
  /** WAV file played once answered; null: none. */
  prompt: string | null;
  /** DTMF sent once answered (checked as `dtmf-sent`); null: none. */
  dtmf: CallDtmfPlan | null;
  /** Add the profile's PLACECALL rules (TLS trunk, number; seed facts, issue 14) as warning checks. */
  placeCallRules: boolean;
  /** The trunk facts for the report and the digest check. No password: only whether there was one. */
  trunk: { outboundProxy: string | null; user: string | null; hadPassword: boolean; passwordSource: 'env' | 'keychain' | null };
  /** The REGISTER before the call, checked as `registered`; null when there was none. */
  registration: RegistrationReport | null;
  /** Progress lines for a terminal. */
  say(line: string): void;
  /** Told once, right after the INVITE went out (before any answer). */
  onPlaced?: (placed: PlacedCallRef) => void;
}

/**
 * Places one call, holds it, ends it and checks it (see the module comment). The checks are also
 * written onto the call's history row (`check/added` for each). Aborting `ctx.signal` CANCELs or
 * BYEs the call and reports what was done.
 * @returns the call's report and the first failure of the call in words (registration, credentials,
 *   answer, headers, audio; null when those passed: the DTMF and rule checks count in `ok` only).
 * @throws Error `the call was not placed: …` when the INVITE could not be sent (unusable URI or header, endpoint stopped).
 */
export async function placeOneCall(ctx: RunContext, input: PlaceOneCallInput): Promise<{ placed: PlacedCallReport; error: string | null }> {
  const { profile, endpoint, requestUri, headers, script, say } = input;
  const log = ctx.log;
  script?.open();
  let call: SipCall;
  let tracked: TrackedCall;
  try {
    call = endpoint.invite(requestUri, { extraHeaders: headers, ...input.from });
    tracked = ctx.recorder.track(call, { runId: input.runId, profile: profile.id });
  } catch (e) {
    script?.close();
    throw new Error(`the call was not placed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  const scripted: Promise<ScriptOutcome> | null = script ? script.follow(call, tracked) : null;
  input.onPlaced?.({ callRef: call.id, callId: call.callId });
  say(`INVITE ${requestUri}${input.trunk.outboundProxy ? ` via ${input.trunk.outboundProxy}` : ''} (Call-ID ${call.callId})`);
  for (const h of headers) say(`    ${h.name}: ${h.value}`);

  const answered = await waitForAnswer(call, input.answerTimeoutMs, ctx.signal);
  let playing: Promise<() => PromptOutcome> | null = null;
  let dtmfSent: Promise<CheckResult> | null = null;
  if (answered) {
    say(`answered: ${call.messages.find((m) => m.direction === 'in' && m.method === 'INVITE' && m.status === 200)?.firstLine ?? '200 OK'}`);
    playing = input.prompt ? playPrompt(call, input.prompt) : null;
    dtmfSent = input.dtmf ? sendDtmfPlan(call, input.dtmf, say) : null;
    await holdCall(call, input.holdMs, ctx.signal);
    if (call.state === 'answered') await call.hangup().catch((e: Error) => log('warn', `BYE failed: ${e.message}`));
  }
  await call.waitForEnd(10_000).catch(() => call.hangup().catch(() => {}));
  const prompt = playing ? (await playing)() : null;
  await call.mediaClosed().catch(() => {});
  // The script's outcome comes after its settle time for Signals still in flight.
  const outcome = scripted ? await scripted : null;
  say(`call ended: ${call.end ? `${call.end.by}: ${call.end.reason}` : call.state}`);
  if (outcome) say(`CXone: ${outcome.outcome}`);

  const { trunk } = input;
  const auth = digestOutcome(call.messages, 'INVITE', { user: trunk.user, hadPassword: trunk.hadPassword });
  const media = answered ? call.mediaReport() : null;
  const checked = placedCallChecks({ call, answered, headers, contactIdHeaderName: input.contactIdHeaderName, auth, media, prompt, registration: input.registration });
  const checks = checked.checks;
  if (dtmfSent) checks.push(await dtmfSent);
  // Seed facts about the PLACECALL (TLS trunk, number), as warnings (issue 14).
  if (input.placeCallRules) checks.push(...placeCallRuleChecks(profile, { requestUri, transport: call.transport }));
  tracked.addChecks(checks);
  const placed: PlacedCallReport = {
    callId: call.callId,
    callRef: call.id,
    profile: profile.id,
    transport: call.transport,
    invite: { requestUri, originalRequestUri: call.originalRequestUri, headers: call.invite?.parsed.headers ?? [] },
    contactId: checked.contactId,
    signal: null,
    cxone: {
      masterId: input.ids.masterId,
      childId: input.ids.childId,
      signalledContactId: outcome?.signalledContactId ?? null,
      onSignal: outcome?.onSignal ?? null,
      outcome: outcome?.outcome ?? checked.outcome,
    },
    end: call.end,
    latency: tracked.latency(),
    checks,
    trunk: {
      requestUri,
      outboundProxy: trunk.outboundProxy,
      user: trunk.user,
      passwordSource: trunk.hadPassword ? trunk.passwordSource : null,
      auth: { challenges: auth.challenges, sentAuthorization: auth.sentAuthorization, sentProxyAuthorization: auth.sentProxyAuthorization, problem: auth.problem },
    },
    media,
  };
  return { placed, error: checked.error };
}

/** Resolves true once answered; false when the call failed, or was cancelled (timeout, abort). */
async function waitForAnswer(call: SipCall, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  const aborted = new Promise<'abort'>((r) => (signal?.aborted ? r('abort') : signal?.addEventListener('abort', () => r('abort'), { once: true })));
  const outcome = await Promise.race([call.waitForState('answered', timeoutMs).then(() => 'answered' as const, () => 'no' as const), aborted]);
  if (outcome === 'answered') return true;
  if (call.state === 'inviting' || call.state === 'ringing') await call.hangup().catch(() => {});
  return false;
}

/** Keeps the call up until it ends (far end's BYE, the attached script's drop), `ms` pass, or the signal aborts. */
async function holdCall(call: SipCall, ms: number, signal?: AbortSignal): Promise<void> {
  let onAbort = (): void => {};
  const aborted = new Promise<void>((r) => {
    onAbort = r;
    if (signal?.aborted) r();
  });
  signal?.addEventListener('abort', onAbort, { once: true });
  await Promise.race([call.waitForEnd(ms).catch(() => {}), aborted]);
  signal?.removeEventListener('abort', onAbort);
}

/**
 * Plays the prompt. A prompt cut short by the end of the call (our hang-up had begun, or the far
 * end's BYE had reached the socket, before the media closed under it) is not a failure of the
 * prompt; one that fails earlier (an unusable WAV, no media) is. Decided once the call has ended.
 */
async function playPrompt(call: SipCall, file: string): Promise<() => PromptOutcome> {
  try {
    await call.playPrompt(file);
    return () => ({ file, result: 'played', detail: `played ${file}` });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const at = monoNow();
    // Our own BYE: the call is `ending` before sip.js closes the media, and the BYE's record carries
    // its wire-thread stamp, which can come after `at`. The far end's BYE is stamped on receipt.
    const hangingUp = call.state === 'ending' || call.state === 'ended';
    return () => {
      const cut = hangingUp || call.messages.some((m) => m.method === 'BYE' && m.status === undefined && m.monoMs <= at);
      return { file, result: cut ? 'cut short' : 'failed', detail: cut ? `${file} cut short: the call ended while it played` : `${file}: ${msg}` };
    };
  }
}
