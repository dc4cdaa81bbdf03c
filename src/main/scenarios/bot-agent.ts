/**
 * The app as the bot (design.md §2, mode 1; and the reference bot of mode 3): answers each INVITE,
 * extracts and verifies the contact id by the vendor profile, sends the Signal for that contact id,
 * and ends the bot leg where the profile says the bot does; otherwise it waits for CXone to drop
 * the leg and flags a leg that is not dropped in time.
 */
import { EventEmitter } from 'node:events';
import type { VendorProfile } from '../../shared/profile';
import type { CheckResult, SignalParams, SignalRecord } from '../../shared/types';
import type { CxoneClient } from '../cxone/client';
import { loadPrompt } from '../media/prompt';
import { checkSignalParams, verifyContactId } from '../profiles';
import type { SipCall } from '../sip/call';
import type { SipEndpoint } from '../sip/endpoint';
import { GREETING_PROMPT, promptPath } from '../resources';
import type { CallRecorder, RecorderLog, TrackedCall } from './call-recorder';

/** Options of a {@link BotAgent}. */
export interface BotAgentOptions {
  endpoint: SipEndpoint;
  /** The profile the bot follows, or a function choosing it per call (the dashboard's listeners). */
  profile: VendorProfile | ((call: SipCall) => VendorProfile);
  recorder: CallRecorder;
  runId: string | null;
  /** The CXone API client the bot signals through, or a function choosing it per call (null: the bot cannot signal). */
  client: CxoneClient | ((call: SipCall) => CxoneClient) | null;
  /** p1..p9 the bot sends; defaults to the profile's `defaultSignal`. */
  signalParams?: SignalParams;
  /**
   * true: signal as soon as the call is answered (the automatic handoff). false: hold the call
   * until someone calls {@link BotAgent.signal} (the dashboard's Signal form) or the far end hangs up.
   */
  autoSignal: boolean | ((call: SipCall) => boolean);
  /** How long CXone has to drop the leg after a 2xx Signal before it is flagged (ms). Default 5000. */
  dropWaitMs?: number;
  /** Longest a call may last before the bot ends it (ms). Default 60000. */
  maxCallMs?: number;
  /**
   * The SIP peer is not CXone (`answer --cxone-api embedded`): nobody will drop the leg on ONSIGNAL,
   * so after a 2xx Signal the bot ends the leg on behalf of the emulated CXone, and the checks say so.
   */
  endLegForEmulatedCxone?: boolean;
  /**
   * The greeting the bot plays right after answering: a WAV file path or 8 kHz samples; null plays
   * none. Default: the bundled resources/prompts/greeting.wav (so time to greeting is measurable).
   */
  greeting?: string | Int16Array | null;
  /**
   * With auto-signal, how long the greeting plays before the bot signals (ms), or `'end'` to signal
   * only once the whole greeting was sent. Default {@link DEFAULT_GREETING_LEAD_MS}: the caller
   * hears the greeting's first syllable (its VAD needs 60 ms of voice) before the leg is dropped,
   * without waiting for the whole prompt. No wait when the greeting cannot be played.
   */
  greetingBeforeSignalMs?: number | 'end';
  log?: RecorderLog;
}

/** Default {@link BotAgentOptions.greetingBeforeSignalMs} (ms). */
export const DEFAULT_GREETING_LEAD_MS = 200;

/** The outcome of one answered call. */
export interface BotCallResult {
  tracked: TrackedCall;
  signal: SignalRecord | null;
  checks: CheckResult[];
}

/**
 * Answers calls on an endpoint as the bot of a vendor profile.
 * Emits `call-done` ({@link BotCallResult}) when a call it answered has ended and its checks are known.
 */
export class BotAgent extends EventEmitter<{ 'call-done': [BotCallResult]; 'call-start': [TrackedCall] }> {
  readonly results: BotCallResult[] = [];
  private readonly dropWaitMs: number;
  private readonly maxCallMs: number;
  private readonly log: RecorderLog;
  /** The greeting's samples, loaded once when the agent starts (null: no greeting, or it cannot be read). */
  private greetingSamples: Promise<Int16Array | null> | null = null;

  constructor(private readonly opts: BotAgentOptions) {
    super();
    this.dropWaitMs = opts.dropWaitMs ?? 5000;
    this.maxCallMs = opts.maxCallMs ?? 60_000;
    this.log = opts.log ?? (() => {});
    // Load the greeting now, so the first call's greeting is not late by the file's read.
    void this.loadGreeting();
    opts.endpoint.onInvite = (call) => {
      this.handle(call).catch((e: unknown) => this.log('error', `bot: call ${call.callId}: ${(e as Error).message}`));
    };
  }

