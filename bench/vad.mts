/**
 * Benchmark: how close the far-end speech detector's onset is to the known onset of speech.
 *
 * Test audio: Flite (the app's offline TTS) speaks 12 sentences in 4 voices. A clip's speech
 * onset is where its clean waveform becomes audible: the first 5 ms window at or above −50 dBFS
 * RMS (Flite's own pauses sit at −60 to −70 dBFS, so this is 10-20 dB over them; a label on the
 * clean signal, at 5 ms resolution, independent of the detector's 20 ms frames and −40 dBFS).
 * Each clip is put after a known lead-in of 300-1500 ms (never a multiple of 20 ms, so packet
 * framing shows) of one of four backgrounds, which also runs under the speech: digital silence,
 * white noise at −60 and −50 dBFS (line hiss), and −45 dBFS low-passed noise (a noisy line).
 * The known onset = lead-in + the clip's onset.
 *
 * (a) offline: each clip goes through G.711 µ-law (encode and decode, as on the wire) in 20 ms
 *     packets stamped 20 ms apart into a {@link FarEndSpeech} with the default settings;
 * (b) live: a few clips are played as RTP between two SipEndpoints on loopback; the onset is the
 *     sender's first packet + the lead-in, the detection the receiver's `speech-start` stamp.
 * Error = detected − known (ms; positive = late). Prints p50 / p95 / max of |error|, the signed
 * mean, misses (no speech found) and how many were found more than 20 ms early (in the lead-in).
 * Goal: p95 < 40 ms.
 * Nothing here asserts.
 *
 * Run: `npm run bench:vad`.
 */
import { monoNow } from '../src/main/clock';
import { FarEndSpeech } from '../src/main/media/far-end-speech';
import { g711Decode, g711Encode } from '../src/main/media/g711';
import { conversationOf } from '../src/main/media/conversation';
import { synthesize, type TtsVoice } from '../src/main/media/tts';
import { SipEndpoint } from '../src/main/sip/endpoint';
import { frameDbfs } from '../src/main/media/vad';

const SENTENCES = [
  'Hello, how can I help you today?',
  'I want to talk to a person.',
  'Sales, please.',
  'Thank you for calling, please hold.',
  'Yes.',
  'My account number is four five six.',
  'Fine, thanks.',
  'Say agent at any time.',
  'Something went wrong with my order.',
  'Transfer me to billing.',
  'Okay.',
  'Please press two for support.',
];
const VOICES: TtsVoice[] = ['kal', 'slt', 'rms', 'awb'];
type Background = 'silence' | 'white-60' | 'white-50' | 'pink-45';
const BACKGROUNDS: Background[] = ['silence', 'white-60', 'white-50', 'pink-45'];

/** Deterministic pseudo-random numbers (mulberry32), so runs compare. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` samples of a background at its level (RMS dBFS). */
function background(kind: Background, n: number, rand: () => number): Int16Array {
  const out = new Int16Array(n);
  if (kind === 'silence') return out;
  const db = kind === 'white-60' ? -60 : kind === 'white-50' ? -50 : -45;
  const rms = 32768 * 10 ** (db / 20);
  let low = 0;
  for (let i = 0; i < n; i++) {
    const w = (rand() * 2 - 1) * Math.sqrt(3); // unit-RMS uniform noise
    low = kind === 'pink-45' ? 0.9 * low + 0.1 * w * 3.2 : w; // a one-pole low-pass: more energy low down
    out[i] = Math.round(rms * low);
  }
  return out;
}

/** The clip's onset (ms): the first 5 ms window at or above −50 dBFS RMS. */
function onsetMs(s: Int16Array): number {
  for (let i = 0; i + 40 <= s.length; i += 40) if (frameDbfs(s.subarray(i, i + 40)) >= -50) return i / 8;
  return NaN;
}

/** Lead-in + speech + 600 ms of the same background; the speech is mixed over the background. */
function makeClip(speech: Int16Array, leadMs: number, kind: Background, rand: () => number): Int16Array {
  const lead = Math.round(leadMs * 8);
  const total = lead + speech.length + 4800;
  const out = background(kind, total, rand);
  for (let i = 0; i < speech.length; i++) out[lead + i] = Math.max(-32768, Math.min(32767, out[lead + i]! + speech[i]!));
  return out;
}

