/**
 * G.711 µ-law (PCMU) and A-law (PCMA) for RTP payloads, through `alawmulaw`.
 *
 * @remarks ITU-T G.711; RFC 3551 §4.5.14 (PCMU payload type 0, PCMA 8; one octet per sample at 8000 Hz).
 */
import alawmulaw from 'alawmulaw';
import type { AudioCodec } from '../../shared/types';

const { alaw, mulaw } = alawmulaw;

/** Encodes 16-bit linear PCM samples into one G.711 octet per sample. */
export function g711Encode(codec: AudioCodec, samples: Int16Array): Buffer {
  const bytes = codec === 'PCMU' ? mulaw.encode(samples) : alaw.encode(samples);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Decodes G.711 octets (an RTP payload) into 16-bit linear PCM samples, one per octet. */
export function g711Decode(codec: AudioCodec, payload: Uint8Array): Int16Array {
  return codec === 'PCMU' ? mulaw.decode(payload) : alaw.decode(payload);
}
