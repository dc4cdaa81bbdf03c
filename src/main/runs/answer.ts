/**
 * The app as the bot for a real CXone or any SIP peer (design.md §2, mode 1; `lab answer`):
 * listens, answers each INVITE, verifies the contact id, signals that contact id, reports, and
 * stops after N calls (or when the run is aborted: Ctrl-C).
 */
import { z } from 'zod';
import type { ContactIdVerdict, SipHeader } from '../../shared/types';
import { CxoneClient } from '../cxone/client';
import { defaultAuthBase } from '../cxone/urls';
import type { CxoneEmulatorApi } from '../emulator/api-server';
import type { SipTlsOptions, TlsListenerCertificate } from '../sip/tls-setup';
import { BotAgent } from '../scenarios/bot-agent';
import { buildCallReport } from '../scenarios/call-report';
import { allChecksPass, type CallReport, type RunReport } from '../scenarios/run-report';
import { audioOption, callback, greetingBeforeOption, signalParamsOption } from './schemas';
import { defineRun, type RunContext } from './types';

/**
 * How long `lab answer` keeps its listener after the last call (ms): a grace period like RFC 3261's
 * Timer J (shortened), so a UDP peer's retransmitted BYE is still answered and a TCP peer closes its
 * own connection first (closing it 300 ms after the BYE's 200 made SIPp fail the call,
 * sip-in-node.md §3.5). Not a wait for an event that could be awaited instead: the peer sends none.
 */
export const ANSWER_LINGER_MS = 1000;

/**
 * Where the CXone API is: the in-process emulator, or a real (or emulated, remote) CXone with an
 * access key, by the access-key endpoint (cxone-reference.md §1a) or a registered app's OAuth
 * password grant (§1b), and the API host given by hand or discovered from the token (§1c).
 */
export const cxoneApiTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('embedded') }),
  z.object({
    kind: z.literal('remote'),
    /** api_endpoint by hand, e.g. https://api-na1.niceincontact.com; absent: discovered from the token's tenant id. */
    apiBase: z.string().optional(),
    /** Host of the access-key token endpoint; default from apiBase ({@link defaultAuthBase}). */
    authBase: z.string().optional(),
    /** OAuth password grant of a registered app instead of the access-key endpoint. */
    oauth: z
      .object({
        issuer: z.string(),
        clientId: z.string(),
        clientSecret: z.string(),
        /** Client authentication at the token endpoint (RFC 6749 §2.3.1); default auto (from discovery). Issue 14. */
        authMethod: z.enum(['client_secret_basic', 'client_secret_post', 'auto']).optional(),
      })
      .optional(),
    credentials: z.object({ accessKeyId: z.string(), accessKeySecret: z.string() }),
    /** Extra trusted CA (PEM) for an https API. */
    caPem: z.string().optional(),
  }),
]);

/** See {@link cxoneApiTargetSchema}. */
export type CxoneApiTarget = z.infer<typeof cxoneApiTargetSchema>;

/** What the answer run tells its caller as calls come (the CLI's live log). */
type InviteSeen = { callId: string; headers: SipHeader[]; requestUri: string; verdict: ContactIdVerdict };

