/**
 * `FarEndSpeech`: the far end's turns on one call, from the decoded RTP it sends (a
 * {@link SpeechVad} with hangover), with the waits a scripted conversation needs: "the bot starts
 * talking within 5 s", "the bot has been quiet for 700 ms".
 *
 * Comfort noise (RFC 3389, payload type 13 or a negotiated CN) and silence packets never count as
 * speech: CN packets are fed as time without speech ({@link FarEndSpeech.comfortNoise}), G.711
 * silence decodes to frames far below the threshold, and when nothing arrives at all
 * (discontinuous transmission, a stalled stream) a timer ends the turn once the hangover has run.
 *
 * Every stamp is monotonic ms (`performance.now()`, the call's clock: the same as the SIP
 * messages' `monoMs`); a speech stamp is the arrival of the packet carrying its first frame.
 *
 * @remarks RFC 3389 §4 (CN payload), RFC 3551 §6 (PT 13); vad.ts for the energy threshold.
 */
import { EventEmitter } from 'node:events';
import { monoNow } from '../clock';
import { resolveVadSettings, SpeechVad, type SpeechChange, type VadSettings } from './vad';

/** One far-end turn: its start, and its end once over (monotonic ms). */
export interface SpeechSegment {
  startMonoMs: number;
  endMonoMs: number | null;
}

/** A wait of {@link FarEndSpeech} that ran out, or was cut short by the end of the call's media. */
export class SpeechWaitError extends Error {
  override readonly name = 'SpeechWaitError';
  /** `timeout`: the time ran out; `closed`: the media closed first. */
  constructor(
    message: string,
    readonly reason: 'timeout' | 'closed',
  ) {
    super(message);
  }
}

/** Segments kept per call (the oldest are dropped beyond; a test step looks at the latest). */
export const MAX_SEGMENTS = 500;

/** Events: `speech-start` / `speech-end` with their stamps (monotonic ms). */
export type FarEndSpeechEvents = { 'speech-start': [monoMs: number]; 'speech-end': [monoMs: number]; closed: [] };

/** The far end's speech on one call (see the file comment). */
export class FarEndSpeech extends EventEmitter<FarEndSpeechEvents> {
  private vad: SpeechVad;
  private readonly createdMono = monoNow();
  private readonly list: SpeechSegment[] = [];
  private hangoverTimer: NodeJS.Timeout | undefined;
  private closedFlag = false;

  /** @param settings - VAD settings (defaults: −40 dBFS, 60 ms, 300 ms hangover). */
  constructor(settings: Partial<VadSettings> = {}) {
    super();
    this.setMaxListeners(50);
    this.vad = new SpeechVad(settings);
  }

  /** The VAD settings in force. */
  get settings(): Readonly<VadSettings> {
    return this.vad.settings;
  }

  /**
   * Changes the VAD settings from now on (a test case's thresholds). A turn in progress is ended
   * first (stamped at its last speech frame), so segments never mix two settings.
   */
  configure(settings: Partial<VadSettings>): void {
    const next = resolveVadSettings({ ...this.vad.settings, ...settings });
    if (this.vad.speaking) this.apply({ kind: 'speech-end', monoMs: this.vad.lastSpeechEndMono ?? monoNow() });
    this.vad = new SpeechVad(next);
  }

  /** True while the far end is talking (a turn started and its hangover has not run out). */
  get speaking(): boolean {
    return this.vad.speaking;
  }

  /** The turns so far, oldest first (at most {@link MAX_SEGMENTS}). */
  get segments(): readonly SpeechSegment[] {
    return this.list;
  }

  /** Takes decoded audio (8 kHz) that arrived at `monoMs`. */
  audio(samples: Int16Array, monoMs: number): void {
    if (this.closedFlag) return;
    for (const c of this.vad.push(samples, monoMs)) this.apply(c);
    this.armHangover();
  }

  /** A comfort-noise packet arrived at `monoMs`: time without speech (RFC 3389). */
  comfortNoise(monoMs: number): void {
    if (this.closedFlag) return;
    this.vad.resetFrame();
    const c = this.vad.idle(monoMs);
    if (c) this.apply(c);
  }

