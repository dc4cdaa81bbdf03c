/** Far-end turns: the VAD's hangover, comfort noise and silence, and the waits a test case uses. */
import { describe, expect, it } from 'vitest';
import { monoNow } from '../../../src/main/clock';
import { FarEndSpeech, SpeechWaitError } from '../../../src/main/media/far-end-speech';
import { SpeechVad } from '../../../src/main/media/vad';

function tone(n: number, amplitude: number, hz = 440): Int16Array {
  return Int16Array.from({ length: n }, (_, i) => Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / 8000)));
}
const speech = tone(160, 2328); // −26 dBFS
const hiss = tone(160, 200); // −47 dBFS
const quiet = new Int16Array(160);

describe('SpeechVad', () => {
  it('starts a turn at the first frame of a 60 ms run and ends it at the last speech frame once the hangover ran', () => {
    const vad = new SpeechVad({ hangoverMs: 100, onsetLookbackMs: 0 });
    const frames = [quiet, hiss, speech, speech, speech, speech, hiss, quiet, speech, quiet, quiet, quiet, quiet, quiet, quiet];
    const out = frames.flatMap((f, i) => vad.push(f, i * 20));
    // Speech from frame 2 (40 ms); a 40 ms pause (frames 6-7) is inside the hangover; last speech frame 8 ends at 180 ms.
    expect(out).toEqual([
      { kind: 'speech-start', monoMs: 40 },
      { kind: 'speech-end', monoMs: 180 },
    ]);
    expect(vad.speaking).toBe(false);
  });

  it('ends a turn by time alone when no audio comes (comfort noise, DTX) and not before the hangover', () => {
    const vad = new SpeechVad({ hangoverMs: 300 });
    [speech, speech, speech].forEach((f, i) => vad.push(f, i * 20));
    expect(vad.speaking).toBe(true);
    expect(vad.idle(60 + 299)).toBeUndefined();
    expect(vad.idle(60 + 300)).toEqual({ kind: 'speech-end', monoMs: 60 });
  });

  it('moves a start back over a soft lead-in on a quiet line (two thresholds), not on a noisy one', () => {
    const soft = tone(160, 300); // about −44.8 dBFS: under the −40 threshold, over the −50 lower one
    const quietLine = new SpeechVad();
    const frames = [...Array<Int16Array>(20).fill(quiet), soft, soft, quiet, soft, speech, speech, speech];
    const start = frames.flatMap((f, i) => quietLine.push(f, i * 20)).find((c) => c.kind === 'speech-start');
    // Speech frames from 480 ms; the soft lead-in from 400 ms, across a 20 ms dip (440-460 ms).
    expect(start?.monoMs).toBe(400);
    // Line noise as loud as the lead-in (−44.8 dBFS): the lower threshold would be 6 dB over it, above
    // the upper one, so the start stays on the first speech frame (440 ms).
    const noisyLine = new SpeechVad();
    const noisy = [...Array<Int16Array>(20).fill(tone(160, 300, 1000)), soft, soft, speech, speech, speech];
    expect(noisy.flatMap((f, i) => noisyLine.push(f, i * 20)).find((c) => c.kind === 'speech-start')?.monoMs).toBe(440);
  });

  it('takes its threshold and min speech from the settings', () => {
    const lax = new SpeechVad({ thresholdDbfs: -50, minSpeechMs: 20 });
    expect(lax.push(hiss, 0)).toEqual([{ kind: 'speech-start', monoMs: 0 }]);
    const strict = new SpeechVad({ minSpeechMs: 100 });
    expect([speech, speech, speech, speech].flatMap((f, i) => strict.push(f, i * 20))).toEqual([]);
    expect(strict.push(speech, 80)).toEqual([{ kind: 'speech-start', monoMs: 0 }]);
  });
});

describe('FarEndSpeech', () => {
  it('counts comfort noise and silence packets as no speech, and records each turn', () => {
    const s = new FarEndSpeech({ hangoverMs: 100, onsetLookbackMs: 0 });
    const t0 = monoNow();
    for (let i = 0; i < 20; i++) s.comfortNoise(t0 + i * 20);
    for (let i = 0; i < 10; i++) s.audio(i % 2 ? quiet : hiss, t0 + 400 + i * 20);
    expect(s.segments).toEqual([]);
    for (let i = 0; i < 5; i++) s.audio(speech, t0 + 600 + i * 20);
    expect(s.speaking).toBe(true);
    s.comfortNoise(t0 + 750);
    expect(s.speaking).toBe(true); // 50 ms after the last speech frame: inside the hangover
    s.comfortNoise(t0 + 800);
    expect(s.segments).toEqual([{ startMonoMs: t0 + 600, endMonoMs: t0 + 700 }]);
    s.close();
  });

  it('waitForSpeech resolves on the next turn, at once while talking, and with sinceMonoMs for a turn already begun', async () => {
    const s = new FarEndSpeech();
    const t0 = monoNow();
    const waiting = s.waitForSpeech({ withinMs: 5000 });
    for (let i = 0; i < 3; i++) s.audio(speech, t0 + i * 20);
    await expect(waiting).resolves.toBe(t0);
    await expect(s.waitForSpeech({ withinMs: 0 })).resolves.toBe(t0); // still talking
    s.configure({ hangoverMs: 0 }); // ends the turn
    expect(s.speaking).toBe(false);
    await expect(s.waitForSpeech({ withinMs: 5000, sinceMonoMs: t0 - 1 })).resolves.toBe(t0);
    await expect(s.waitForSpeech({ withinMs: 10 })).rejects.toMatchObject({ name: 'SpeechWaitError', reason: 'timeout' });
    s.close();
  });

  it('waitForSilence waits for the turn to end and the silence to last, and rejects when the media closes', async () => {
    const s = new FarEndSpeech({ hangoverMs: 40 });
    const t0 = monoNow();
    for (let i = 0; i < 3; i++) s.audio(speech, t0 + i * 20);
    let silentSince: number | undefined;
    const waiting = s.waitForSilence({ forMs: 80, withinMs: 5000 }).then((t) => (silentSince = t));
    await new Promise((r) => setImmediate(r));
    expect(silentSince).toBeUndefined(); // still talking
    await waiting; // the hangover timer ends the turn without more audio; then 80 ms of silence
    expect(silentSince).toBe(t0 + 60);
    expect(monoNow() - silentSince!).toBeGreaterThanOrEqual(80);
    const never = s.waitForSilence({ forMs: 60_000, withinMs: 60_000 });
    s.close();
    await expect(never).rejects.toBeInstanceOf(SpeechWaitError);
    await expect(never).rejects.toMatchObject({ reason: 'closed' });
  });
});