/** Options of an answer run (the old `AnswerOptions` minus `dbFile`/`log`/`signal`, which the runtime owns). */
export const answerOptionsSchema = z.object({
  /** Where to listen; `advertiseHost` is written in Via/Contact/SDP; `tls` the certificate of transport `tls`. */
  listen: z.object({
    transport: z.enum(['udp', 'tcp', 'tls']),
    host: z.string(),
    port: z.number().int().min(0).max(65535),
    advertiseHost: z.string().optional(),
    tls: z.custom<SipTlsOptions>().optional(),
  }),
  profile: z.string().min(1),
  cxoneApi: cxoneApiTargetSchema,
  /** p1..p9 to send; default the profile's. */
  signalParams: signalParamsOption.optional(),
  /** Calls to answer before returning. */
  calls: z.number().int().min(1),
  /** How long CXone has to drop the leg after the Signal (ms). Default 5000. */
  dropWaitMs: z.number().nonnegative().optional(),
  /** The bot's greeting (WAV path or 8 kHz samples); null: none. Default resources/prompts/greeting.wav. */
  greeting: audioOption.optional(),
  greetingBeforeSignalMs: greetingBeforeOption.optional(),
  /** Give up waiting for calls after this long (ms). Default: wait until aborted. */
  timeoutMs: z.number().positive().optional(),
  /** How long to keep the listener open after the last call (ms). Default {@link ANSWER_LINGER_MS}. */
  lingerMs: z.number().nonnegative().optional(),
  /**
   * false: keep no per-call report in memory (the report's `calls` is empty; history and the
   * `run/call` events still have every call), for runs of thousands of calls. Default true.
   */
  keepCallReports: z.boolean().optional(),
  /** Called once the endpoint listens (its URI, and over TLS the certificate it presents). */
  onListening: callback<(uri: string, tlsCertificate: TlsListenerCertificate | null) => void>().optional(),
  /** Called when an INVITE has been received and its contact id verified (before the Signal). */
  onInvite: callback<(invite: InviteSeen) => void>().optional(),
  /** Called when each call is done (also announced as `run/call`). */
  onCall: callback<(report: CallReport) => void>().optional(),
});

/** Options of an answer run as given. */
export type AnswerRunOptions = z.input<typeof answerOptionsSchema>;

/** The answer run's report: the RunReport plus the live-map sizes at its end (for bench/soak.mts). */
export type AnswerReport = RunReport & { liveMaps: Record<string, number> };

function clientFor(ctx: RunContext, t: Extract<CxoneApiTarget, { kind: 'remote' }>, profile: ReturnType<RunContext['profile']>): CxoneClient {
  const authBase = t.authBase ?? (t.apiBase ? defaultAuthBase(t.apiBase) : undefined);
  return new CxoneClient({
    ...(authBase ? { authBase } : {}),
    ...(t.apiBase ? { apiBase: t.apiBase } : {}),
    ...(t.oauth ? { oauth: t.oauth } : {}),
    ...(t.caPem ? { caPem: t.caPem } : {}),
    apiVersion: profile.apiVersion,
    pathStyle: profile.pathStyle,
    credentials: t.credentials,
  });
}

/**
 * Answers `calls` calls and reports them.
 * @returns the run report (`ok` only when every check of every call passed and `calls` calls came).
 * @throws Error when the listener cannot be opened; LabError `usage` when the profile is unknown.
 */
