/**
 * An energy voice activity detector over 20 ms frames of 8 kHz audio: a frame is speech when its
 * RMS level is at or above a threshold in dBFS; voice starts at the first of `minFrames`
 * consecutive speech frames.
 *
 * Why the default threshold is −40 dBFS (RMS, 0 dBFS = full-scale 16-bit): telephone speech is
 * levelled near −26 dBov active speech level (ITU-T P.56 measurement, the nominal level of G.711
 * networks; dBov ≈ dBFS here), and quiet talkers and TTS prompts sit around −30 to −36. Line noise,
 * comfort noise and G.711 idle-channel noise are −50 dBFS and below (digital silence is far
 * lower). −40 dBFS therefore sits about 14 dB under nominal speech and 10 dB or more above the
 * noise, so the onset of a greeting is caught in its first voiced frame while hiss is not. The run
 * of 3 frames (60 ms) rejects clicks and single-packet bursts (a DTMF start, a codec glitch), which
 * are shorter than a syllable's voiced part (≥ 80 ms).
 *
 * Turns ({@link SpeechVad}): a turn ends once 300 ms (the default hangover) passed after its last
 * speech frame: longer than the pauses inside a sentence (stop closures, breaths between words:
 * 100-250 ms) so one utterance is one turn, and short enough that "the bot stopped talking" is
 * known soon (assumed here; telephone VADs hang over 100-300 ms, e.g. ITU-T G.729 Annex B).
 */
import { DEFAULT_VAD_HANGOVER_MS, DEFAULT_VAD_MIN_FRAMES, DEFAULT_VAD_THRESHOLD_DBFS, SAMPLES_PER_PACKET, CLOCK_RATE } from './media-config';
import { DEFAULT_ONSET_LOOKBACK_MS, OnsetTracker } from './onset';

/** RMS level of 16-bit samples in dBFS (0 = full scale square wave; a full-scale sine is −3.01). −Infinity for digital silence. */
export function frameDbfs(samples: Int16Array): number {
  if (samples.length === 0) return -Infinity;
  let sum = 0;
  for (const s of samples) sum += s * s;
  const rms = Math.sqrt(sum / samples.length);
  return rms === 0 ? -Infinity : 20 * Math.log10(rms / 32768);
}

/** Settings of a {@link SpeechVad}. */
export interface VadSettings {
  /** Frame RMS (dBFS) at or above which a 20 ms frame is speech (default −40; see the file comment). */
  thresholdDbfs: number;
  /** Consecutive speech that starts a turn (ms, rounded up to 20 ms frames; default 60). */
  minSpeechMs: number;
  /** Non-speech after the last speech frame before the turn is declared over (ms; default {@link DEFAULT_VAD_HANGOVER_MS}). */
  hangoverMs: number;
  /**
   * How far a turn's start may move back over the quieter audio leading into it (ms; onset.ts;
   * default {@link DEFAULT_ONSET_LOOKBACK_MS}; 0 = the first frame of the run, as `EnergyVad`).
   */
  onsetLookbackMs: number;
}

/** Defaults of {@link VadSettings}. */
export const DEFAULT_VAD_SETTINGS: Readonly<VadSettings> = {
  thresholdDbfs: DEFAULT_VAD_THRESHOLD_DBFS,
  minSpeechMs: DEFAULT_VAD_MIN_FRAMES * 20,
  hangoverMs: DEFAULT_VAD_HANGOVER_MS,
  onsetLookbackMs: DEFAULT_ONSET_LOOKBACK_MS,
};

/**
 * A change of the far end's speech: `speech-start` stamped at the first frame of the run that
 * started it (moved back over its lead-in, onset.ts), `speech-end` at the end of its last speech frame (monotonic ms, the call's clock).
 */
export interface SpeechChange {
  kind: 'speech-start' | 'speech-end';
  monoMs: number;
}

/** Rounding slack (ms) when the hangover is compared with a gap between two fractional stamps. */
const HANGOVER_SLACK_MS = 1e-6;

/**
 * Energy VAD with hangover over 20 ms frames of 8 kHz audio (see the file comment for the
 * threshold): speech starts at the first of a run of speech frames lasting `minSpeechMs`, and ends
 * once `hangoverMs` passed after the last speech frame, whether by later non-speech frames or by
 * time alone ({@link SpeechVad.idle}: comfort noise, discontinuous transmission, lost packets).
 */
export class SpeechVad {
  private readonly frame = new Int16Array(SAMPLES_PER_PACKET);
  private fill = 0;
  /** Stamp (ms) of the frame being filled: the stamp of its first sample. */
  private frameMono = 0;
  private run = 0;
  private runStartMono = 0;
  private readonly s: VadSettings;
  private readonly onset: OnsetTracker | undefined;
  /** True between a speech-start and its speech-end. */
  speaking = false;
  /** End (monotonic ms) of the last speech frame of a started turn; undefined before any. */
  lastSpeechEndMono: number | undefined;

  /** @param settings - any of {@link VadSettings}; the rest are the defaults. Bad numbers fall back to the default. */
  constructor(settings: Partial<VadSettings> = {}) {
    this.s = resolveVadSettings(settings);
    this.onset = this.s.onsetLookbackMs > 0 ? new OnsetTracker(this.s.onsetLookbackMs) : undefined;
  }

  /** The settings in force. */
  get settings(): Readonly<VadSettings> {
    return this.s;
  }

