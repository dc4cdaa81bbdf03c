/**
 * The embedded default run (design.md §2, mode 3; `lab run handoff`, the monitor's run): the CXone
 * emulator plays the child script and calls the built-in reference bot on loopback; the bot
 * extracts the contact id, signals the emulator's API, and the leg is dropped where the profile
 * says. Needs no tenant and no network.
 */
import { once } from 'node:events';
import { z } from 'zod';
import { ChildScript } from '../emulator/child-script';
import { formatFault } from '../emulator/faults';
import { BotAgent, type BotCallResult } from '../scenarios/bot-agent';
import { buildCallReport } from '../scenarios/call-report';
import { cxoneSideChecks, EMULATED_PSEUDO_NUMBER } from './handoff-checks';
import { mediaMarks, sipMarks } from '../scenarios/latency';
import { allChecksPass, type RunReport } from '../scenarios/run-report';
import { CALLER_PROMPT, optionalPromptPath } from '../resources';
import { topologyOverrideSchema } from '../profiles/schema';
import { audioOption, faultsOption, greetingBeforeOption, loopbackTransport, signalParamsOption, sipHeadersOption } from './schemas';
import { defineRun, type RunContext } from './types';

/** Options of a handoff run (the old `HandoffOptions` minus `dbFile`/`log`, which the runtime owns). */
export const handoffOptionsSchema = z.object({
  /** Profile id: kore, synthflow, watson, polyai, custom. */
  profile: z.string().min(1),
  transport: loopbackTransport,
  /** Loopback address to use. Default 127.0.0.1. */
  host: z.string().optional(),
  /** Headers CXone puts instead of the profile's (to reproduce a broken SIPPUTHEADER). */
  headersOverride: sipHeadersOption.optional(),
  /** The CXone script topology over the profile's (issue 14): which id the header holds, which script waits in ONSIGNAL. */
  topology: topologyOverrideSchema.optional(),
  /** p1..p9 the bot sends instead of the profile's default. */
  signalParams: signalParamsOption.optional(),
  /** How long CXone has to drop the leg after the Signal (ms). Default 5000. */
  dropWaitMs: z.number().nonnegative().optional(),
  /** Faults the emulated CXone API injects (faults.ts); kept in the run's options. */
  faults: faultsOption.optional(),
  /** The reference bot's greeting (WAV path or 8 kHz samples); null: none. Default resources/prompts/greeting.wav. */
  greeting: audioOption.optional(),
  /** How long the greeting plays before the bot signals (ms), or 'end'. Default: BotAgent's. */
  greetingBeforeSignalMs: greetingBeforeOption.optional(),
  /** Where the CXone side records what the bot sent (one WAV per call); undefined: no recording. */
  recordDir: z.string().optional(),
  /** What the emulated caller says once answered (WAV path or samples); null: silence. Default resources/prompts/caller.wav. */
  callerPrompt: audioOption.optional(),
});

/** Options of {@link runHandoffOn}. */
export type HandoffRunOptions = z.input<typeof handoffOptionsSchema>;

/**
 * Runs one emulated handoff end to end on the runtime of `ctx`.
 * @returns the run's report; `ok` is true only when every check passed.
 * @throws LabError `usage` for an unknown profile; Error when a listener cannot be opened.
 */
export async function runHandoffOn(ctx: RunContext, opts: z.output<typeof handoffOptionsSchema>): Promise<RunReport> {
  const profile = ctx.profile(opts.profile);
  const host = opts.host ?? '127.0.0.1';
  const runId = ctx.createRun({ kind: 'handoff', profile: profile.id, transport: opts.transport, options: { host, ...(opts.faults?.length ? { faults: opts.faults.map(formatFault) } : {}) } });
  const cxone = await ctx.startCxone(host);
  const api = cxone.api;
  if (opts.faults?.length) api.setFaults(opts.faults);
  const botEp = await ctx.startEndpoint({ transport: opts.transport, host, port: 0, user: 'bot' });
  // The CXone side hears the bot: its VAD stamps the greeting's first voice (time to greeting).
  const cxoneEp = await ctx.startEndpoint({
    transport: opts.transport,
    host,
    port: 0,
    user: 'cxone',
    ...(opts.recordDir ? { media: { recordDir: opts.recordDir, onRtpPacket: ctx.rtpCapture.onRtpPacket } } : {}),
  });
  const dropWaitMs = opts.dropWaitMs ?? 5000;
  const bot = new BotAgent({
    endpoint: botEp,
    profile,
    recorder: ctx.recorder,
    runId,
    client: cxone.clientFor(profile),
    autoSignal: true,
    signalParams: opts.signalParams,
    dropWaitMs,
    greeting: opts.greeting,
    greetingBeforeSignalMs: opts.greetingBeforeSignalMs,
    log: ctx.log,
  });
  const botDone = once(bot, 'call-done') as Promise<[BotCallResult]>;
  const script = new ChildScript({
    endpoint: cxoneEp,
    api,
    profile,
    target: `sip:${EMULATED_PSEUDO_NUMBER}@${host}:${botEp.listener.port};transport=${opts.transport}`,
    recorder: ctx.recorder,
    runId,
    headersOverride: opts.headersOverride,
    topology: opts.topology,
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
  ctx.onCallReport(call);
  const ok = allChecksPass(call.checks);
  ctx.finishRun(runId, ok);
  return { ok, runId, kind: 'handoff', profile: profile.id, transport: opts.transport, db: ctx.store?.file ?? null, calls: [call] };
}

/** The `handoff` kind. */
export const handoffRun = defineRun({ kind: 'handoff', options: handoffOptionsSchema, run: runHandoffOn });