  /**
   * Sends the Signal for a call this bot answered, for the contact id extracted from its INVITE (or
   * the one given). The leg is then dropped by CXone, or by the bot where the profile says so.
   * @param onFailure - after a failed Signal: `hangup` follows the bot error path (BYE → ONRELEASE);
   *   `keep` leaves the call up so the user can correct and send again (the dashboard).
   * @returns the Signal record; never throws (a missing client or contact id is an error record).
   */
  async signal(
    tracked: TrackedCall,
    params: SignalParams,
    contactId?: string,
    onFailure: 'hangup' | 'keep' = 'hangup',
  ): Promise<SignalRecord> {
    const id = contactId ?? tracked.verdict?.value ?? '';
    const client = typeof this.opts.client === 'function' ? this.opts.client(tracked.call) : this.opts.client;
    if (!client) throw new Error('no CXone API client configured: give --cxone-api');
    // Pre-signal contact checks (live, right leg) when the client is configured for them; the Signal goes regardless.
    if (client.preSignalCheck) tracked.addChecks(await client.checkBeforeSignal(id, this.profileOf(tracked.call)));
    const rec = await client.signal(id, params, { callRef: tracked.call.id });
    tracked.addSignal(rec);
    if (tracked.call.state !== 'answered') return rec;
    if (rec.ok) {
      if (this.profileOf(tracked.call).hangsUp === 'bot' || this.opts.endLegForEmulatedCxone) {
        // Kore: after calling the Signal API the bot ends its own leg (cxone-reference.md §4 [KORE]).
        await hangupQuietly(tracked.call);
      } else {
        // CXone drops the leg on ONSIGNAL; give it dropWaitMs before flagging and hanging up.
        void tracked.call.waitForEnd(this.dropWaitMs).catch(async () => {
          this.log('warn', `bot: signal accepted but CXone did not drop call ${tracked.call.callId} within ${this.dropWaitMs} ms`);
          await hangupQuietly(tracked.call);
        });
      }
    } else if (onFailure === 'hangup') {
      // Error path: the bot hangs up; CXone's ONRELEASE transfers the caller (cxone-reference.md §4 [IBM]).
      await hangupQuietly(tracked.call);
    }
    return rec;
  }

  private profileOf(call: SipCall): VendorProfile {
    return typeof this.opts.profile === 'function' ? this.opts.profile(call) : this.opts.profile;
  }

  private async handle(call: SipCall): Promise<void> {
    const { recorder, runId } = this.opts;
    const profile = this.profileOf(call);
    const tracked = recorder.track(call, { runId, profile: profile.id });
    const verdict = verifyContactId(call.invite?.parsed.headers ?? [], profile);
    tracked.setVerdict(verdict);
    this.emit('call-start', tracked);
    await call.accept();
    const greeting = this.playGreeting(call);
    let signal: SignalRecord | null = null;
    const autoSignal = typeof this.opts.autoSignal === 'function' ? this.opts.autoSignal(call) : this.opts.autoSignal;
    if (autoSignal) {
      await this.greetingLead(greeting);
      if (verdict.value && this.opts.client) {
        signal = await this.signal(tracked, this.opts.signalParams ?? profile.defaultSignal);
      } else {
        this.log('warn', `bot: no contact id in call ${call.callId}: not signalling, hanging up (ONRELEASE path)`);
        await hangupQuietly(call);
      }
    }
    const end = await call.waitForEnd(this.maxCallMs).catch(async () => {
      this.log('warn', `bot: call ${call.callId} still up after ${this.maxCallMs} ms: hanging up`);
      await hangupQuietly(call);
      return call.waitForEnd(5000).catch(() => call.end);
    });
    signal = signal ?? tracked.signals.find((s) => s.ok) ?? tracked.signals[tracked.signals.length - 1] ?? null;
    const checks = botLegChecks(tracked, profile, signal, this.dropWaitMs, end?.by ?? 'none', this.opts.endLegForEmulatedCxone ?? false);
    tracked.addChecks(checks);
    const result: BotCallResult = { tracked, signal, checks };
    this.results.push(result);
    this.emit('call-done', result);
  }

  /** Loads the greeting once: the option's samples or file, else the bundled greeting.wav; never rejects. */
  private loadGreeting(): Promise<Int16Array | null> {
    this.greetingSamples ??= (async () => {
      const g = this.opts.greeting;
      if (g === null) return null;
      try {
        return await loadPrompt(g ?? promptPath(GREETING_PROMPT));
      } catch (e) {
        this.log('warn', `bot: no greeting: ${(e as Error).message}`);
        return null;
      }
    })();
    return this.greetingSamples;
  }

