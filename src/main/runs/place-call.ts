/**
 * `lab call` as a run kind (design.md §2, mode 2): the app places a call as CXone's PLACECALL would,
 * to a SIP URI or a number through a trunk or PBX: the profile's X- headers put by SIPPUTHEADER with
 * an emulated contact id, digest credentials (401/407), an outbound proxy, REGISTER first when the
 * trunk needs it. Once answered it plays the prompt, records what the far end says, waits for the
 * far end to hang up (or the duration), sends BYE, and reports like the other commands.
 *
 * The dashboard's "Place call" is the same kind (issue 11 item 2): with a caller-owned `endpoint`
 * and the embedded `emulator`, whose emulated CXone script attaches to the call. Both go through
 * the one path of placed-call.ts (INVITE, answer, prompt, DTMF, hold, BYE, checks on the call's
 * row, report); this file only sets up the endpoint, the REGISTER and the emulated contacts.
 */
import type { CallDtmfPlan } from '../scenarios/call-dtmf';
import dgram from 'node:dgram';
import { mkdirSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { z } from 'zod';
import type { CheckResult, SipHeader } from '../../shared/types';
import type { CxoneEmulatorApi } from '../emulator/api-server';
import { ChildScript, newContactId } from '../emulator/child-script';
import { childContactId, placeCallHeaders } from '../emulator/placecall-headers';
import { advertisedAddress, SipEndpoint } from '../sip/endpoint';
import { SipRegistration } from '../sip/registration';
import type { SipTlsOptions } from '../sip/tls-setup';
import type { PlaceCallRunReport, PlacedCallReport, RegistrationReport } from '../scenarios/place-call-report';
import { allChecksPass } from '../scenarios/run-report';
import { applyHeaderOverrides, resolveCallTarget } from '../scenarios/trunk-target';
import { placeOneCall, substituteIds, type PlacedCallRef } from './placed-call';
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
  /** Longest call when waiting for the far end (ms); default 120000, 10 minutes with `emulator`. */
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
   * A SIP endpoint the caller owns to place the call through (the dashboard's CXone-side or trunk
   * endpoint, which outlives the call; host/call-placer.ts): the run never stops it, and `target`
   * should then be the final SIP URI. Absent: the run starts its own, with the trunk, register,
   * password, local, tls and recordDir options (`lab call`); those are not used with this one.
   */
  endpoint: z.custom<SipEndpoint>((v) => typeof v === 'object' && v !== null, 'a SIP endpoint').optional(),
  /**
   * Attach an emulated CXone script (emulator/child-script.ts) to the call: its contacts are
   * registered with this embedded emulator API before the INVITE, so the far bot can Signal them,
   * ONSIGNAL and ONRELEASE play while the call is up, and the report's `cxone` has the script's
   * outcome (the dashboard's "Place call"). Absent: no script (`lab call`). In-process only.
   */
  emulator: z.object({ api: z.custom<CxoneEmulatorApi>((v) => typeof v === 'object' && v !== null, 'the emulator API') }).optional(),
  /** Headers put instead of the profile's, `{contactId}`, `{masterId}`, `{childId}` substituted (`headers` then applies over them); null: the profile's. */
  putHeaders: z.array(z.object({ name: z.string().min(1), value: z.string() })).nullable().optional(),
  /** The From user at the endpoint's address (the dashboard's `cxone`); absent: `sip:<user>@<domain>` with `user`, else the endpoint's default. */
  fromUser: z.string().min(1).optional(),
  /** Add the profile's PLACECALL rules (TLS trunk, number; issue 14) as warning checks. Default true. */
  placeCallRules: z.boolean().optional(),
  /** Told once, right after the INVITE went out (before any answer): the call's recorder id and Call-ID. */
  onPlaced: callback<(placed: PlacedCallRef) => void>().optional(),
});

/** Options of a call run as given. */
export type PlaceCallRunOptions = z.input<typeof placeCallOptionsSchema>;

/** The longest call when waiting for the far end (ms): `lab call`'s default, and the dashboard's (with the emulated script). */
const MAX_CALL_MS = 120_000;
const MAX_SCRIPTED_CALL_MS = 10 * 60_000;

/**
 * Places one call and reports it: sets up the endpoint (the run's own, with REGISTER, or the
 * caller's) and the emulated script when asked, then the one path of placed-call.ts.
 * @returns the report; `ok` only when every check passed (registration, credentials, answer, headers, audio).
 * @throws Error on set-up problems: unknown profile, unusable target, listener not bound, INVITE not sent.
 */
