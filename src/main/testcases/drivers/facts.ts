/**
 * Latency facts the drivers share, measured on the test call itself (design.md §4 mark names).
 */
import type { LatencyMarks } from '../../../shared/types';
import type { SipCall } from '../../sip/call';
import type { AudioTap } from '../audio-tap';
import { answerRecord } from '../driver';

/**
 * `answer_to_first_voice` (time to greeting) as the caller heard it: the first far-end speech turn
 * of the test's VAD − the 200 OK; 0 when speech came before the answer (early media).
 * @returns the mark, or nothing when there was no answer or no speech.
 */
export function timeToGreeting(tap: AudioTap, call: SipCall | null): LatencyMarks {
  const answer = call ? answerRecord(call) : undefined;
  const first = tap.speech.segments[0];
  if (!answer || !first) return {};
  return { answer_to_first_voice: Math.round(Math.max(0, first.startMonoMs - answer.monoMs) * 10) / 10 };
}
