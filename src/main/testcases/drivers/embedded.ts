/**
 * `embedded` mode (design.md §2, mode 3): the CXone emulator places the call to the built-in
 * reference bot on loopback, and the steps are the caller's side of that bot leg. Needs no tenant
 * and no network: the example suite runs this way.
 */
import { caseTopology } from '../../profiles/topology';
import { once } from 'node:events';
import { isAbsolute, resolve } from 'node:path';
import { ChildScript } from '../../emulator/child-script';
import { parseFault } from '../../emulator/faults';
import { EMULATED_PSEUDO_NUMBER } from '../../runs/handoff-checks';
import { BotAgent, type BotCallResult } from '../../scenarios/bot-agent';
import type { BotConversationOptions } from '../../scenarios/bot-conversation';
import type { TestCase } from '../schema';
import { sipMarks } from '../../scenarios/latency';
import { delay, type CaseDriver, type DriverFacts, type DriverInput, type DriverStart } from '../driver';
import { timeToGreeting } from './facts';
import { startScriptCall, type ScriptCall } from './script-call';

/**
 * The reference bot's conversation options from a case's `bot:`; undefined (signal at once, the
 * classic handoff) when none of on_dtmf, on_speech, require_both, silent_for, listen_for,
 * on_no_input is given.
 */
export function botConversation(b: NonNullable<TestCase['bot']>): BotConversationOptions | undefined {
  const conv: BotConversationOptions = {
    ...(b.on_dtmf ? { onDtmf: b.on_dtmf } : {}),
    ...(b.on_speech ? { onSpeech: b.on_speech } : {}),
    ...(b.require_both !== undefined ? { requireBoth: b.require_both } : {}),
    ...(b.silent_for !== undefined ? { silentForMs: b.silent_for } : {}),
    ...(b.listen_for !== undefined ? { listenMs: b.listen_for } : {}),
    ...(b.on_no_input !== undefined ? { onNoInput: b.on_no_input } : {}),
    ...(b.signal_after !== undefined ? { signalAfterMs: b.signal_after } : {}),
  };
  return Object.keys(conv).length ? conv : undefined;
}

/** The embedded driver (see the file comment). */
export class EmbeddedDriver implements CaseDriver {
  private sc: ScriptCall | null = null;
  private bot: BotAgent | null = null;
  private botDone: Promise<[BotCallResult]> | null = null;

  constructor(private readonly input: DriverInput) {}

  get call() {
    return this.sc?.script.call ?? null;
  }

  async start(): Promise<DriverStart> {
    const { tc, profile, deps, tap, transport } = this.input;
    const host = tc.sip?.host ?? '127.0.0.1';
    const cxone = await deps.startCxone(host);
    const faults = (tc.faults ?? []).map(parseFault);
    if (faults.length) cxone.api.setFaults(faults);
    // Over TLS each side makes a self-signed certificate in memory; the CXone side trusts the bot's.
    const tlsMem = transport === 'tls' ? { tls: { certDir: null } } : {};
    const botEp = await deps.startEndpoint({ transport, host, port: 0, user: 'bot', ...tlsMem });
    const botCa = botEp.tlsCertificate ? { tls: { certDir: null, caPem: [botEp.tlsCertificate.certPem] } } : {};
    const cxoneEp = await deps.startEndpoint({ transport, host, port: 0, user: 'cxone', ...botCa, media: { onRtpPacket: tap.onRtpPacket } });
    const b = tc.bot ?? {};
    const greeting = await this.greeting(b.greeting);
    const conversation = botConversation(b);
    this.bot = new BotAgent({
      endpoint: botEp,
      profile,
      recorder: deps.recorder,
      runId: deps.runId,
      client: cxone.clientFor(profile),
      autoSignal: true,
      ...(b.signal ? { signalParams: b.signal } : {}),
      ...(greeting !== undefined ? { greeting } : {}),
      ...(conversation ? { conversation } : {}),
      maxCallMs: tc.timeout,
      // The reference bot's own warnings (a greeting cut short by the hangup…) are the steps' to judge.
      log: (level, msg) => deps.log(level === 'error' ? 'error' : 'debug', msg),
    });
    this.botDone = once(this.bot, 'call-done') as Promise<[BotCallResult]>;
    this.botDone.catch(() => {});
    const script = new ChildScript({
      endpoint: cxoneEp,
      api: cxone.api,
      profile,
      target: `sip:${EMULATED_PSEUDO_NUMBER}@${host}:${botEp.listener.port};transport=${transport}`,
      recorder: deps.recorder,
      runId: deps.runId,
      maxCallMs: tc.timeout,
      topology: caseTopology(tc.cxone?.topology),
      callerPrompt: null,
    });
    const { start, sc } = await startScriptCall(this.input, cxone.api, script);
    this.sc = sc;
    return start;
  }

  /** The greeting option of the reference bot: a WAV path (relative to the case), spoken text, null, or the default. */
  private async greeting(g: string | null | undefined): Promise<string | Int16Array | null | undefined> {
    if (g === undefined || g === null) return g;
    if (/\.wav$/i.test(g)) return isAbsolute(g) ? g : resolve(this.input.caseDir, g);
    return this.input.deps.speak(g);
  }

  async finish(): Promise<DriverFacts> {
    const sc = this.sc;
    if (!sc) return { contactId: null, action: null, outcome: null, latency: {} };
    const outcome = await sc.done;
    sc.detach();
    const result = this.botDone ? await Promise.race([this.botDone.then(([r]) => r), delay(10_000).then(() => null)]) : null;
    const call = sc.script.call;
    const verdict = result?.tracked.verdict ?? null;
    const header = sc.script.header;
    const contactId = verdict
      ? {
          ok: verdict.ok && verdict.value === header.value,
          detail: verdict.ok
            ? `CXone put ${header.name}: ${header.value}; the bot read ${verdict.header} = ${verdict.value}`
            : `CXone put ${header.name}: ${header.value}; the bot: ${verdict.problems.join('; ') || 'no usable contact id'}`,
        }
      : { ok: false, detail: 'the reference bot never saw the INVITE' };
    const botMarks = result?.tracked.latency() ?? {};
    const latency = {
      ...(call ? sipMarks(call.messages, 'uac') : {}),
      ...timeToGreeting(this.input.tap, call),
      ...(botMarks.token_ms !== undefined ? { token_ms: botMarks.token_ms } : {}),
      ...(botMarks.signal_http_ms !== undefined ? { signal_http_ms: botMarks.signal_http_ms } : {}),
      ...(botMarks.signal_to_bye_ms !== undefined ? { signal_to_bye_ms: botMarks.signal_to_bye_ms } : {}),
    };
    return { contactId, action: outcome.action, outcome: outcome.outcome, latency };
  }
}