/** The detector's first speech-start over the clip in 20 ms G.711 packets stamped from 0. */
function detectOffline(clip: Int16Array): number | undefined {
  const det = new FarEndSpeech();
  let first: number | undefined;
  det.once('speech-start', (t) => (first = t));
  for (let k = 0; k * 160 < clip.length; k++) {
    const pcm = clip.subarray(k * 160, Math.min(clip.length, (k + 1) * 160));
    det.audio(g711Decode('PCMU', g711Encode('PCMU', pcm)), k * 20);
    if (first !== undefined) break;
  }
  det.close();
  return first;
}

function pct(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
}

function summary(label: string, errors: number[], misses: number, falseStarts: number): void {
  const abs = errors.map(Math.abs).sort((a, b) => a - b);
  const mean = errors.reduce((a, b) => a + b, 0) / (errors.length || 1);
  console.log(
    `${label.padEnd(26)} n=${String(errors.length).padStart(3)}  |error| p50 ${pct(abs, 50).toFixed(1).padStart(5)} ms  p95 ${pct(abs, 95).toFixed(1).padStart(5)} ms  max ${(abs.at(-1) ?? NaN).toFixed(1).padStart(5)} ms  mean ${mean >= 0 ? '+' : ''}${mean.toFixed(1)} ms  misses ${misses}  early by > 20 ms ${falseStarts}`,
  );
}

async function offline(): Promise<void> {
  const rand = rng(13);
  const all: number[] = [];
  let missAll = 0;
  let falseAll = 0;
  const byBg = new Map<Background, { e: number[]; miss: number; fs: number }>(BACKGROUNDS.map((b) => [b, { e: [], miss: 0, fs: 0 }]));
  for (const voice of VOICES) {
    for (const text of SENTENCES) {
      const speech = await synthesize(text, { voice });
      const own = onsetMs(speech);
      for (const bg of BACKGROUNDS) {
        const leadMs = 300 + Math.round(rand() * 1200) + 7 + own; // rarely on a 20 ms boundary
        const t = detectOffline(makeClip(speech, leadMs - own, bg, rand));
        const slot = byBg.get(bg)!;
        if (t === undefined) {
          slot.miss++;
          missAll++;
        } else {
          if (t < leadMs - 20) {
            slot.fs++;
            falseAll++;
          }
          slot.e.push(t - leadMs);
          if (process.env.VAD_DEBUG && Math.abs(t - leadMs) > 40) console.log(`    ${voice} ${bg} "${text}" error ${(t - leadMs).toFixed(0)} ms`);
          all.push(t - leadMs);
        }
      }
    }
  }
  console.log('(a) offline, G.711 µ-law, 20 ms packets, default settings (−40 dBFS, 60 ms, 300 ms hangover, 200 ms onset look-back)');
  for (const [bg, s] of byBg) summary(`  ${bg}`, s.e, s.miss, s.fs);
  summary('  all', all, missAll, falseAll);
}

async function live(): Promise<void> {
  const a = await SipEndpoint.start({ transport: 'udp', host: '127.0.0.1', port: 0, user: 'a' });
  const b = await SipEndpoint.start({ transport: 'udp', host: '127.0.0.1', port: 0, user: 'b' });
  const rand = rng(7);
  const errors: number[] = [];
  let misses = 0;
  try {
    for (let i = 0; i < 8; i++) {
      const incoming = new Promise<import('../src/main/sip/call').SipCall>((r) => (b.onInvite = (c) => r(c)));
      const aCall = a.invite(b.listener.uri);
      const bCall = await incoming;
      await bCall.accept();
      await aCall.waitForState('answered', 5000);
      const speech = await synthesize(SENTENCES[i]!, { voice: VOICES[i % VOICES.length]! });
      const lead = 300 + Math.round(rand() * 700) + 7;
      const clip = makeClip(speech, lead, BACKGROUNDS[i % BACKGROUNDS.length]!, rand);
      const leadMs = lead + onsetMs(speech);
      const heard = conversationOf(bCall).waitForSpeech({ withinMs: 10_000 });
      const sendStart = monoNow();
      void conversationOf(aCall).play(clip).catch(() => {});
      const t = await heard.catch(() => undefined);
      if (t === undefined) misses++;
      else errors.push(t - (sendStart + leadMs));
      await aCall.hangup().catch(() => {});
      await bCall.waitForEnd(5000).catch(() => {});
    }
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
  console.log('(b) live RTP on loopback (PCMU), onset = first packet sent + lead-in');
  summary('  live', errors, misses, 0);
}

const started = monoNow();
await offline();
await live();
console.log(`goal: p95 < 40 ms (${((monoNow() - started) / 1000).toFixed(1)} s)`);
process.exit(0);
