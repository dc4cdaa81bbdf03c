/**
 * Prompts to play to the peer: any WAV `wavefile` reads (PCM 8-32 bit, float, µ-law, A-law, IMA
 * ADPCM; any rate; any channel count) turned into 8000 Hz mono 16-bit samples with wavefile's own
 * converters (`fromMuLaw`/`fromALaw`/`fromIMAADPCM`, `toSampleRate` with its default cubic
 * interpolation and low-pass filter, `toBitDepth`); channels are averaged to mono.
 */
import { readFile } from 'node:fs/promises';
import wavefile from 'wavefile';
import { CLOCK_RATE } from './media-config';

const { WaveFile } = wavefile;

/** A prompt that cannot be read or converted (the message names the file and the cause). */
export class PromptError extends Error {
  override readonly name = 'PromptError';
}

/**
 * Converts the bytes of a WAV file into 8 kHz mono 16-bit samples.
 * @param label - names the source in errors (e.g. the file path).
 * @throws {@link PromptError} when the bytes are not a WAV wavefile can read or convert.
 */
export function wavToPrompt(bytes: Uint8Array, label = 'WAV'): Int16Array {
  try {
    const wav = new WaveFile(bytes);
    if (wav.bitDepth === '8m') wav.fromMuLaw();
    else if (wav.bitDepth === '8a') wav.fromALaw();
    else if (wav.bitDepth === '4') wav.fromIMAADPCM();
    // Read after the conversions: they rebuild (and reset) the fmt chunk object.
    if ((wav.fmt as { sampleRate: number }).sampleRate !== CLOCK_RATE) wav.toSampleRate(CLOCK_RATE);
    if (wav.bitDepth !== '16') wav.toBitDepth('16');
    const samples = wav.getSamples(false, Int16Array) as unknown as Int16Array | Int16Array[];
    if (!Array.isArray(samples)) return samples;
    const channels = samples;
    const first = channels[0];
    if (!first) throw new Error('no channels');
    const mono = new Int16Array(first.length);
    for (let i = 0; i < mono.length; i++) {
      let sum = 0;
      for (const ch of channels) sum += ch[i] ?? 0;
      mono[i] = Math.round(sum / channels.length);
    }
    return mono;
  } catch (e) {
    if (e instanceof PromptError) throw e;
    throw new PromptError(`cannot use ${label} as a prompt: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

/**
 * Loads a prompt: a WAV file path (converted with {@link wavToPrompt}) or 8 kHz Int16 samples
 * (used as they are).
 * @throws (rejects) {@link PromptError} when the file cannot be read or is not a usable WAV.
 */
export async function loadPrompt(prompt: string | Int16Array): Promise<Int16Array> {
  if (typeof prompt !== 'string') return prompt;
  let bytes: Buffer;
  try {
    bytes = await readFile(prompt);
  } catch (e) {
    throw new PromptError(`cannot read prompt "${prompt}": ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  return wavToPrompt(bytes, `"${prompt}"`);
}
