/**
 * The app as the bot for a real CXone or any SIP peer (design.md §2, mode 1; `lab answer`):
 * listens, answers each INVITE, verifies the contact id, signals that contact id, reports, and
 * stops after N calls.
 */
import { randomUUID } from 'node:crypto';
import type { ContactIdVerdict, SignalParams, SipHeader } from '../../shared/types';
import { CxoneClient } from '../cxone/client';
import { defaultAuthBase } from '../cxone/urls';
import type { CxoneEmulatorApi } from '../emulator/api-server';
import { startEmbeddedCxone, type EmbeddedCxone } from '../emulator/embedded';
import { HistoryStore } from '../history/store';
import { getProfile } from '../profiles';
import { SipEndpoint } from '../sip/endpoint';
import type { SipTlsOptions, TlsListenerCertificate } from '../sip/tls-setup';
import { BotAgent } from './bot-agent';
import { buildCallReport } from './call-report';
import { CallRecorder, type RecorderLog } from './call-recorder';
import { allChecksPass, type CallReport, type RunReport } from './run-report';

/**
 * Where the CXone API is: the in-process emulator, or a real (or emulated, remote) CXone with an
 * access key, by the access-key endpoint (cxone-reference.md §1a) or a registered app's OAuth
 * password grant (§1b), and the API host given by hand or discovered from the token (§1c).
 */
export type CxoneApiTarget =
  | { kind: 'embedded' }
  | {
      kind: 'remote';
      /** api_endpoint by hand, e.g. https://api-na1.niceincontact.com; absent: discovered from the token's tenant id. */
      apiBase?: string;
      /** Host of the access-key token endpoint, e.g. https://na1.nice-incontact.com; default from apiBase ({@link defaultAuthBase}). */
      authBase?: string;
      /** OAuth password grant of a registered app instead of the access-key endpoint. */
      oauth?: { issuer: string; clientId: string; clientSecret: string };
      credentials: { accessKeyId: string; accessKeySecret: string };
      /** Extra trusted CA (PEM) for an https API, e.g. an emulator's self-signed certificate. */
      caPem?: string;
    };

/**
 * How long `lab answer` keeps its listener after the last call (ms): a grace period like RFC 3261's
 * Timer J (shortened), so a UDP peer's retransmitted BYE is still answered and a TCP peer closes its
 * own connection first (closing it 300 ms after the BYE's 200 made SIPp fail the call,
 * sip-in-node.md §3.5). Not a wait for an event that could be awaited instead: the peer sends none.
 */
export const ANSWER_LINGER_MS = 1000;

/** Options of {@link runAnswer}. */
export interface AnswerOptions {
  /**
   * Where to listen; `advertiseHost` is the address written in Via/Contact/SDP (default: see
   * SipEndpoint); `tls` the certificate and trusted CAs of transport `tls`.
   */
  listen: { transport: 'udp' | 'tcp' | 'tls'; host: string; port: number; advertiseHost?: string; tls?: SipTlsOptions };
  profile: string;
  cxoneApi: CxoneApiTarget;
  /** p1..p9 to send; default the profile's. */
  signalParams?: SignalParams;
  /** Calls to answer before returning. */
  calls: number;
  dbFile?: string | null;
  /** How long CXone has to drop the leg after the Signal (ms). Default 5000. */
  dropWaitMs?: number;
  /** The bot's greeting after answering (WAV path or 8 kHz samples); null: none. Default resources/prompts/greeting.wav. */
  greeting?: string | Int16Array | null;
  /** How long the greeting plays before the Signal (ms), or 'end' for all of it. Default: BotAgent's. */
  greetingBeforeSignalMs?: number | 'end';
  /** Give up waiting for calls after this long (ms). Default: wait forever. */
  timeoutMs?: number;
  /**
   * Called once the endpoint listens (with its address), so a caller can point a peer at it; over
   * TLS with the certificate the listener presents (for the peer's CA file).
   */
  onListening?: (uri: string, tlsCertificate: TlsListenerCertificate | null) => void;
  /** How long to keep the listener open after the last call, for the peer's last messages (ms). Default 1000. */
  lingerMs?: number;
  /** Called when an INVITE has been received and its contact id verified (before the Signal). */
  onInvite?: (invite: { callId: string; headers: SipHeader[]; requestUri: string; verdict: ContactIdVerdict }) => void;
  /** Called when each call is done. */
  onCall?: (report: CallReport) => void;
  /** Stops waiting for calls (e.g. Ctrl-C): the report then holds the calls done so far. */
  signal?: AbortSignal;
  log?: RecorderLog;
}

/**
 * Answers `calls` calls and reports them.
 * @returns the run report (`ok` only when every check of every call passed and `calls` calls came).
 * @throws Error when the listener cannot be opened or the profile is unknown.
 */
