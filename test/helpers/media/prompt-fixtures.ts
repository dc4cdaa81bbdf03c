/**
 * Test helpers for audio with SIPp: the project's prompts as 8 kHz samples, and the files SIPp
 * plays, made at test time into temp dirs (nothing here is committed as a fixture). Generic audio
 * helpers (WAV reading, silence, cross-correlation) are in audio.ts.
 */
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import alawmulaw from 'alawmulaw';
import { readWav } from './audio';

/** The project's prompts folder (resources/prompts). */
export const PROMPTS_DIR = resolve(import.meta.dirname, '../../../resources/prompts');

/** Samples per second of every prompt and recording (G.711's clock, RFC 3551 §4.5.14). */
export const RATE = 8000;

/** The samples of `resources/prompts/<name>`, optionally only its first `maxMs` ms. */
export function promptSamples(name: string, maxMs?: number): Int16Array {
  const s = readWav(join(PROMPTS_DIR, name)).samples;
  return maxMs === undefined ? s : s.slice(0, Math.round((maxMs * RATE) / 1000));
}

/**
 * Writes samples as headerless G.711 A-law (one byte per sample), the form SIPp 3.6.1's
 * `rtp_stream` needs for payload type 8: it sends the file's bytes as they are, 160 per packet,
 * WAV header included if there is one.
 */
export function writeRawAlaw(file: string, samples: Int16Array): void {
  writeFileSync(file, alawmulaw.alaw.encode(samples));
}

/** Where SIPp's packaged pcaps are (Debian's sip-tester, or a source install). */
const SIPP_PCAP_DIRS = ['/usr/share/sip-tester', '/usr/local/share/sipp/pcap', '/usr/share/sipp/pcap'];

/**
 * Copies SIPp's own pcaps (e.g. `dtmf_2833_1.pcap`) into `dir`, where a scenario's
 * play_pcap_audio finds them by relative name.
 * @returns false when one of them is not installed (the caller skips).
 */
export function copySippPcaps(dir: string, names: readonly string[]): boolean {
  for (const name of names) {
    const from = SIPP_PCAP_DIRS.map((d) => join(d, name)).find((f) => existsSync(f));
    if (!from) return false;
    copyFileSync(from, join(dir, name));
  }
  return true;
}

/**
 * `samples` from the first 20 ms frame whose RMS level reaches `dbfs` (default -30 dBFS): speech
 * with a clean onset, so a VAD's first voice frame is the first frame (no quiet lead-in frames
 * that fall under its threshold). Returns `samples` when no frame is that loud.
 */
export function fromFirstLoudFrame(samples: Int16Array, dbfs = -30): Int16Array {
  for (let f = 0; (f + 1) * 160 <= samples.length; f++) {
    let sum = 0;
    for (let i = f * 160; i < (f + 1) * 160; i++) sum += samples[i]! * samples[i]!;
    if (10 * Math.log10(sum / 160 / 32768 / 32768) >= dbfs) return samples.slice(f * 160);
  }
  return samples;
}

/** Index of the first sample whose magnitude reaches `threshold` (default 1000 ≈ -30 dBFS), or -1. */
export function firstLoudSample(samples: Int16Array, threshold = 1000): number {
  return samples.findIndex((v) => Math.abs(v) >= threshold);
}
