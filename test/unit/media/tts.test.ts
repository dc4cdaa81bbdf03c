/** Offline text-to-speech (Flite on WASI): 8 kHz speech that the VAD hears, lengths that follow the text and the rate, one-line errors. */
import { describe, expect, it } from 'vitest';
import { synthesize, TtsError, ttsAvailable } from '../../../src/main/media/tts';
import { SpeechVad, frameDbfs } from '../../../src/main/media/vad';

/** Loudest 20 ms frame (dBFS). */
function peakFrameDbfs(s: Int16Array): number {
  let best = -Infinity;
  for (let i = 0; i + 160 <= s.length; i += 160) best = Math.max(best, frameDbfs(s.subarray(i, i + 160)));
  return best;
}

describe('synthesize', () => {
  it('is installed', () => {
    expect(ttsAvailable()).toBe(true);
  });

  it('speaks a sentence as non-silent 8 kHz audio in which the VAD finds a turn', async () => {
    const s = await synthesize('I want to talk to a person');
    expect(s).toBeInstanceOf(Int16Array);
    const ms = s.length / 8;
    expect(ms).toBeGreaterThan(800);
    expect(ms).toBeLessThan(5000);
    expect(peakFrameDbfs(s)).toBeGreaterThan(-30);
    const vad = new SpeechVad();
    const changes = [...vad.push(s, 0), ...vad.push(new Int16Array(8000), ms)];
    expect(changes.map((c) => c.kind)).toContain('speech-start');
    expect(changes.at(-1)?.kind).toBe('speech-end');
    const start = changes.find((c) => c.kind === 'speech-start')!.monoMs;
    expect(start).toBeLessThan(ms / 2);
  });

  it('takes longer for more words and at a slower rate, and resamples the 16 kHz voices to 8 kHz', async () => {
    const short = await synthesize('yes');
    const long = await synthesize('yes, I would like to speak to an agent about my account please');
    expect(long.length).toBeGreaterThan(short.length * 2);
    const slow = await synthesize('speak to an agent', { rateWpm: 100 });
    const fast = await synthesize('speak to an agent', { rateWpm: 250 });
    expect(slow.length).toBeGreaterThan(fast.length * 1.5);
    const slt = await synthesize('speak to an agent', { voice: 'slt' });
    // Same words in another voice at 8 kHz: the same order of length (not twice as long as at 16 kHz).
    expect(slt.length / fast.length).toBeLessThan(4);
    expect(peakFrameDbfs(slt)).toBeGreaterThan(-30);
  });

  it('rejects empty text, an unknown voice and a silly rate with a TtsError', async () => {
    await expect(synthesize('   ')).rejects.toThrow(TtsError);
    await expect(synthesize('hi', { voice: 'hal' as never })).rejects.toThrow(/unknown voice "hal"/);
    await expect(synthesize('hi', { rateWpm: 5 })).rejects.toThrow(/outside 60..400/);
  });
});
