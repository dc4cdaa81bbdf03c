/**
 * `CallConversation`: the actions and waits of one side of a scripted conversation on a live
 * call, the API a test case's steps run on (issue 13: `say`, `play`, `dtmf`, `expect_speech`,
 * `wait_silence`, `expect_dtmf`). A thin, stateless wrapper: the state lives in the call and its
 * media session (far-end-speech.ts for speech, the media report for digits), so any number of
 * wrappers of one call agree and nothing outlives the call.
 *
 * Stamps are monotonic ms (`performance.now()`), the clock of the call's SIP messages.
 *
 * @remarks RFC 4733 and SIP INFO `application/dtmf-relay` for digits (dtmf-sender.ts,
 * sip/dtmf-info.ts); tts.ts for `say`; vad.ts and far-end-speech.ts for speech.
 */
import type { DtmfDigitRecord } from '../../shared/types';
import { monoNow } from '../clock';
import type { SipCall } from '../sip/call';
import { sendDtmfInfo } from '../sip/dtmf-info';
import { SpeechWaitError, type FarEndSpeech } from './far-end-speech';
import { synthesize, type TtsOptions } from './tts';
import type { VadSettings } from './vad';

/** How digits are sent: RFC 4733 telephone-events in the RTP stream, or SIP INFO requests. */
export type DtmfMethod = 'rfc4733' | 'info';

/** A wait for digits that ran out (`received` holds the digits that did come, in order). */
export class DtmfWaitError extends Error {
  override readonly name = 'DtmfWaitError';
  constructor(
    message: string,
    readonly received: string,
    readonly reason: 'timeout' | 'ended',
  ) {
    super(message);
  }
}

/** The conversation API of one call (see the file comment). Build with {@link conversationOf}. */
export class CallConversation {
  constructor(readonly call: SipCall) {}

  /**
   * The far end's speech detector of the call.
   * @throws Error when the call has no media session yet (no SDP exchanged).
   */
  get speech(): FarEndSpeech {
    const m = this.call.mediaSession;
    if (!m) throw new Error(`call ${this.call.callId} has no media session (no SDP exchanged)`);
    return m.speech;
  }

  /** Sets the far-end VAD's thresholds for this call from now on (dBFS, min speech ms, hangover ms). @throws as {@link speech}. */
  configureVad(settings: Partial<VadSettings>): void {
    this.speech.configure(settings);
  }

  /**
   * Waits for the far end to talk (see `FarEndSpeech.waitForSpeech`).
   * @returns the speech start (monotonic ms).
   * @throws (rejects) {@link SpeechWaitError} (`timeout` | `closed`), or Error without media.
   */
  async waitForSpeech(opts: { withinMs: number; sinceMonoMs?: number }): Promise<number> {
    return this.speech.waitForSpeech(opts);
  }

  /**
   * Waits until the far end has been silent for `forMs` (see `FarEndSpeech.waitForSilence`).
   * @returns the instant (monotonic ms) the silence began.
   * @throws (rejects) {@link SpeechWaitError} (`timeout` | `closed`), or Error without media.
   */
  async waitForSilence(opts: { forMs: number; withinMs: number }): Promise<number> {
    return this.speech.waitForSilence(opts);
  }

  /**
   * Says `text` to the far end: offline text-to-speech (tts.ts), sent as RTP in the negotiated codec.
   * @returns the spoken audio's start (monotonic ms, when its first packet was due) and length (ms),
   *   once the last packet was sent.
   * @throws (rejects) `TtsError` (engine missing, bad text/voice/rate), or as {@link play}.
   */
  async say(text: string, opts: TtsOptions = {}): Promise<{ startMonoMs: number; durationMs: number }> {
    const samples = await synthesize(text, opts);
    return this.play(samples);
  }

  /**
   * Plays a WAV file (any rate, channels, bit depth: resampled to 8 kHz mono, prompt.ts) or 8 kHz samples.
   * @returns the start (monotonic ms) and length (ms), once the last packet was sent.
   * @throws (rejects) `PromptError` for an unusable file; Error when the call has no media, is on
   *   hold, or ends first (`MediaClosedError`).
   */
  async play(prompt: string | Int16Array): Promise<{ startMonoMs: number; durationMs: number }> {
    const startMonoMs = monoNow();
    await this.call.playPrompt(prompt);
    return { startMonoMs, durationMs: Math.round(monoNow() - startMonoMs) };
  }

