/**
 * `lab emulate`: the app as CXone for a real bot (design.md §2, mode 2). It serves the emulated
 * CXone API the bot is configured to use (HTTP, or HTTPS with a generated certificate), places the
 * call to the bot with the profile's X- headers and an emulated contact id (SIPPUTHEADER +
 * PLACECALL), waits for the bot's token request and Signal, checks them, plays ONSIGNAL, and
 * reports.
 *
 * @remarks cxone-reference.md §1 (token flows), §2 (Signal), §4 (SIPPUTHEADER, PLACECALL, ONSIGNAL,
 * REQAGENT, HANGUP, ONRELEASE).
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { z } from 'zod';
import type { ScriptTopology } from '../../shared/profile';
import type { CheckResult, SignalRecord } from '../../shared/types';
import { CxoneEmulatorApi } from '../emulator/api-server';
import type { EmulatorSignalEvent } from '../emulator/api-types';
import { ChildScript } from '../emulator/child-script';
import { formatFault } from '../emulator/faults';
import type { SipTlsOptions } from '../sip/tls-setup';
import { generateSelfSigned } from '../tls/certificates';
import { HttpExchangeCapture } from '../scenarios/emulate-capture';
import { emulateChecks } from '../scenarios/emulate-checks';
import { referCheck } from '../scenarios/refer-check';
import { placeCallRuleChecks } from '../profiles/placecall-checks';
import { buildEmulateCallReport, describeRequests } from '../scenarios/emulate-report';
import { allChecksPass, type RunReport } from '../scenarios/run-report';
import { CALLER_PROMPT, optionalPromptPath } from '../resources';
import { formatHostPort as hostPort } from '../net/host-format';
import { audioOption, callback, faultsOption } from './schemas';
import { defineRun, type RunContext } from './types';

/** Credentials the emulated CXone accepts (the bot is configured with them). */
export interface EmulatorCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  /** OAuth client of the password grant (cxone-reference.md §1b). */
  clientId: string;
  clientSecret: string;
}

/** Options of an emulate run (the old `EmulateOptions` minus `dbFile`/`log`/`abort`, which the runtime owns). */
export const emulateOptionsSchema = z.object({
  /** SIP URI of the bot (its pseudo number's route), e.g. `sip:+15550100@bot.example.com:5060`. */
  sipTarget: z.string(),
  /** What the emulated caller says once the bot answers (WAV path or 8 kHz samples); null: silence. Default resources/prompts/caller.wav. */
  callerPrompt: audioOption.optional(),
  /** Profile id: kore, synthflow, watson, polyai, custom. */
  profile: z.string().min(1),
  /** Where the emulated CXone API listens; `advertiseHost` is the host written in the URLs the bot gets. */
  apiListen: z.object({ host: z.string(), port: z.number().int().min(0).max(65535), advertiseHost: z.string().optional() }),
  /** Serve HTTPS with a generated self-signed certificate (its SHA-256 fingerprint is reported). */
  https: z.boolean().optional(),
  /** Credentials to accept; missing ones are generated (and handed out through `onReady`). */
  credentials: z.object({ accessKeyId: z.string(), accessKeySecret: z.string(), clientId: z.string(), clientSecret: z.string() }).partial().optional(),
  /** The CXone side's SIP endpoint; `tls` options give the CAs trusted for the bot's certificate. */
  sip: z.object({
    transport: z.enum(['udp', 'tcp', 'tls']),
    host: z.string(),
    port: z.number().int().min(0).max(65535),
    advertiseHost: z.string().optional(),
    tls: z.custom<SipTlsOptions>().optional(),
  }),
  /** How long the bot has to signal before CXone ends the call (ms). Default 60000. */
  timeoutMs: z.number().positive().optional(),
  /** How long the bot leg may stay up after ONSIGNAL before it is flagged (ms). Default 5000. */
  dropWaitMs: z.number().nonnegative().optional(),
  /** Delay before the emulated agent answers REQAGENT (ms). Default 0. */
  agentAnswerDelayMs: z.number().nonnegative().optional(),
  /** The CXone script topology over the profile's (issue 14): which id the header holds, which script waits in ONSIGNAL. */
  topology: z.custom<Partial<ScriptTopology>>().optional(),
  /** How long the contacts stay active after the leg ended, for late Signals (ms). Default 500. */
  settleMs: z.number().nonnegative().optional(),
  /** The status the emulated API answers a Signal with (default 202: a choice, assumed here; NICE documents none, issue 14). */
  signalStatus: z.number().int().min(100).max(599).optional(),
  /** Faults the emulator injects (e.g. `no-leg-drop`). */
  faults: faultsOption.optional(),
  /** Called once the API and the SIP endpoint are up, just before the INVITE goes out. */
  onReady: callback<(ready: EmulateReady) => void>().optional(),
  /** Progress lines: each token request and Signal as it arrives. */
  onProgress: callback<(line: string) => void>().optional(),
});

