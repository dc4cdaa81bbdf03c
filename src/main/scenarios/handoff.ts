/**
 * The embedded default run (design.md §2, mode 3): the CXone emulator plays the child script and
 * calls the built-in reference bot on loopback; the bot extracts the contact id, signals the
 * emulator's API, and the leg is dropped where the profile says. Needs no tenant and no network.
 */
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { CheckResult, SignalParams, SipHeader } from '../../shared/types';
import { ChildScript, type ScriptOutcome } from '../emulator/child-script';
import { startEmbeddedCxone } from '../emulator/embedded';
import { formatFault, type EmulatorFault } from '../emulator/faults';
import { HistoryStore } from '../history/store';
import { getProfile } from '../profiles';
import { SipEndpoint } from '../sip/endpoint';
import { BotAgent, type BotCallResult } from './bot-agent';
import { buildCallReport } from './call-report';
import { CallRecorder, type RecorderLog } from './call-recorder';
import { mediaMarks, sipMarks } from './latency';
import { allChecksPass, type RunReport } from './run-report';
import { RtpCapture } from '../pcap/rtp-capture';
import { CALLER_PROMPT, optionalPromptPath } from '../resources';

/** Options of {@link runHandoff}. */
export interface HandoffOptions {
  /** Profile id: kore, synthflow, watson, polyai, custom. */
  profile: string;
  transport: 'udp' | 'tcp';
  /** SQLite file to keep the run in; null or undefined keeps nothing. */
  dbFile?: string | null;
  /** Loopback address to use. Default 127.0.0.1. */
  host?: string;
  /** Headers CXone puts instead of the profile's (to reproduce a broken SIPPUTHEADER). */
  headersOverride?: SipHeader[];
  /** p1..p9 the bot sends instead of the profile's default. */
  signalParams?: SignalParams;
  /** How long CXone has to drop the leg after the Signal (ms). Default 5000. */
  dropWaitMs?: number;
  /** Faults the emulated CXone API injects (faults.ts), e.g. a 500 to the Signal; kept in the run's options. */
  faults?: EmulatorFault[];
  /** The reference bot's greeting (WAV path or 8 kHz samples); null: none. Default resources/prompts/greeting.wav. */
  greeting?: string | Int16Array | null;
  /** How long the greeting plays before the bot signals (ms), or 'end' for all of it. Default: BotAgent's. */
  greetingBeforeSignalMs?: number | 'end';
  /** Where the CXone side records what the bot sent (one WAV per call); undefined: no recording. */
  recordDir?: string;
  /** What the emulated caller says once answered (WAV path or 8 kHz samples); null: silence. Default resources/prompts/caller.wav. */
  callerPrompt?: string | Int16Array | null;
  log?: RecorderLog;
}

/** The pseudo number the emulated PLACECALL dials (an arbitrary Request-URI user the bot must accept). */
export const EMULATED_PSEUDO_NUMBER = '15550100';

/**
 * Runs one emulated handoff end to end.
 * @returns the run's report; `ok` is true only when every check passed.
 * @throws Error for an unknown profile or when a listener cannot be opened; check failures are in the report.
 */
