/** The energy VAD: frame levels in dBFS, the threshold, the run of frames, the stamp of the first frame. */
import { describe, expect, it } from 'vitest';
import { EnergyVad, frameDbfs } from '../../../src/main/media/vad';

function tone(n: number, amplitude: number, hz = 440): Int16Array {
  return Int16Array.from({ length: n }, (_, i) => Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / 8000)));
}

describe('frameDbfs', () => {
  it('gives −3 dBFS for a full-scale sine, −Infinity for digital silence, −6 dB per halving', () => {
    expect(frameDbfs(tone(160, 32767))).toBeCloseTo(-3.01, 1);
    expect(frameDbfs(new Int16Array(160))).toBe(-Infinity);
    expect(frameDbfs(tone(160, 8192)) - frameDbfs(tone(160, 16384))).toBeCloseTo(-6.02, 1);
  });
});

describe('EnergyVad', () => {
  // −26 dBFS speech-like tone: RMS = 32768 · 10^(−26/20) ≈ 1646 → amplitude ≈ 2328.
  const speech = tone(160, 2328);
  const hiss = tone(160, 200); // about −47 dBFS

  it('stamps the first of 3 consecutive speech frames, after silence and hiss', () => {
    const vad = new EnergyVad();
    let found: number | undefined;
    for (let i = 0; i < 10; i++) found ??= vad.push(i < 5 ? new Int16Array(160) : hiss, i * 20);
    expect(found).toBeUndefined();
    expect(vad.push(speech, 200)).toBeUndefined();
    expect(vad.push(speech, 220)).toBeUndefined();
    expect(vad.push(speech, 240)).toBe(200);
    expect(vad.firstVoiceMonoMs).toBe(200);
    expect(vad.push(speech, 260)).toBeUndefined(); // once only
  });

  it('ignores bursts shorter than the run (a click, a two-frame blip)', () => {
    const vad = new EnergyVad(-40, 3);
    const frames = [speech, new Int16Array(160), speech, speech, hiss, speech];
    expect(frames.map((f, i) => vad.push(f, i * 20)).every((x) => x === undefined)).toBe(true);
  });

  it('frames audio that arrives in other packet sizes, stamping each frame from its first sample', () => {
    const vad = new EnergyVad(-40, 2);
    // 10 ms packets (80 samples): silence for 30 ms, then speech; frames are 20 ms from the first sample.
    const chunks = [new Int16Array(80), new Int16Array(80), new Int16Array(80), speech.subarray(0, 80), speech.subarray(80), speech.subarray(0, 80), speech.subarray(80)];
    const out = chunks.map((c, i) => vad.push(c, i * 10));
    // Frame 2 = samples 320..479 (30 ms silence … 50 ms) is half speech: RMS −29 dBFS, counts as speech; stamped at 20 ms.
    expect(out.find((x) => x !== undefined)).toBe(20);
  });

  it('uses its threshold', () => {
    const strict = new EnergyVad(-20, 1);
    expect(strict.push(speech, 0)).toBeUndefined();
    const lax = new EnergyVad(-50, 1);
    expect(lax.push(hiss, 0)).toBe(0);
  });
});
