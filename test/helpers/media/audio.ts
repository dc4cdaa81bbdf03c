/**
 * Test audio: synthetic prompts (chirps, silence) at 8 kHz, reading a WAV back, and the normalised
 * cross-correlation that says whether a recording matches what was played.
 */
import { readFileSync } from 'node:fs';
import wavefile from 'wavefile';

/** A linear chirp from `fromHz` to `toHz` over `ms`, at `rate` Hz (default 8000), peak `amplitude` (default −12 dBFS). */
export function chirp(ms: number, fromHz = 300, toHz = 3000, amplitude = 8000, rate = 8000): Int16Array {
  const n = Math.round((ms * rate) / 1000);
  const out = new Int16Array(n);
  const seconds = n / rate;
  for (let i = 0; i < n; i++) {
    const t = i / rate;
    const phase = 2 * Math.PI * (fromHz * t + ((toHz - fromHz) * t * t) / (2 * seconds));
    out[i] = Math.round(amplitude * Math.sin(phase));
  }
  return out;
}

/** `ms` of digital silence at 8 kHz. */
export function silence(ms: number): Int16Array {
  return new Int16Array(Math.round(ms * 8));
}

/** The parts one after the other. */
export function concat(...parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The samples of a mono WAV file, with its rate and bit depth. */
export function readWav(path: string): { rate: number; channels: number; bitDepth: string; samples: Int16Array } {
  const w = new wavefile.WaveFile(readFileSync(path));
  const fmt = w.fmt as { sampleRate: number; numChannels: number };
  return { rate: fmt.sampleRate, channels: fmt.numChannels, bitDepth: w.bitDepth, samples: w.getSamples(false, Int16Array) as unknown as Int16Array };
}

/**
 * The largest normalised cross-correlation of `a` and `b` over lags −maxLag..maxLag samples
 * (`b[i + lag]` against `a[i]`, over the overlap): 1 for identical shapes, about 0 for unrelated
 * signals.
 * @returns the best value and its lag.
 */
export function normalizedCrossCorrelation(a: Int16Array, b: Int16Array, maxLag = 800): { value: number; lag: number } {
  let best = { value: -1, lag: 0 };
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    let sab = 0;
    let saa = 0;
    let sbb = 0;
    for (let i = Math.max(0, -lag); i < a.length && i + lag < b.length; i++) {
      const x = a[i]!;
      const y = b[i + lag]!;
      sab += x * y;
      saa += x * x;
      sbb += y * y;
    }
    const v = saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
    if (v > best.value) best = { value: v, lag };
  }
  return best;
}

/** Polls `cond` every 10 ms until it is true. @throws (rejects) after `timeoutMs`, naming `what`. */
export async function waitUntil(cond: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!cond()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
