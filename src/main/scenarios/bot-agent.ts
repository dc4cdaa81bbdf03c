/**
 * The app as the bot (design.md §2, mode 1; and the reference bot of mode 3): answers each INVITE,
 * extracts and verifies the contact id by the vendor profile, sends the Signal for that contact id,
 * and ends the bot leg where the profile says the bot does; otherwise it waits for CXone to drop
 * the leg and flags a leg that is not dropped in time.
 *
 * With `conversation` the bot converses before it signals (bot-conversation.ts): it greets,
 * listens for the caller's digits and speech, and signals with what it heard. Without it (the
 * default, which the embedded handoff and its tests rely on) it signals right after its greeting's
 * first syllable.
 *
 * State is per live call only: a call leaves {@link BotAgent.liveMapSizes} when it ends, and its
 * result is handed out once by the `call-done` event.
 */
import { EventEmitter } from 'node:events';
import type { VendorProfile } from '../../shared/profile';
import type { CheckResult, SignalParams, SignalRecord } from '../../shared/types';
import type { CxoneClient } from '../cxone/client';
import { loadPrompt } from '../media/prompt';
import { synthesize } from '../media/tts';
import { verifyContactId } from '../profiles';
import type { SipCall } from '../sip/call';
import type { SipEndpoint } from '../sip/endpoint';
import { GREETING_PROMPT, promptPath } from '../resources';
import { listenAndDecide, type BotConversationOptions, type BotHeard } from './bot-conversation';
import type { CallRecorder, RecorderLog, TrackedCall } from './call-recorder';
import { botLegChecks } from './bot-leg-checks';

export { botLegChecks };

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
   * The greeting the bot plays right after answering: a WAV file path (ending in `.wav`), text to
   * speak (offline TTS, tts.ts: any other string), or 8 kHz samples; null plays none. Default: the
   * bundled resources/prompts/greeting.wav (so time to greeting is measurable).
   */
  greeting?: string | Int16Array | null;
  /**
   * With auto-signal, how long the greeting plays before the bot signals (ms), or `'end'` to signal
   * only once the whole greeting was sent. Default {@link DEFAULT_GREETING_LEAD_MS}: the caller
   * hears the greeting's first syllable (its VAD needs 60 ms of voice) before the leg is dropped,
   * without waiting for the whole prompt. No wait when the greeting cannot be played.
   */
  greetingBeforeSignalMs?: number | 'end';
  /**
   * With auto-signal: converse before signalling (listen for digits and speech, signal with what
   * was heard; bot-conversation.ts), for every call or per call (undefined: signal at once).
   */
  conversation?: BotConversationOptions | ((call: SipCall) => BotConversationOptions | undefined);
  log?: RecorderLog;
}

/** Default {@link BotAgentOptions.greetingBeforeSignalMs} (ms). */
export const DEFAULT_GREETING_LEAD_MS = 200;

/** The outcome of one answered call. */
export interface BotCallResult {
  tracked: TrackedCall;
  signal: SignalRecord | null;
  checks: CheckResult[];
  /** In a conversation: what the bot heard and how it decided (absent without `conversation`). */
  heard?: BotHeard & { by: string };
}

/**
 * Answers calls on an endpoint as the bot of a vendor profile.
 * Emits `call-done` ({@link BotCallResult}) when a call it answered has ended and its checks are known.
 */
export class BotAgent extends EventEmitter<{ 'call-done': [BotCallResult]; 'call-start': [TrackedCall] }> {
  /** Calls answered and not yet ended, by internal call id. */
  private readonly live = new Map<string, TrackedCall>();
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
   * Always empty: results are handed out once by the `call-done` event, and an ended call leaves
   * every in-memory map (kept for callers that read its length).
   * @deprecated listen to `call-done`.
   */
  get results(): readonly BotCallResult[] {
    return [];
  }

  /** Sizes of the per-call state (calls in progress), for the runtime's bounded-state watch. */
  liveMapSizes(): Record<string, number> {
    return { calls: this.live.size };
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
    this.live.set(call.id, tracked);
    try {
      await this.converseAndEnd(call, tracked, profile);
    } finally {
      this.live.delete(call.id);
    }
  }

  private async converseAndEnd(call: SipCall, tracked: TrackedCall, profile: VendorProfile): Promise<void> {
    const verdict = verifyContactId(call.invite?.parsed.headers ?? [], profile);
    tracked.setVerdict(verdict);
    this.emit('call-start', tracked);
    await call.accept();
    const greeting = this.playGreeting(call);
    let signal: SignalRecord | null = null;
    let heard: BotCallResult['heard'];
    const autoSignal = typeof this.opts.autoSignal === 'function' ? this.opts.autoSignal(call) : this.opts.autoSignal;
    const conv = autoSignal ? (typeof this.opts.conversation === 'function' ? this.opts.conversation(call) : this.opts.conversation) : undefined;
    if (conv) {
      const d = await listenAndDecide(call, profile, conv, greeting, verdict.value ?? '');
      heard = { ...d.heard, by: d.by };
      this.log('info', `bot: call ${call.callId} heard ${d.heard.summary} (${d.by}): ${d.action === 'signal' ? `signalling ${new URLSearchParams(d.params as Record<string, string>).toString()}` : d.action}`);
      if (d.action !== 'none' && conv.signalAfterMs) await new Promise((r) => setTimeout(r, conv.signalAfterMs));
      if (d.action === 'signal' && verdict.value && this.opts.client && call.state === 'answered') signal = await this.signal(tracked, d.params);
      else if (d.action !== 'none') await hangupQuietly(call);
    } else if (autoSignal) {
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
    const result: BotCallResult = { tracked, signal, checks, ...(heard ? { heard } : {}) };
    this.live.delete(call.id); // ended: out of every map before anyone hears of it
    this.emit('call-done', result);
  }

  /** Loads the greeting once: the option's samples or file, else the bundled greeting.wav; never rejects. */
  private loadGreeting(): Promise<Int16Array | null> {
    this.greetingSamples ??= (async () => {
      const g = this.opts.greeting;
      if (g === null) return null;
      try {
        if (typeof g === 'string' && !/\.wav$/i.test(g)) return await synthesize(g);
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
