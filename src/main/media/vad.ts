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
 */
import { DEFAULT_VAD_MIN_FRAMES, DEFAULT_VAD_THRESHOLD_DBFS, SAMPLES_PER_PACKET, CLOCK_RATE } from './media-config';

/** RMS level of 16-bit samples in dBFS (0 = full scale square wave; a full-scale sine is −3.01). −Infinity for digital silence. */
export function frameDbfs(samples: Int16Array): number {
  if (samples.length === 0) return -Infinity;
  let sum = 0;
  for (const s of samples) sum += s * s;
  const rms = Math.sqrt(sum / samples.length);
  return rms === 0 ? -Infinity : 20 * Math.log10(rms / 32768);
}

/** Energy VAD (see the file comment). Feed it audio as it arrives; it reports the first voice once. */
export class EnergyVad {
  private readonly frame = new Int16Array(SAMPLES_PER_PACKET);
  private fill = 0;
  /** Stamp (ms) of the frame being filled: the stamp of its first sample. */
  private frameMono = 0;
  private run = 0;
  private runStartMono = 0;
  /** Monotonic stamp (ms) of the first voice, once found. */
  firstVoiceMonoMs: number | undefined;

  /**
   * @param thresholdDbfs - frame RMS at or above which a frame is speech (default −40).
   * @param minFrames - consecutive speech frames that make voice (default 3 = 60 ms).
   */
  constructor(
    readonly thresholdDbfs = DEFAULT_VAD_THRESHOLD_DBFS,
    readonly minFrames = DEFAULT_VAD_MIN_FRAMES,
  ) {}

  /**
   * Adds samples whose first one is stamped `monoMs` (the arrival of the packet carrying them);
   * later samples are stamped 1/8 ms apart.
   * @returns the first-voice stamp (ms) when these samples complete the first voice run, else undefined.
   */
  push(samples: Int16Array, monoMs: number): number | undefined {
    if (this.firstVoiceMonoMs !== undefined) return undefined;
    for (let i = 0; i < samples.length; i++) {
      if (this.fill === 0) this.frameMono = monoMs + (i * 1000) / CLOCK_RATE;
      this.frame[this.fill++] = samples[i]!;
      if (this.fill < this.frame.length) continue;
      this.fill = 0;
      if (frameDbfs(this.frame) >= this.thresholdDbfs) {
        if (this.run === 0) this.runStartMono = this.frameMono;
        this.run += 1;
        if (this.run >= this.minFrames) {
          this.firstVoiceMonoMs = this.runStartMono;
          return this.firstVoiceMonoMs;
        }
      } else {
        this.run = 0;
      }
    }
    return undefined;
  }

  /** Forgets a partly filled frame (after lost packets, so frames do not span a gap). */
  resetFrame(): void {
    this.fill = 0;
  }
}