export async function runPlaceCallOn(ctx: RunContext, opts: z.output<typeof placeCallOptionsSchema>): Promise<PlaceCallRunReport> {
  const profile = ctx.profile(opts.profile);
  const log = ctx.log;
  const say = opts.onProgress ?? (() => {});
  const own = !opts.endpoint;
  const target = resolveCallTarget(opts.target, { trunk: opts.trunk, outboundProxy: opts.outboundProxy });
  const domain = opts.domain ?? target.domain;
  const store = ctx.store;
  const runOptions = {
    target: target.requestUri,
    outboundProxy: opts.outboundProxy ?? null,
    user: opts.user ?? null,
    register: own && Boolean(opts.register),
    ...(opts.emulator ? { scripted: true } : {}),
  };
  const runId = ctx.createRun({ kind: 'call', profile: profile.id, transport: opts.transport, options: runOptions });
  const maxCallMs = opts.maxCallMs ?? (opts.emulator ? MAX_SCRIPTED_CALL_MS : MAX_CALL_MS);
  const answerTimeoutMs = opts.answerTimeoutMs ?? 60_000;
  const holdMs = opts.durationMs ?? maxCallMs;

  // The emulated contacts: the script's (its topology decides the child id), or lab call's own.
  const override: SipHeader[] = [];
  const replacing = Boolean(opts.putHeaders) || (opts.headers?.length ?? 0) > 0;
  const script = opts.emulator
    ? new ChildScript({
        api: opts.emulator.api,
        profile,
        target: target.requestUri,
        recorder: ctx.recorder,
        runId,
        // The call run ends the call (answer timeout, duration, stop); the script's cap only backs it up.
        maxCallMs: answerTimeoutMs + holdMs + 30_000,
        abort: ctx.signal,
        ...(replacing ? { headersOverride: override } : {}),
      })
    : null;
  const masterId = script?.masterId ?? newContactId();
  const ids = { masterId, childId: script?.childId ?? childContactId(masterId) };
  const put = placeCallHeaders(profile, ids, script?.topology);
  const contactId = script?.header ?? put.contactIdHeader;
  const base = opts.putHeaders ? opts.putHeaders.map((h) => ({ name: h.name, value: substituteIds(h.value, { ...ids, contactId: contactId.value }) })) : put.headers;
  override.push(...applyHeaderOverrides(base, opts.headers ?? []));
  const headers = script ? script.headers() : override;

  let endpoint: SipEndpoint | null = opts.endpoint ?? null;
  let registration: SipRegistration | null = null;
  let regReport: RegistrationReport | null = null;
  const report = (ok: boolean, calls: PlacedCallReport[], error: string | null): PlaceCallRunReport => {
    ctx.finishRun(runId, ok);
    return { ok, runId, kind: 'call', profile: profile.id, transport: opts.transport, db: store?.file ?? null, calls, registration: regReport, error };
  };
  try {
    if (!endpoint) {
      const advertiseHost = opts.local?.advertiseHost ?? (await localAddressFor(target.firstHopHost));
      if (opts.recordDir) mkdirSync(opts.recordDir, { recursive: true });
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
    }
    const { placed, error } = await placeOneCall(ctx, {
      runId,
      profile,
      endpoint,
      requestUri: target.requestUri,
      headers,
      contactIdHeaderName: contactId.name,
      ids,
      from: opts.fromUser ? { fromUser: opts.fromUser } : opts.user ? { fromUri: `sip:${opts.user}@${domain}` } : {},
      script,
      answerTimeoutMs,
      holdMs,
      prompt: opts.prompt ?? null,
      dtmf: opts.dtmf ?? null,
      placeCallRules: opts.placeCallRules ?? true,
      // A caller's endpoint carries the credentials of `user` (the dashboard's trunk endpoints do).
      trunk: { outboundProxy: opts.outboundProxy ?? null, user: opts.user ?? null, hadPassword: own ? Boolean(opts.password) : Boolean(opts.user), passwordSource: opts.passwordSource ?? null },
      registration: regReport,
      say,
      onPlaced: opts.onPlaced,
    });
    const linger = own ? (opts.lingerMs ?? (opts.transport === 'udp' ? 0 : 500)) : 0;
    if (linger > 0) await new Promise((r) => setTimeout(r, linger));
    if (registration) {
      const un = await registration.stop();
      if (regReport && un) regReport.unregister = { ok: un.ok, status: un.status, error: un.error };
    }
    if (script) log('info', `placed call ${placed.callId}: ${placed.cxone?.outcome ?? ''}`);
    ctx.onCallReport(placed);
    return report(allChecksPass(placed.checks), [placed], error);
  } finally {
    await registration?.stop();
    if (own) await endpoint?.stop();
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