export async function runHandoff(opts: HandoffOptions): Promise<RunReport> {
  const profile = getProfile(opts.profile);
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? (() => {});
  const store = opts.dbFile ? HistoryStore.open(opts.dbFile) : null;
  const runId = store
    ? store.createRun({ kind: 'handoff', profile: profile.id, transport: opts.transport, options: { host, ...(opts.faults?.length ? { faults: opts.faults.map(formatFault) } : {}) }, startedWallMs: Date.now() })
    : randomUUID();
  const cxone = await startEmbeddedCxone(host);
  const api = cxone.api;
  if (opts.faults?.length) api.setFaults(opts.faults);
  const endpoints: SipEndpoint[] = [];
  try {
    const botEp = await SipEndpoint.start({ transport: opts.transport, host, port: 0, user: 'bot', log });
    endpoints.push(botEp);
    // The CXone side hears the bot: its VAD stamps the greeting's first voice (time to greeting).
    const rtpCapture = new RtpCapture();
    const cxoneEp = await SipEndpoint.start({
      transport: opts.transport,
      host,
      port: 0,
      user: 'cxone',
      log,
      ...(opts.recordDir ? { media: { recordDir: opts.recordDir, onRtpPacket: rtpCapture.onRtpPacket } } : {}),
    });
    endpoints.push(cxoneEp);
    const recorder = new CallRecorder(store, null, log, rtpCapture);
    const client = cxone.clientFor(profile);
    const dropWaitMs = opts.dropWaitMs ?? 5000;
    const bot = new BotAgent({
      endpoint: botEp,
      profile,
      recorder,
      runId,
      client,
      autoSignal: true,
      signalParams: opts.signalParams,
      dropWaitMs,
      greeting: opts.greeting,
      greetingBeforeSignalMs: opts.greetingBeforeSignalMs,
      log,
    });
    const botDone = once(bot, 'call-done') as Promise<[BotCallResult]>;
    const script = new ChildScript({
      endpoint: cxoneEp,
      api,
      profile,
      target: `sip:${EMULATED_PSEUDO_NUMBER}@${host}:${botEp.listener.port};transport=${opts.transport}`,
      recorder,
      runId,
      headersOverride: opts.headersOverride,
      maxCallMs: dropWaitMs + 30_000,
      callerPrompt: opts.callerPrompt === undefined ? optionalPromptPath(CALLER_PROMPT) : opts.callerPrompt,
    });
    const outcome = await script.run();
    let timer: NodeJS.Timeout | undefined;
    const [result] = await Promise.race([
      botDone,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('the reference bot never answered the call')), 10_000);
      }),
    ])
      .catch((e: Error) => {
        throw new Error(`${e.message} (CXone side: ${outcome.outcome})`);
      })
      .finally(() => clearTimeout(timer));
    const cxoneChecks = cxoneSideChecks(outcome, result, script.header);
    result.tracked.addChecks(cxoneChecks);
    // CXone's view of the bot leg: its SIP marks, and time to first RTP / to the greeting's first voice.
    const cxoneLegLatency = script.call
      ? { ...sipMarks(script.call.messages, 'uac'), ...mediaMarks(script.call.messages, 'uac', script.call.media) }
      : {};
    const call = buildCallReport(result, profile, { outcome, checks: cxoneChecks, cxoneLegLatency });
    const ok = allChecksPass(call.checks);
    store?.finishRun(runId, { ok, endedWallMs: Date.now() });
    return { ok, runId, kind: 'handoff', profile: profile.id, transport: opts.transport, db: store?.file ?? null, calls: [call] };
  } finally {
    await Promise.allSettled(endpoints.map((e) => e.stop()));
    await cxone.stop();
    store?.close();
  }
}

/**
 * The checks only the emulated CXone can make: the bot read the id CXone put, signalled the
 * contact whose script owns ONSIGNAL, with the parameters ONSIGNAL then saw.
 */
export function cxoneSideChecks(outcome: ScriptOutcome, result: BotCallResult, header: SipHeader): CheckResult[] {
  const extracted = result.tracked.verdict?.value ?? null;
  const checks: CheckResult[] = [];
  checks.push({
    name: 'contact-id-matches',
    ok: extracted === header.value,
    detail: `CXone put ${header.name}: ${header.value}; the bot read ${extracted ?? 'nothing'}`,
  });
  const owner = outcome.onSignal !== null;
  checks.push({
    name: 'onsignal-fired',
    ok: owner && sameParams(outcome.onSignal ?? {}, result.signal?.params ?? {}),
    detail: owner
      ? `ONSIGNAL got ${formatParams(outcome.onSignal ?? {})}; ${outcome.outcome}`
      : [outcome.outcome, ...outcome.notes].join('; '),
  });
  return checks;
}

function sameParams(a: SignalParams, b: SignalParams): boolean {
  return formatParams(a) === formatParams(b);
}

function formatParams(p: SignalParams): string {
  return Object.entries(p)
    .filter(([, v]) => v !== undefined && v !== '')
    .sort(([x], [y]) => x.localeCompare(y))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}
