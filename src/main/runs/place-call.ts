/**
 * `lab call` as a run kind (design.md §2, mode 2): the app places a call as CXone's PLACECALL would,
 * to a SIP URI or a number through a trunk or PBX: the profile's X- headers put by SIPPUTHEADER with
 * an emulated contact id, digest credentials (401/407), an outbound proxy, REGISTER first when the
 * trunk needs it. Once answered it plays the prompt, records what the far end says, waits for the
 * far end to hang up (or the duration), sends BYE, and reports like the other commands.
 */
import { sendDtmfPlan, type CallDtmfPlan } from '../scenarios/call-dtmf';
import { placeCallRuleChecks } from '../profiles/placecall-checks';
import dgram from 'node:dgram';
import { mkdirSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { z } from 'zod';
import type { CheckResult } from '../../shared/types';
import { monoNow } from '../clock';
import { newContactId } from '../emulator/child-script';
import { childContactId, placeCallHeaders } from '../emulator/placecall-headers';
import type { SipCall } from '../sip/call';
import { digestOutcome } from '../sip/digest-outcome';
import { advertisedAddress, SipEndpoint } from '../sip/endpoint';
import { SipRegistration } from '../sip/registration';
import type { SipTlsOptions } from '../sip/tls-setup';
import { placedCallChecks, type PromptOutcome } from '../scenarios/place-call-checks';
import type { PlaceCallRunReport, PlacedCallReport, RegistrationReport } from '../scenarios/place-call-report';
import { allChecksPass } from '../scenarios/run-report';
import { applyHeaderOverrides, resolveCallTarget } from '../scenarios/trunk-target';
import { runScriptedCall, scriptedCallOption } from './place-call-scripted';
import { callback, sipHeadersOption } from './schemas';
import { defineRun, type RunContext } from './types';

/** Options of a call run (the old `PlaceCallOptions` minus `dbFile`/`log`/`signal`, which the runtime owns). */
export const placeCallOptionsSchema = z.object({
  /** SIP URI (`sip:bot@10.0.0.5:5060`) or a number (with `trunk` or `outboundProxy`); see trunk-target.ts. */
  target: z.string().min(1),
  profile: z.string().min(1),
  transport: z.enum(['udp', 'tcp', 'tls']),
  /** `host[:port]` of the trunk or PBX: numbers go to `sip:<number>@<trunk>`; the default registrar. */
  trunk: z.string().optional(),
  /** Outbound proxy (RFC 3261 §8.1.2): `sip:proxy:5060` or `host[:port]`. */
  outboundProxy: z.string().optional(),
  /** Digest user name, also the From user (`sip:<user>@<domain>`). */
  user: z.string().optional(),
  /** Domain of From and of the registration's AOR; default the Request-URI's host. */
  domain: z.string().optional(),
  /** Digest password (never stored, logged nor reported). */
  password: z.string().optional(),
  /** Where the password came from, for the report. */
  passwordSource: z.enum(['env', 'keychain']).nullable().optional(),
  /** REGISTER before the call (and unregister after). */
  register: z.union([z.object({ registrar: z.string().optional(), expiresS: z.number().optional() }), z.literal(false)]).optional(),
  /** `--header` values: add, or replace a header of the same name (empty value: remove). */
  headers: sipHeadersOption.optional(),
  /** WAV file to play once answered; null or undefined plays nothing. */
  prompt: z.string().nullable().optional(),
  /** DTMF to send after the answer (`--dtmf`; call-dtmf.ts), checked as `dtmf-sent`. */
  dtmf: z.custom<CallDtmfPlan>().optional(),
  /** Directory for the WAV of what the far end sent; null: no recording. */
  recordDir: z.string().nullable().optional(),
  /** Send BYE this long after the answer (ms); default: wait for the far end, at most `maxCallMs`. */
  durationMs: z.number().nonnegative().optional(),
  /** Longest call when waiting for the far end (ms); default 120000. */
  maxCallMs: z.number().positive().optional(),
  /** CANCEL when not answered within this (ms); default 60000. */
  answerTimeoutMs: z.number().positive().optional(),
  /** Listener linger after the call (ms); default 500 over TCP/TLS (sip-in-node.md §3.5), 0 over UDP. */
  lingerMs: z.number().nonnegative().optional(),
  /** Local SIP listener: bind host (default 0.0.0.0), port (default 0), advertised address (default: the one routing to the first hop). */
  local: z.object({ host: z.string().optional(), port: z.number().int().min(0).max(65535).optional(), advertiseHost: z.string().optional() }).optional(),
  tls: z.custom<SipTlsOptions>().optional(),
  /** Live progress lines for a terminal. */
  onProgress: callback<(line: string) => void>().optional(),
  /**
   * Place the call by the emulated CXone script through a caller-owned endpoint (the dashboard's
   * "Place call"; place-call-scripted.ts): `target` is then the final SIP URI, and the trunk,
   * register, prompt, DTMF and local options are not used. Absent: `lab call`'s own endpoint.
   */
  script: scriptedCallOption.optional(),
});

/** Options of a call run as given. */
export type PlaceCallRunOptions = z.input<typeof placeCallOptionsSchema>;

/**
 * Places one call and reports it.
 * @returns the report; `ok` only when every check passed (registration, credentials, answer, headers, audio).
 * @throws Error on set-up problems: unknown profile, unusable target, listener not bound.
 */
export async function runPlaceCallOn(ctx: RunContext, opts: z.output<typeof placeCallOptionsSchema>): Promise<PlaceCallRunReport> {
  if (opts.script) return runScriptedCall(ctx, { ...opts, script: opts.script });
  const profile = ctx.profile(opts.profile);
  const log = ctx.log;
  const say = opts.onProgress ?? (() => {});
  const target = resolveCallTarget(opts.target, { trunk: opts.trunk, outboundProxy: opts.outboundProxy });
  const domain = opts.domain ?? target.domain;
  const masterId = newContactId();
  const ids = { masterId, childId: childContactId(masterId) };
  const put = placeCallHeaders(profile, ids);
  const headers = applyHeaderOverrides(put.headers, opts.headers ?? []);
  const advertiseHost = opts.local?.advertiseHost ?? (await localAddressFor(target.firstHopHost));
  if (opts.recordDir) mkdirSync(opts.recordDir, { recursive: true });
  const store = ctx.store;
  const runOptions = { target: target.requestUri, outboundProxy: opts.outboundProxy ?? null, user: opts.user ?? null, register: Boolean(opts.register) };
  const runId = ctx.createRun({ kind: 'call', profile: profile.id, transport: opts.transport, options: runOptions });
  let endpoint: SipEndpoint | null = null;
  let registration: SipRegistration | null = null;
  let regReport: RegistrationReport | null = null;
  const report = (ok: boolean, calls: PlacedCallReport[], error: string | null): PlaceCallRunReport => {
    ctx.finishRun(runId, ok);
    return { ok, runId, kind: 'call', profile: profile.id, transport: opts.transport, db: store?.file ?? null, calls, registration: regReport, error };
  };
  try {
    endpoint = await ctx.startEndpoint({
      transport: opts.transport,
      host: opts.local?.host ?? (isIPv6(advertiseHost) ? '::' : '0.0.0.0'),
      port: opts.local?.port ?? 0,
      advertiseHost,
      user: opts.user ?? 'cxone',
      auth: opts.user && opts.password ? { username: opts.user, password: opts.password } : undefined,
      outboundProxy: opts.outboundProxy,
      media: opts.recordDir ? { recordDir: opts.recordDir, onRtpPacket: ctx.rtpCapture.onRtpPacket } : {},
      tls: opts.tls,
      log,
    });
    if (opts.register) {
      const registrar = opts.register.registrar ?? `sip:${opts.trunk ?? domain}`;
      const aor = `sip:${opts.user ?? 'cxone'}@${domain}`;
      registration = new SipRegistration(endpoint, { registrar, aor, expiresS: opts.register.expiresS, log });
      const r = await registration.register();
      regReport = { registrar, aor, ok: r.ok, status: r.status, reason: r.reason, expiresS: r.expiresS, bindings: r.bindings, error: r.error, warnings: r.warnings, unregister: null };
      say(`REGISTER ${aor} at ${registrar}: ${r.ok ? `${r.status} ${r.reason}, expires ${r.expiresS} s` : `FAILED: ${r.error}`}`);
      if (!r.ok) {
        const check: CheckResult = { name: 'registered', ok: false, detail: r.error ?? 'registration failed' };
        store?.addCheck({ ...check, runId, callRef: null });
        return report(false, [], `registration failed: ${r.error}`);
      }
    }
    const recorder = ctx.recorder;
    const call = endpoint.invite(target.requestUri, { extraHeaders: headers, fromUri: opts.user ? `sip:${opts.user}@${domain}` : undefined });
    const tracked = recorder.track(call, { runId, profile: profile.id });
    say(`INVITE ${target.requestUri}${opts.outboundProxy ? ` via ${opts.outboundProxy}` : ''} (Call-ID ${call.callId})`);
    for (const h of headers) say(`    ${h.name}: ${h.value}`);
    const answered = await waitForAnswer(call, opts.answerTimeoutMs ?? 60_000, ctx.signal);
    let playing: Promise<() => PromptOutcome> | null = null;
    let dtmfSent: Promise<CheckResult> | null = null;
    if (answered) {
      say(`answered: ${call.messages.find((m) => m.direction === 'in' && m.method === 'INVITE' && m.status === 200)?.firstLine ?? '200 OK'}`);
      playing = opts.prompt ? playPrompt(call, opts.prompt) : null;
      dtmfSent = opts.dtmf ? sendDtmfPlan(call, opts.dtmf, say) : null;
      await holdCall(call, opts.durationMs ?? opts.maxCallMs ?? 120_000, ctx.signal);
      if (call.state === 'answered') await call.hangup().catch((e: Error) => log('warn', `BYE failed: ${e.message}`));
    }
    await call.waitForEnd(10_000).catch(() => call.hangup().catch(() => {}));
    const prompt = playing ? (await playing)() : null;
    await call.mediaClosed();
    say(`call ended: ${call.end ? `${call.end.by}: ${call.end.reason}` : call.state}`);
    const auth = digestOutcome(call.messages, 'INVITE', { user: opts.user ?? null, hadPassword: Boolean(opts.password) });
    const media = answered ? call.mediaReport() : null;
    const { checks, contactId, outcome, error } = placedCallChecks({ call, answered, headers, contactIdHeaderName: put.contactIdHeader.name, auth, media, prompt, registration: regReport });
    if (dtmfSent) checks.push(await dtmfSent);
    // Seed facts about the PLACECALL (TLS trunk, number), as warnings (issue 14).
    checks.push(...placeCallRuleChecks(profile, { requestUri: target.requestUri, transport: call.transport }));
    tracked.addChecks(checks);
    const placed: PlacedCallReport = {
      callId: call.callId,
      callRef: call.id,
      profile: profile.id,
      transport: call.transport,
      invite: { requestUri: target.requestUri, originalRequestUri: call.originalRequestUri, headers: call.invite?.parsed.headers ?? [] },
      contactId,
      signal: null,
      cxone: { masterId: ids.masterId, childId: ids.childId, signalledContactId: null, onSignal: null, outcome },
      end: call.end,
      latency: tracked.latency(),
      checks,
      trunk: {
        requestUri: target.requestUri,
        outboundProxy: opts.outboundProxy ?? null,
        user: opts.user ?? null,
        passwordSource: opts.password ? (opts.passwordSource ?? null) : null,
        auth: { challenges: auth.challenges, sentAuthorization: auth.sentAuthorization, sentProxyAuthorization: auth.sentProxyAuthorization, problem: auth.problem },
      },
      media,
    };
    const linger = opts.lingerMs ?? (opts.transport === 'udp' ? 0 : 500);
    if (linger > 0) await new Promise((r) => setTimeout(r, linger));
    if (registration) {
      const un = await registration.stop();
      if (regReport && un) regReport.unregister = { ok: un.ok, status: un.status, error: un.error };
    }
    ctx.onCallReport(placed);
    return report(allChecksPass(checks), [placed], error);
  } finally {
    await registration?.stop();
    await endpoint?.stop();
  }
}

/** Resolves true once answered; false when the call failed, or was cancelled (timeout, abort). */
async function waitForAnswer(call: SipCall, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  const aborted = new Promise<'abort'>((r) => (signal?.aborted ? r('abort') : signal?.addEventListener('abort', () => r('abort'), { once: true })));
  const outcome = await Promise.race([call.waitForState('answered', timeoutMs).then(() => 'answered' as const, () => 'no' as const), aborted]);
  if (outcome === 'answered') return true;
  if (call.state === 'inviting' || call.state === 'ringing') await call.hangup().catch(() => {});
  return false;
}

/** Keeps the call up until the far end hangs up, `ms` pass, or the signal aborts. */
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
 * Plays the prompt. A prompt cut short by the end of the call (either side's BYE reached the
 * socket before the media closed under it) is not a failure of the prompt; one that fails earlier
 * (an unusable WAV, no media) is. Decided once the call has ended.
 */
async function playPrompt(call: SipCall, file: string): Promise<() => PromptOutcome> {
  try {
    await call.playPrompt(file);
    return () => ({ file, result: 'played', detail: `played ${file}` });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const at = monoNow();
    return () => {
      const cut = call.messages.some((m) => m.method === 'BYE' && m.status === undefined && m.monoMs <= at);
      return { file, result: cut ? 'cut short' : 'failed', detail: cut ? `${file} cut short: the call ended while it played` : `${file}: ${msg}` };
    };
  }
}

/** The local address that routes to `host` (a connected UDP socket's address), else this machine's first IPv4 address. */
async function localAddressFor(host: string): Promise<string> {
  const h = host.replace(/^\[|\]$/g, '');
  const sock = dgram.createSocket(isIPv6(h) ? 'udp6' : 'udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      sock.once('error', reject);
      sock.connect(5060, h, () => resolve());
    });
    return sock.address().address;
  } catch {
    return advertisedAddress('0.0.0.0');
  } finally {
    sock.close();
  }
}

/** The `call` kind. */
export const placeCallRun = defineRun({ kind: 'call', options: placeCallOptionsSchema, run: runPlaceCallOn });
