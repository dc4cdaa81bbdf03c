/**
 * Voice activity bands from a call's recording (issue 15: "RTP voice activity as bands"): the WAV
 * of what the far end sent (media/wav-recorder.ts: 8 kHz mono, samples placed by RTP timestamp, so
 * sample 0 is the first received packet) run through the app's speech VAD (media/vad.ts, the same
 * energy threshold, minimum speech and hangover as live calls). For calls stored before the media
 * report carried live voice bands (media-session.ts), whose history keeps only the first voice. I/O: reads the file; a missing or unreadable file gives
 * no bands.
 */
import { readFileSync } from 'node:fs';
import type { CallDetail, VoiceBand } from '../../shared/types';
import { wavToPrompt } from '../media/prompt';
import { SpeechVad } from '../media/vad';

export type { VoiceBand };

/**
 * Speech turns of 8 kHz samples whose first sample is at `firstMonoMs`.
 * @returns bands in order; a turn still open at the end closes at the last sample.
 */
export function voiceBandsOf(samples: Int16Array, firstMonoMs: number, direction: 'in' | 'out'): VoiceBand[] {
  const vad = new SpeechVad();
  const out: VoiceBand[] = [];
  let start: number | null = null;
  const chunk = 160;
  for (let i = 0; i < samples.length; i += chunk) {
    for (const c of vad.push(samples.subarray(i, i + chunk), firstMonoMs + (i * 1000) / 8000)) {
      if (c.kind === 'speech-start') start = c.monoMs;
      else if (start !== null) {
        out.push({ direction, startMonoMs: start, endMonoMs: c.monoMs });
        start = null;
      }
    }
  }
  if (start !== null) out.push({ direction, startMonoMs: start, endMonoMs: vad.lastSpeechEndMono ?? firstMonoMs + (samples.length * 1000) / 8000 });
  return out;
}

/**
 * The call with `media.voiceBands` added from its recording, when it has one that can be read and
 * a first received packet to anchor it; otherwise the call unchanged.
 */
export function withRecordedVoice(call: CallDetail): CallDetail {
  const m = call.media;
  if (!m?.recordingPath || m.received.firstMonoMs === null) return call;
  // Measured live (media-session.ts): the recording adds nothing.
  if (m.voiceBands?.some((b) => b.direction === 'in')) return call;
  try {
    const samples = wavToPrompt(readFileSync(m.recordingPath), m.recordingPath);
    const voiceBands = [...(m.voiceBands ?? []), ...voiceBandsOf(samples, m.received.firstMonoMs, 'in')];
    return { ...call, media: { ...m, voiceBands } };
  } catch {
    return call;
  }
}