  /**
   * Adds decoded audio whose first sample is stamped `monoMs` (later samples 1/8 ms apart).
   * @returns the speech changes these samples caused, in order (often none).
   */
  push(samples: Int16Array, monoMs: number): SpeechChange[] {
    const out: SpeechChange[] = [];
    const minFrames = Math.max(1, Math.ceil(this.s.minSpeechMs / 20));
    for (let i = 0; i < samples.length; i++) {
      if (this.fill === 0) this.frameMono = monoMs + (i * 1000) / CLOCK_RATE;
      this.frame[this.fill++] = samples[i]!;
      if (this.fill < this.frame.length) continue;
      this.fill = 0;
      const frameEnd = this.frameMono + (SAMPLES_PER_PACKET * 1000) / CLOCK_RATE;
      if (this.onset) {
        const half = SAMPLES_PER_PACKET / 2;
        this.onset.add(this.frameMono, frameDbfs(this.frame.subarray(0, half)));
        this.onset.add(this.frameMono + (half * 1000) / CLOCK_RATE, frameDbfs(this.frame.subarray(half)));
      }
      if (frameDbfs(this.frame) >= this.s.thresholdDbfs) {
        if (this.run === 0) this.runStartMono = this.frameMono;
        this.run += 1;
        if (this.speaking) this.lastSpeechEndMono = frameEnd;
        else if (this.run >= minFrames) {
          this.speaking = true;
          this.lastSpeechEndMono = frameEnd;
          out.push({ kind: 'speech-start', monoMs: this.onset ? this.onset.refine(this.runStartMono, this.s.thresholdDbfs) : this.runStartMono });
        }
      } else {
        this.run = 0;
        const end = this.idle(frameEnd);
        if (end) out.push(end);
      }
    }
    return out;
  }

  /**
   * Time passed without speech up to `nowMono` (a non-speech frame, a comfort-noise packet, or a
   * timer while nothing arrives).
   * @returns the speech-end when the hangover has run out, else undefined.
   */
  idle(nowMono: number): SpeechChange | undefined {
    if (!this.speaking || this.lastSpeechEndMono === undefined) return undefined;
    // A µs of slack: stamps are sums of fractional ms (t + 680 + 20 vs t + 800), and a hangover that
    // has run exactly must end the turn whatever the rounding.
    if (nowMono - this.lastSpeechEndMono < this.s.hangoverMs - HANGOVER_SLACK_MS) return undefined;
    this.speaking = false;
    this.run = 0;
    return { kind: 'speech-end', monoMs: this.lastSpeechEndMono };
  }

  /** Forgets a partly filled frame and the current run (after lost packets, so frames do not span a gap). */
  resetFrame(): void {
    this.fill = 0;
    this.onset?.reset();
  }
}

/** Applies the defaults to VAD settings; an out-of-range number (threshold above 0, negative ms) takes the default. */
export function resolveVadSettings(s: Partial<VadSettings> = {}): VadSettings {
  const ok = (v: number | undefined, good: (n: number) => boolean): v is number => v !== undefined && Number.isFinite(v) && good(v);
  return {
    thresholdDbfs: ok(s.thresholdDbfs, (n) => n <= 0) ? s.thresholdDbfs : DEFAULT_VAD_SETTINGS.thresholdDbfs,
    minSpeechMs: ok(s.minSpeechMs, (n) => n >= 0) ? s.minSpeechMs : DEFAULT_VAD_SETTINGS.minSpeechMs,
    hangoverMs: ok(s.hangoverMs, (n) => n >= 0) ? s.hangoverMs : DEFAULT_VAD_SETTINGS.hangoverMs,
    onsetLookbackMs: ok(s.onsetLookbackMs, (n) => n >= 0) ? s.onsetLookbackMs : DEFAULT_VAD_SETTINGS.onsetLookbackMs,
  };
}

/**
 * First-voice detector (the answer-to-first-voice mark): a {@link SpeechVad} whose first
 * speech-start is kept. Feed it audio as it arrives; it reports the first voice once.
 */
export class EnergyVad {
  private readonly vad: SpeechVad;
  /** Monotonic stamp (ms) of the first voice, once found. */
  firstVoiceMonoMs: number | undefined;

  /**
   * @param thresholdDbfs - frame RMS at or above which a frame is speech (default −40).
   * @param minFrames - consecutive speech frames that make voice (default 3 = 60 ms).
   */
  constructor(
    readonly thresholdDbfs = DEFAULT_VAD_THRESHOLD_DBFS,
    readonly minFrames = DEFAULT_VAD_MIN_FRAMES,
  ) {
    this.vad = new SpeechVad({ thresholdDbfs, minSpeechMs: minFrames * 20, onsetLookbackMs: 0 });
  }

  /**
   * Adds samples whose first one is stamped `monoMs` (the arrival of the packet carrying them);
   * later samples are stamped 1/8 ms apart.
   * @returns the first-voice stamp (ms) when these samples complete the first voice run, else undefined.
   */
  push(samples: Int16Array, monoMs: number): number | undefined {
    if (this.firstVoiceMonoMs !== undefined) return undefined;
    const start = this.vad.push(samples, monoMs).find((c) => c.kind === 'speech-start');
    if (start) this.firstVoiceMonoMs = start.monoMs;
    return start?.monoMs;
  }

  /** Forgets a partly filled frame (after lost packets, so frames do not span a gap). */
  resetFrame(): void {
    this.vad.resetFrame();
  }
}