  /**
   * Plays the greeting to the caller right after the answer.
   * @returns resolves true once the greeting was sent, false when there is none or it could not be
   *   played (no negotiated media, the call ended first); never rejects.
   */
  private async playGreeting(call: SipCall): Promise<boolean> {
    const samples = await this.loadGreeting();
    if (!samples || call.state !== 'answered') return false;
    try {
      await call.playPrompt(samples);
      return true;
    } catch (e) {
      // The leg ending mid-greeting is the normal handoff; anything else is worth a warning.
      const level = call.state === 'answered' ? 'warn' : 'debug';
      this.log(level, `bot: greeting of call ${call.callId} not played to the end: ${(e as Error).message}`);
      return false;
    }
  }

  /** Waits for the greeting's lead before the Signal ({@link BotAgentOptions.greetingBeforeSignalMs}). */
  private async greetingLead(greeting: Promise<boolean>): Promise<void> {
    const lead = this.opts.greetingBeforeSignalMs ?? DEFAULT_GREETING_LEAD_MS;
    if (lead === 'end') {
      await greeting;
      return;
    }
    if (lead <= 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([greeting, new Promise<void>((r) => (timer = setTimeout(r, lead)))]);
    clearTimeout(timer);
  }
}

async function hangupQuietly(call: SipCall): Promise<void> {
  if (call.state === 'ended' || call.state === 'failed' || call.state === 'ending') return;
  try {
    await call.hangup();
  } catch {
    /* the call ended meanwhile */
  }
}

/**
 * The checks of a bot leg: the contact id, the Signal's parameters and outcome, and who dropped
 * the leg and when (design.md §1: "a signal that returns 2xx but never drops the leg").
 */
export function botLegChecks(
  tracked: TrackedCall,
  profile: VendorProfile,
  signal: SignalRecord | null,
  dropWaitMs: number,
  endedBy: 'local' | 'remote' | 'none',
  endLegForEmulatedCxone = false,
): CheckResult[] {
  const checks: CheckResult[] = [];
  const v = tracked.verdict;
  checks.push({
    name: 'contact-id',
    ok: v?.ok ?? false,
    detail: v
      ? v.ok
        ? `${v.header} = ${v.value}`
        : v.problems.join('; ') || 'no usable contact id'
      : 'no INVITE seen',
  });
  if (!signal) {
    checks.push({ name: 'signal-accepted', ok: false, detail: 'no Signal was sent' });
    return checks;
  }
  const paramChecks = checkSignalParams(signal.params, profile);
  const badParams = paramChecks.filter((c) => !c.ok);
  checks.push({
    name: 'signal-params',
    ok: badParams.length === 0,
    detail: badParams.length === 0 ? paramChecks.map((c) => c.detail).join('; ') : badParams.map((c) => c.detail).join('; '),
  });
  checks.push({ name: 'signal-accepted', ok: signal.ok, detail: `${signal.message} (${signal.url})` });
  if (signal.ok) {
    const marks = tracked.latency();
    const dropped = marks.signal_to_bye_ms !== undefined;
    const botEnds = profile.hangsUp === 'bot' || endLegForEmulatedCxone;
    const expectedBy = botEnds ? 'local' : 'remote';
    const who = endLegForEmulatedCxone
      ? 'the bot, on behalf of the embedded CXone emulator (the SIP peer is not CXone),'
      : profile.hangsUp === 'bot'
        ? 'the bot'
        : 'CXone';
    const ok = dropped && endedBy === expectedBy && (botEnds || (marks.signal_to_bye_ms ?? Infinity) <= dropWaitMs);
    // CXone should have ended the leg, and the bot had to hang up itself after the wait (or nobody did).
    const notDropped = !botEnds && (!dropped || endedBy !== 'remote');
    checks.push({
      name: 'leg-dropped',
      ok,
      detail: notDropped
        ? `signal accepted but the leg was not dropped within ${dropWaitMs / 1000} s` +
          (dropped ? ` (the bot hung up itself ${marks.signal_to_bye_ms} ms after the Signal)` : '')
        : dropped
          ? `BYE ${endedBy === 'local' ? 'sent by the bot' : 'received from the far end'} ${marks.signal_to_bye_ms} ms after the Signal; ${who} is expected to end the leg under ${profile.name}`
          : `signal accepted but the leg was not dropped within ${dropWaitMs / 1000} s`,
    });
  }
  checks.push({
    name: 'call-ended',
    ok: tracked.call.state === 'ended',
    detail: `state ${tracked.call.state}${tracked.call.end ? `, ${tracked.call.end.by}: ${tracked.call.end.reason}` : ''}`,
  });
  return checks;
}
