/**
 * Onset refinement for the energy VAD (vad.ts): once a run of speech frames has started a turn,
 * the start is moved back over the quieter audio that leads into it (a fricative, a soft attack)
 * with a second, lower threshold, the two-threshold endpoint method of Rabiner and Sambur ("An
 * algorithm for determining the endpoints of isolated utterances", Bell Syst. Tech. J. 54(2), 1975):
 * the upper threshold makes the decision, the lower one places the boundary.
 *
 * Resolution: 10 ms half-frames; the move back crosses dips under the lower threshold of up to
 * 60 ms (the closure after a stop's burst, the gap after a weak "th"). Lower threshold: 10 dB under
 * the upper one (−50 dBFS by default: where speech is audible on a quiet line), but 3 dB above the
 * top of the line's noise (the 90th percentile of the half-frame levels seen before the look-back
 * window, so a noise whose level wanders is not taken for speech), and never above the upper
 * threshold: on a noisy line the start stays where the upper threshold put it, on a quiet one it
 * moves back to where the speech became audible. Figures: `npm run bench:vad`.
 * Look-back is bounded (default {@link DEFAULT_ONSET_LOOKBACK_MS}).
 */

/** Default longest move of a start back (ms): a fricative or a soft attack lasts up to ~200 ms. */
export const DEFAULT_ONSET_LOOKBACK_MS = 200;
/** Half-frame length (ms). */
const HALF_MS = 10;
/** Longest dip below the lower threshold crossed when moving back (ms): a stop closure, a weak fricative's gap. */
const MAX_GAP_MS = 60;
/** History of half-frame levels kept for the noise floor (count: 1 s). */
const NOISE_WINDOW = 100;

/** Recent 10 ms levels of a stream and the refinement of a turn's start (see the file comment). */
export class OnsetTracker {
  /** [stamp (ms), level (dBFS)] of recent half-frames, oldest first. */
  private readonly halves: [number, number][] = [];

  /** @param lookbackMs - longest move back (ms). */
  constructor(private readonly lookbackMs = DEFAULT_ONSET_LOOKBACK_MS) {}

  /** Notes a 10 ms half-frame starting at `monoMs` with level `db` (dBFS). */
  add(monoMs: number, db: number): void {
    this.halves.push([monoMs, db]);
    const keep = NOISE_WINDOW + Math.ceil(this.lookbackMs / HALF_MS) + 4;
    if (this.halves.length > keep) this.halves.splice(0, this.halves.length - keep);
  }

  /** Forgets the history (a gap in the audio: levels on both sides do not join). */
  reset(): void {
    this.halves.length = 0;
  }

  /**
   * The refined start of a turn whose first speech frame starts at `runStartMs`.
   * @param upperDbfs - the VAD's threshold.
   * @returns a stamp at most `lookbackMs` before `runStartMs`, or 10 ms after it when the run's
   *   first half-frame is below the lower threshold; `runStartMs` when nothing is known.
   */
  refine(runStartMs: number, upperDbfs: number): number {
    const h = this.halves;
    const first = h.findIndex(([t]) => t >= runStartMs - 0.01);
    if (first < 0) return runStartMs;
    const older = h.filter(([t]) => t < runStartMs - this.lookbackMs).map(([, db]) => db).sort((a, b) => a - b);
    const noiseTop = older.length >= 5 ? older[Math.floor(older.length * 0.9)]! : -Infinity;
    const lower = Math.min(upperDbfs, Math.max(upperDbfs - 10, noiseTop + 3));
    let start = first;
    if (lower >= upperDbfs) return runStartMs; // the line is too noisy to place the start any better
    if (h[first]![1] < lower && h[first + 1] && h[first + 1]![1] >= upperDbfs) return h[first + 1]![0];
    // Back over half-frames at or above the lower threshold, across dips of at most MAX_GAP_MS
    // (a stop's closure after its burst, the weak start of "th"), within the look-back.
    let gap = 0;
    for (let i = first - 1; i >= 0; i--) {
      if (runStartMs - h[i]![0] > this.lookbackMs || h[i + 1]![0] - h[i]![0] > HALF_MS + 1) break;
      if (h[i]![1] >= lower) {
        start = i;
        gap = 0;
      } else if ((gap += HALF_MS) > MAX_GAP_MS) break;
    }
    return h[start]![0];
  }
}