export async function runAnswerOn(ctx: RunContext, opts: z.output<typeof answerOptionsSchema>): Promise<AnswerReport> {
  const profile = ctx.profile(opts.profile);
  const runId = ctx.createRun({
    kind: 'answer',
    profile: profile.id,
    transport: opts.listen.transport,
    // Only where the TLS material came from: a key given as PEM text is a secret.
    options: { listen: { ...opts.listen, tls: tlsSummary(opts.listen.tls) }, cxoneApi: opts.cxoneApi.kind === 'embedded' ? 'embedded' : (opts.cxoneApi.apiBase ?? 'discovered') },
  });
  let api: CxoneEmulatorApi | null = null;
  let client: CxoneClient;
  if (opts.cxoneApi.kind === 'embedded') {
    const embedded = await ctx.startCxone();
    api = embedded.api;
    client = embedded.clientFor(profile);
  } else client = clientFor(ctx, opts.cxoneApi, profile);
  const endpoint = await ctx.startEndpoint({ ...opts.listen, user: 'bot' });
  opts.onListening?.(endpoint.listener.uri, endpoint.tlsCertificate);
  const bot = new BotAgent({
    endpoint,
    profile,
    recorder: ctx.recorder,
    runId,
    client,
    autoSignal: true,
    signalParams: opts.signalParams,
    dropWaitMs: opts.dropWaitMs,
    endLegForEmulatedCxone: opts.cxoneApi.kind === 'embedded',
    greeting: opts.greeting,
    greetingBeforeSignalMs: opts.greetingBeforeSignalMs,
    log: ctx.log,
  });
  // The calls being answered are the active contacts of the embedded emulator; a SIP peer may
  // reuse one contact id for many calls, so a contact ends with the last of its calls.
  const liveContacts = new Map<string, number>();
  ctx.watchLiveMap('answer.liveContacts', () => liveContacts.size);
  ctx.watchLiveMap('bot.live', () => Object.values(bot.liveMapSizes()).reduce((a, b) => a + b, 0));
  const emulator = api;
  bot.on('call-start', (t) => {
    const id = t.verdict?.value;
    if (emulator && id) {
      liveContacts.set(id, (liveContacts.get(id) ?? 0) + 1);
      if (liveContacts.get(id) === 1) emulator.contacts.add({ contactId: id, role: 'master', onSignal: () => {} });
    }
    if (t.verdict) {
      opts.onInvite?.({
        callId: t.call.callId,
        headers: t.call.invite?.parsed.headers ?? [],
        requestUri: t.call.originalRequestUri ?? t.call.invite?.parsed.requestUri ?? '',
        verdict: t.verdict,
      });
    }
  });
  const reports: CallReport[] = [];
  let okSoFar = true;
  let count = 0;
  await new Promise<void>((resolve) => {
    const timer = opts.timeoutMs ? setTimeout(resolve, opts.timeoutMs) : null;
    if (ctx.signal.aborted) resolve();
    ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    bot.on('call-done', (result) => {
      const report = buildCallReport(result, profile);
      count++;
      okSoFar &&= allChecksPass(report.checks);
      if (opts.keepCallReports !== false) reports.push(report);
      opts.onCall?.(report);
      ctx.onCallReport(report);
      const id = result.tracked.verdict?.value;
      if (emulator && id) {
        const left = (liveContacts.get(id) ?? 1) - 1;
        if (left > 0) liveContacts.set(id, left);
        else {
          liveContacts.delete(id);
          emulator.contacts.end(id);
        }
      }
      if (count >= opts.calls) {
        if (timer) clearTimeout(timer);
        resolve();
      }
    });
  });
  // Let the peer finish the last transaction and close its own connection: closing a TCP
  // connection right after the BYE's 200 makes some peers (SIPp) fail the call
  // (sip-in-node.md §3.5), and a UDP peer may still retransmit its BYE.
  await linger(opts.lingerMs ?? ANSWER_LINGER_MS, ctx.signal);
  const ok = count >= opts.calls && okSoFar;
  ctx.finishRun(runId, ok);
  const liveMaps = ctx.liveMapSizes();
  return { ok, runId, kind: 'answer', profile: profile.id, transport: opts.listen.transport, db: ctx.store?.file ?? null, calls: reports, liveMaps };
}

/** The TLS options without key material, for the run's stored options. */
function tlsSummary(tls: SipTlsOptions | undefined): Record<string, unknown> | undefined {
  if (!tls) return undefined;
  return { certFile: tls.certFile, selfSigned: tls.selfSigned, caFile: tls.caFile, serverName: tls.serverName };
}

/** The `answer` kind. */
export const answerRun = defineRun({ kind: 'answer', options: answerOptionsSchema, run: runAnswerOn });

/**
 * Waits `ms` with the listener open after the last call. An interrupt (Ctrl-C, SIGTERM), before or
 * during it, cuts what is left to at most {@link ANSWER_LINGER_MS}: enough for the last BYE's 200 to
 * leave, not the long `--linger` of a soak (a user who stops the run wants it to end).
 */
function linger(ms: number, signal: AbortSignal): Promise<void> {
  const short = Math.min(ms, ANSWER_LINGER_MS);
  if (signal.aborted) return new Promise((r) => setTimeout(r, short));
  return new Promise<void>((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      setTimeout(resolve, short);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