  /**
   * Sends DTMF digits (0-9 * # A-D).
   * @param method - `rfc4733` (default; telephone-events, 100 ms tones, 60 ms gaps) or `info`
   *   (SIP INFO `application/dtmf-relay`, 160 ms announced, one request per digit).
   * @throws (rejects) `DtmfError` for a bad digit or duration; Error when the peer did not offer
   *   telephone-event (rfc4733: the message says to use `info`), an INFO is refused, or the call
   *   ends before every digit went out (ending during the last digit's repeated end packets is fine).
   */
  async sendDtmf(digits: string, method: DtmfMethod = 'rfc4733', opts: { durationMs?: number; gapMs?: number } = {}): Promise<void> {
    if (method === 'info') return sendDtmfInfo(this.call, digits, opts);
    const m = this.call.mediaSession;
    if (m && !m.canSendDtmf && this.call.state === 'answered') {
      throw new Error(`cannot send DTMF by RFC 4733 on call ${this.call.callId}: the peer did not offer telephone-event/8000 (use method info)`);
    }
    const startedAt = monoNow();
    try {
      await this.call.sendDtmf(digits, opts);
    } catch (e) {
      // A far end that hangs up on the last digit ends the call while that digit's end packet is
      // still being repeated (RFC 4733 §2.5.1.4): each digit whose end went out was sent.
      const sent = this.call.mediaReport().dtmf.filter((d) => d.direction === 'out' && d.startMonoMs >= startedAt - 40).length;
      if (sent < digits.length || digits.length === 0) throw e;
    }
  }

  /** Digits received so far (RFC 4733 and INFO), oldest first; only those starting at or after `sinceMonoMs` when given. */
  receivedDigits(sinceMonoMs = -Infinity): DtmfDigitRecord[] {
    return this.call
      .mediaReport()
      .dtmf.filter((d) => d.direction === 'in' && d.startMonoMs >= sinceMonoMs)
      .sort((a, b) => a.startMonoMs - b.startMonoMs);
  }

  /**
   * Waits until the digits received since `sinceMonoMs` (default: now) contain `digits` in a row
   * (either method).
   * @returns the received digits that matched, in order.
   * @throws (rejects) {@link DtmfWaitError} after `withinMs` (`timeout`) or when the call ends first (`ended`).
   */
  waitForDtmf(opts: { digits: string; withinMs: number; sinceMonoMs?: number }): Promise<DtmfDigitRecord[]> {
    const since = opts.sinceMonoMs ?? monoNow();
    const want = opts.digits.toUpperCase();
    const extra: DtmfDigitRecord[] = [];
    const seen = (): DtmfDigitRecord[] => {
      const all = this.receivedDigits(since);
      // Digits recorded without a media session (INFO before the SDP handler) come only as events.
      for (const d of extra) if (!all.includes(d)) all.push(d);
      return all;
    };
    const match = (): DtmfDigitRecord[] | undefined => {
      const got = seen();
      const at = got.map((d) => d.digit).join('').indexOf(want);
      return at < 0 ? undefined : got.slice(at, at + want.length);
    };
    const now = match();
    if (now) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const done = (f: () => void): void => {
        clearTimeout(timer);
        this.call.off('dtmf', onDigit);
        this.call.off('ended', onEnd);
        f();
      };
      const onDigit = (d: DtmfDigitRecord): void => {
        if (d.direction === 'in' && d.startMonoMs >= since && !this.call.mediaSession) extra.push(d);
        const m = match();
        if (m) done(() => resolve(m));
      };
      const digitsSoFar = (): string => seen().map((d) => d.digit).join('');
      const onEnd = (): void => done(() => reject(new DtmfWaitError(`the call ended before DTMF "${want}" was received (got "${digitsSoFar()}")`, digitsSoFar(), 'ended')));
      const timer = setTimeout(
        () => done(() => reject(new DtmfWaitError(`DTMF "${want}" not received within ${opts.withinMs} ms (got "${digitsSoFar()}")`, digitsSoFar(), 'timeout'))),
        Math.max(0, opts.withinMs),
      );
      this.call.on('dtmf', onDigit);
      this.call.once('ended', onEnd);
    });
  }
}

/** The conversation API of a call (cheap: a new stateless wrapper each time). */
export function conversationOf(call: SipCall): CallConversation {
  return new CallConversation(call);
}

export { SpeechWaitError };