  /**
   * Resolves with the start (monotonic ms) of the far end's speech: at once when it is talking now
   * or a turn started at or after `sinceMonoMs`, else when the next turn starts.
   * @param withinMs - how long to wait (ms).
   * @param sinceMonoMs - also accept a turn that started at or after this instant (e.g. the answer,
   *   so a greeting that began before the wait is not missed). Default: only current or future speech.
   * @throws (rejects) {@link SpeechWaitError} `timeout` after `withinMs`, `closed` when the media closes first.
   */
  waitForSpeech(opts: { withinMs: number; sinceMonoMs?: number }): Promise<number> {
    const cur = this.list[this.list.length - 1];
    if (cur && (this.vad.speaking || (opts.sinceMonoMs !== undefined && cur.startMonoMs >= opts.sinceMonoMs))) {
      const since = opts.sinceMonoMs;
      const hit = since === undefined ? cur : this.list.find((s) => s.startMonoMs >= since) ?? cur;
      return Promise.resolve(hit.startMonoMs);
    }
    return this.wait(opts.withinMs, `no speech from the far end within ${opts.withinMs} ms`, (done) => {
      const on = (t: number): void => done(t);
      this.on('speech-start', on);
      return () => this.off('speech-start', on);
    });
  }

  /**
   * Resolves once the far end has been silent for `forMs` without a break: not talking, and its
   * last speech frame (or, before any speech, the start of this detector) at least `forMs` ago.
   * @returns the instant (monotonic ms) the silence began.
   * @throws (rejects) {@link SpeechWaitError} `timeout` after `withinMs`, `closed` when the media closes first.
   */
  waitForSilence(opts: { forMs: number; withinMs: number }): Promise<number> {
    return this.wait(opts.withinMs, `the far end did not stay silent for ${opts.forMs} ms within ${opts.withinMs} ms`, (done) => {
      let timer: NodeJS.Timeout | undefined;
      const check = (): void => {
        clearTimeout(timer);
        if (this.vad.speaking) return; // re-checked on speech-end
        const since = this.vad.lastSpeechEndMono ?? this.createdMono;
        const left = since + opts.forMs - monoNow();
        if (left <= 0) done(since);
        else timer = setTimeout(check, Math.ceil(left));
      };
      const onStart = (): void => clearTimeout(timer);
      this.on('speech-end', check);
      this.on('speech-start', onStart);
      check();
      return () => {
        clearTimeout(timer);
        this.off('speech-end', check);
        this.off('speech-start', onStart);
      };
    });
  }

  /** Ends the detector (the call's media closed): pending waits reject with `closed`; idempotent. */
  close(): void {
    if (this.closedFlag) return;
    clearTimeout(this.hangoverTimer);
    const end = this.vad.speaking ? this.vad.lastSpeechEndMono : undefined;
    if (end !== undefined) this.apply({ kind: 'speech-end', monoMs: end });
    this.closedFlag = true;
    this.emit('closed');
    this.removeAllListeners();
  }

  private apply(c: SpeechChange): void {
    if (c.kind === 'speech-start') {
      this.list.push({ startMonoMs: c.monoMs, endMonoMs: null });
      if (this.list.length > MAX_SEGMENTS) this.list.shift();
    } else {
      const last = this.list[this.list.length - 1];
      if (last && last.endMonoMs === null) last.endMonoMs = c.monoMs;
      this.vad.speaking = false;
    }
    this.emit(c.kind, c.monoMs);
  }

  /** While talking, a timer ends the turn when no audio comes for the hangover (DTX, a stalled stream). */
  private armHangover(): void {
    clearTimeout(this.hangoverTimer);
    if (!this.vad.speaking || this.vad.lastSpeechEndMono === undefined) return;
    const due = this.vad.lastSpeechEndMono + this.vad.settings.hangoverMs - monoNow();
    this.hangoverTimer = setTimeout(() => {
      const c = this.vad.idle(monoNow());
      if (c) this.apply(c);
      else this.armHangover();
    }, Math.max(1, Math.ceil(due) + 20));
    this.hangoverTimer.unref();
  }

  private wait<T>(withinMs: number, timeoutMsg: string, arm: (done: (v: T) => void) => () => void): Promise<T> {
    if (this.closedFlag) return Promise.reject(new SpeechWaitError('the call media is closed', 'closed'));
    return new Promise<T>((resolve, reject) => {
      let disarm = (): void => {};
      let settled = false;
      const finish = (f: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.off('closed', onClosed);
        disarm();
        f();
      };
      const timer = setTimeout(() => finish(() => reject(new SpeechWaitError(timeoutMsg, 'timeout'))), Math.max(0, withinMs));
      const onClosed = (): void => finish(() => reject(new SpeechWaitError('the call media closed while waiting', 'closed')));
      this.once('closed', onClosed);
      const off = arm((v) => finish(() => resolve(v)));
      if (settled) off(); // done at once, inside arm
      else disarm = off;
    });
  }
}