/** Options of an emulate run as given. */
export type EmulateRunOptions = z.input<typeof emulateOptionsSchema>;

/** What the bot must be configured with, handed out before the call. Holds secrets: print, never persist. */
export interface EmulateReady {
  /** API base (`api_endpoint`) and auth host of the emulated CXone, e.g. `https://10.0.0.5:8443`. */
  apiBase: string;
  accessKeyTokenUrl: string;
  /** OpenID issuer (discovery at `{issuer}/.well-known/openid-configuration`). */
  oauthIssuer: string;
  /** The Signal URL the profile expects, with `{contactId}`. */
  signalUrlTemplate: string;
  credentials: EmulatorCredentials;
  /** Which credentials were generated here (to be printed for the bot's config). */
  generated: { accessKey: boolean; oauthClient: boolean };
  /** HTTPS certificate (PEM) and its SHA-256 fingerprint; null over HTTP. */
  certPem: string | null;
  certFingerprint256: string | null;
  /** The CXone side's SIP listener URI. */
  sipListener: string;
  masterId: string;
  childId: string;
  header: { name: string; value: string };
}

const WILDCARD = new Set(['0.0.0.0', '::', '']);

/**
 * Runs one emulated CXone call against a real bot.
 * @returns the run report (`kind: 'emulate'`); `ok` only when every check passed.
 * @throws Error for an unknown profile, a target that is not a SIP URI, or a listener that cannot
 *   be opened (EADDRINUSE…); everything the bot does wrong is in the report instead.
 */
