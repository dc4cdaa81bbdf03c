/** Prompts: any WAV wavefile reads, converted to 8 kHz mono 16-bit; G.711 round trip; clear errors. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import wavefile from 'wavefile';
import { g711Decode, g711Encode } from '../../../src/main/media/g711';
import { loadPrompt, PromptError, wavToPrompt } from '../../../src/main/media/prompt';

const dir = mkdtempSync(join(tmpdir(), 'prompt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sine(rate: number, seconds: number, hz: number, amp: number): number[] {
  return Array.from({ length: Math.round(rate * seconds) }, (_, i) => Math.round(amp * Math.sin((2 * Math.PI * hz * i) / rate)));
}

describe('wavToPrompt', () => {
  it('turns a 44.1 kHz 24-bit stereo file into 8 kHz mono 16-bit of the same length', () => {
    const ch = sine(44100, 0.5, 300, 4_000_000);
    const w = new wavefile.WaveFile();
    w.fromScratch(2, 44100, '24', [ch, ch]);
    const out = wavToPrompt(w.toBuffer());
    expect(out).toBeInstanceOf(Int16Array);
    expect(Math.abs(out.length - 4000)).toBeLessThanOrEqual(2);
    const peak = Math.max(...out.slice(100, 3900).map(Math.abs));
    expect(peak).toBeGreaterThan(0.9 * (4_000_000 / 256));
    expect(peak).toBeLessThan(1.1 * (4_000_000 / 256));
  });

  it('decodes µ-law and A-law WAVs and keeps an 8 kHz mono 16-bit one as it is', () => {
    const pcm = Int16Array.from(sine(8000, 0.1, 500, 10000));
    const w = new wavefile.WaveFile();
    w.fromScratch(1, 8000, '16', pcm);
    expect([...wavToPrompt(w.toBuffer())]).toEqual([...pcm]);
    // A µ-law file (format 7) written from G.711 octets.
    const ulaw = new wavefile.WaveFile();
    ulaw.fromScratch(1, 8000, '8m', new Uint8Array(g711Encode('PCMU', pcm)));
    const back = wavToPrompt(ulaw.toBuffer());
    expect(back.length).toBe(pcm.length);
    expect(Math.max(...back.map((s, i) => Math.abs(s - pcm[i]!)))).toBeLessThan(400);
    const alaw = new wavefile.WaveFile();
    alaw.fromScratch(1, 8000, '8a', new Uint8Array(g711Encode('PCMA', pcm)));
    expect(Math.max(...wavToPrompt(alaw.toBuffer()).map((s, i) => Math.abs(s - pcm[i]!)))).toBeLessThan(400);
  });

  it('throws a PromptError naming the source for bytes that are not a WAV', async () => {
    expect(() => wavToPrompt(Buffer.from('not a wav'), 'x.wav')).toThrow(PromptError);
    expect(() => wavToPrompt(Buffer.from('not a wav'), 'x.wav')).toThrow(/x\.wav/);
    await expect(loadPrompt(join(dir, 'missing.wav'))).rejects.toThrow(/cannot read prompt/);
    const bad = join(dir, 'bad.wav');
    writeFileSync(bad, 'RIFF....WAVEjunk');
    await expect(loadPrompt(bad)).rejects.toBeInstanceOf(PromptError);
  });

  it('loads a file path and passes samples through', async () => {
    const w = new wavefile.WaveFile();
    w.fromScratch(1, 16000, '16', sine(16000, 0.2, 400, 8000));
    const file = join(dir, 'p.wav');
    writeFileSync(file, w.toBuffer());
    expect((await loadPrompt(file)).length).toBe(1600);
    const s = new Int16Array(3);
    expect(await loadPrompt(s)).toBe(s);
  });
});

describe('G.711', () => {
  it('PCMU and PCMA round trip within the quantisation step, one octet per sample', () => {
    const pcm = Int16Array.from(sine(8000, 0.02, 1000, 20000));
    for (const codec of ['PCMU', 'PCMA'] as const) {
      const enc = g711Encode(codec, pcm);
      expect(enc.length).toBe(160);
      const dec = g711Decode(codec, enc);
      expect(Math.max(...dec.map((s, i) => Math.abs(s - pcm[i]!)))).toBeLessThan(1100);
    }
    expect(g711Encode('PCMU', new Int16Array(1))[0]).toBe(0xff);
    expect(g711Encode('PCMA', new Int16Array(1))[0]).toBe(0xd5);
  });
});
