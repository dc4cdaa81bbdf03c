/**
 * The one-way-audio verdict of a call: did RTP flow both ways? Judged from packet counts; the
 * detail adds whether the received audio carried voice (the VAD's verdict), since a peer that
 * sends only silence is heard as nothing even though its packets arrive.
 */
import type { OneWayAudioVerdict, RtpStreamStats } from '../../shared/types';

/**
 * @param sent - our outgoing stream's statistics.
 * @param received - the incoming stream's statistics.
 * @param voiceHeard - whether the VAD found voice in the received audio.
 * @returns `both`, `sent-only` (we sent, nothing came back), `received-only` (the peer sent, we
 *          sent nothing) or `none`, with a one-line explanation.
 */
export function oneWayAudioVerdict(
  sent: RtpStreamStats,
  received: RtpStreamStats,
  voiceHeard: boolean,
): { verdict: OneWayAudioVerdict; detail: string } {
  const out = sent.packets;
  const inn = received.packets;
  const voice = inn > 0 ? (voiceHeard ? '; voice detected in it' : '; no voice detected in it (silence)') : '';
  if (out > 0 && inn > 0) return { verdict: 'both', detail: `RTP both ways: ${out} packets sent, ${inn} received${voice}` };
  if (out > 0) return { verdict: 'sent-only', detail: `one-way audio: we sent ${out} RTP packets, the peer sent none` };
  if (inn > 0) return { verdict: 'received-only', detail: `one-way audio: the peer sent ${inn} RTP packets${voice}, we sent none` };
  return { verdict: 'none', detail: 'no RTP either way' };
}