export async function runEmulateOn(ctx: RunContext, opts: z.output<typeof emulateOptionsSchema>): Promise<RunReport> {
  const profile = ctx.profile(opts.profile);
  if (!/^sips?:[^\s]+$/i.test(opts.sipTarget)) throw new Error(`--sip-target "${opts.sipTarget}": expected a SIP URI such as sip:+15550100@bot.example.com:5060`);
  const progress = opts.onProgress ?? (() => {});
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const faults = opts.faults ?? [];
  const runId = ctx.createRun({
    kind: 'emulate',
    profile: profile.id,
    transport: opts.sip.transport,
    options: { sipTarget: opts.sipTarget, apiListen: opts.apiListen, https: opts.https ?? false, faults: faults.map(formatFault), timeoutMs },
  });
  const c = opts.credentials ?? {};
  const credentials: EmulatorCredentials = {
    accessKeyId: c.accessKeyId ?? `emu-${randomBytes(6).toString('hex')}`,
    accessKeySecret: c.accessKeySecret ?? `${randomBytes(30).toString('base64')}====`.slice(0, 44),
    clientId: c.clientId ?? `emu-app@lab-${randomBytes(3).toString('hex')}`,
    clientSecret: c.clientSecret ?? randomBytes(24).toString('base64url'),
  };
  let api: CxoneEmulatorApi | null = null;
  let capture: HttpExchangeCapture | null = null;
  try {
    const endpoint = await ctx.startEndpoint({ ...opts.sip, user: 'cxone' });
    const publicHost = opts.apiListen.advertiseHost ?? (WILDCARD.has(opts.apiListen.host) ? endpoint.listener.host : opts.apiListen.host);
    const cert = opts.https
      ? await generateSelfSigned({ commonName: publicHost, altNames: [...new Set([publicHost, 'localhost', '127.0.0.1', hostname()])], days: 30 })
      : null;
    const scheme = cert ? 'https' : 'http';
    const fixedBase = opts.apiListen.port > 0 ? `${scheme}://${hostPort(publicHost, opts.apiListen.port)}` : undefined;
    api = await CxoneEmulatorApi.start({
      host: opts.apiListen.host,
      port: opts.apiListen.port,
      accessKeys: [{ accessKeyId: credentials.accessKeyId, accessKeySecret: credentials.accessKeySecret }],
      oauthClients: [{ clientId: credentials.clientId, clientSecret: credentials.clientSecret }],
      faults,
      ...(opts.signalStatus !== undefined ? { signalStatus: opts.signalStatus } : {}),
      ...(cert ? { tls: { certPem: cert.certPem, keyPem: cert.keyPem } } : {}),
      ...(fixedBase ? { apiEndpoint: fixedBase } : {}),
    });
    const apiPort = Number(new URL(api.baseUrl).port);
    const apiBase = fixedBase ?? `${scheme}://${hostPort(publicHost, apiPort)}`;
    capture = new HttpExchangeCapture(apiPort).start();
    const signals: EmulatorSignalEvent[] = [];
    api.on('token', (e) => {
      progress(`token request (${e.flow}): ${e.status}${e.ok ? '' : ' refused'}`);
    });
    api.on('signal', (e) => {
      signals.push(e);
      progress(`Signal to ${e.contactId} ${JSON.stringify(e.params)}: ${e.status}, ${e.outcome}`);
    });
    api.on('fault', (e) => progress(`fault ${e.fault} on ${e.route}: ${e.action}`));
    const dropWaitMs = opts.dropWaitMs ?? 5000;
    const script = new ChildScript({
      endpoint,
      api,
      profile,
      target: opts.sipTarget,
      recorder: ctx.recorder,
      runId,
      agentAnswerDelayMs: opts.agentAnswerDelayMs,
      topology: opts.topology,
      maxCallMs: timeoutMs,
      callerPrompt: opts.callerPrompt === undefined ? optionalPromptPath(CALLER_PROMPT) : opts.callerPrompt,
      dropWaitMs,
      settleMs: opts.settleMs ?? 500,
      abort: ctx.signal,
    });
    opts.onReady?.({
      apiBase,
      accessKeyTokenUrl: `${apiBase}/authentication/v1/token/access-key`,
      oauthIssuer: apiBase,
      signalUrlTemplate: `${apiBase}/${profile.pathStyle}/services/${profile.apiVersion}/interactions/{contactId}/signal`,
      credentials,
      generated: { accessKey: c.accessKeyId === undefined, oauthClient: c.clientId === undefined },
      certPem: cert?.certPem ?? null,
      certFingerprint256: cert?.fingerprint256 ?? null,
      sipListener: endpoint.listener.uri,
      masterId: script.masterId,
      childId: script.childId,
      header: script.header,
    });
    const outcome = await script.run();
    const call = script.call;
    const tracked = script.tracked;
    if (!call || !tracked) throw new Error(`the call was not placed: ${outcome.outcome}`);
    const inviteOut = call.messages.find((m) => m.direction === 'out' && m.method === 'INVITE' && m.status === undefined);
    const seen = describeRequests(capture.exchanges, signals, inviteOut?.monoMs ?? 0);
    for (const rec of seen.signalRecords) tracked.addSignal({ ...rec, callRef: call.id } satisfies SignalRecord);
    const answered = call.messages.some((m) => m.direction === 'in' && m.method === 'INVITE' && m.status !== undefined && m.status >= 200 && m.status < 300);
    const checks: CheckResult[] = emulateChecks({
      profile,
      outcome,
      answered,
      endDetail: call.end ? `${call.end.by === 'remote' ? 'the bot' : call.end.by === 'local' ? 'CXone' : 'nobody'}: ${call.end.reason}` : `state ${call.state}`,
      tokens: seen.tokens,
      signals: seen.signals,
      otherRequests: seen.others,
      timeoutMs,
    });
    // Seed facts about the PLACECALL (TLS trunk, number), as warnings (issue 14).
    checks.push(...placeCallRuleChecks(profile, { requestUri: opts.sipTarget, transport: opts.sip.transport }));
    const refer = referCheck(call.messages);
    if (refer) checks.push(refer);
    tracked.addChecks(checks);
    const report = buildEmulateCallReport({
      tracked,
      profile,
      outcome,
      checks,
      requests: seen.requests,
      apiBase,
      certFingerprint256: cert?.fingerprint256 ?? null,
      faults: faults.map(formatFault),
      inviteMonoMs: inviteOut?.monoMs ?? 0,
      latency: tracked.latency(),
    });
    ctx.onCallReport(report);
    const ok = allChecksPass(checks);
    ctx.finishRun(runId, ok);
    return { ok, runId, kind: 'emulate', profile: profile.id, transport: opts.sip.transport, db: ctx.store?.file ?? null, calls: [report] };
  } finally {
    capture?.stop();
    await api?.stop();
  }
}


/** The `emulate` kind. */
export const emulateRun = defineRun({ kind: 'emulate', options: emulateOptionsSchema, run: runEmulateOn });