export async function runAnswer(opts: AnswerOptions): Promise<RunReport> {
  const profile = getProfile(opts.profile);
  const log = opts.log ?? (() => {});
  const store = opts.dbFile ? HistoryStore.open(opts.dbFile) : null;
  const runId = store
    ? store.createRun({
        kind: 'answer',
        profile: profile.id,
        transport: opts.listen.transport,
        // Only where the TLS material came from: a key given as PEM text is a secret.
        options: { listen: { ...opts.listen, tls: tlsSummary(opts.listen.tls) }, cxoneApi: opts.cxoneApi.kind === 'embedded' ? 'embedded' : (opts.cxoneApi.apiBase ?? 'discovered') },
        startedWallMs: Date.now(),
      })
    : randomUUID();
  let embedded: EmbeddedCxone | null = null;
  let api: CxoneEmulatorApi | null = null;
  let endpoint: SipEndpoint | null = null;
  try {
    let client: CxoneClient;
    if (opts.cxoneApi.kind === 'embedded') {
      embedded = await startEmbeddedCxone();
      api = embedded.api;
      client = embedded.clientFor(profile);
    } else {
      const t = opts.cxoneApi;
      const authBase = t.authBase ?? (t.apiBase ? defaultAuthBase(t.apiBase) : undefined);
      client = new CxoneClient({
        ...(authBase ? { authBase } : {}),
        ...(t.apiBase ? { apiBase: t.apiBase } : {}),
        ...(t.oauth ? { oauth: t.oauth } : {}),
        ...(t.caPem ? { caPem: t.caPem } : {}),
        apiVersion: profile.apiVersion,
        pathStyle: profile.pathStyle,
        credentials: t.credentials,
      });
    }
    endpoint = await SipEndpoint.start({ ...opts.listen, user: 'bot', log });
    opts.onListening?.(endpoint.listener.uri, endpoint.tlsCertificate);
    const recorder = new CallRecorder(store, null, log);
    const bot = new BotAgent({
      endpoint,
      profile,
      recorder,
      runId,
      client,
      autoSignal: true,
      signalParams: opts.signalParams,
      dropWaitMs: opts.dropWaitMs,
      endLegForEmulatedCxone: opts.cxoneApi.kind === 'embedded',
      greeting: opts.greeting,
      greetingBeforeSignalMs: opts.greetingBeforeSignalMs,
      log,
    });
    const emulator = api;
    // The calls being answered are the active contacts of the embedded emulator; a SIP peer may
    // reuse one contact id for many calls, so a contact ends with the last of its calls.
    const liveCalls = new Map<string, number>();
    if (emulator) {
      bot.on('call-start', (t) => {
        const id = t.verdict?.value;
        if (!id) return;
        liveCalls.set(id, (liveCalls.get(id) ?? 0) + 1);
        if (liveCalls.get(id) === 1) emulator.contacts.add({ contactId: id, role: 'master', onSignal: () => {} });
      });
    }
    const reports: CallReport[] = [];
    bot.on('call-start', (t) => {
      if (t.verdict) {
        opts.onInvite?.({
          callId: t.call.callId,
          headers: t.call.invite?.parsed.headers ?? [],
          requestUri: t.call.originalRequestUri ?? t.call.invite?.parsed.requestUri ?? '',
          verdict: t.verdict,
        });
      }
    });
    await new Promise<void>((resolve) => {
      const timer = opts.timeoutMs ? setTimeout(resolve, opts.timeoutMs) : null;
      if (opts.signal?.aborted) resolve();
      opts.signal?.addEventListener('abort', () => resolve(), { once: true });
      bot.on('call-done', (result) => {
        const report = buildCallReport(result, profile);
        reports.push(report);
        opts.onCall?.(report);
        const id = result.tracked.verdict?.value;
        if (emulator && id) {
          const left = (liveCalls.get(id) ?? 1) - 1;
          liveCalls.set(id, left);
          if (left <= 0) emulator.contacts.end(id);
        }
        if (reports.length >= opts.calls) {
          if (timer) clearTimeout(timer);
          resolve();
        }
      });
    });
    // Let the peer finish the last transaction and close its own connection: closing a TCP
    // connection right after the BYE's 200 makes some peers (SIPp) fail the call
    // (sip-in-node.md §3.5), and a UDP peer may still retransmit its BYE.
    await new Promise((r) => setTimeout(r, opts.lingerMs ?? ANSWER_LINGER_MS));
    const ok = reports.length >= opts.calls && reports.every((r) => allChecksPass(r.checks));
    store?.finishRun(runId, { ok, endedWallMs: Date.now() });
    return { ok, runId, kind: 'answer', profile: profile.id, transport: opts.listen.transport, db: store?.file ?? null, calls: reports };
  } finally {
    await endpoint?.stop();
    await embedded?.stop();
    store?.close();
  }
}

/** The TLS options without key material, for the run's stored options. */
function tlsSummary(tls: SipTlsOptions | undefined): Record<string, unknown> | undefined {
  if (!tls) return undefined;
  return { certFile: tls.certFile, selfSigned: tls.selfSigned, caFile: tls.caFile, serverName: tls.serverName };
}
