/**
 * The RTP stream we receive: every packet goes through the RFC 3550 statistics; audio packets
 * (the negotiated codec, or G.711's static payload types) are decoded and fed to the recording and
 * the voice detector; telephone-event packets become DTMF digits.
 *
 * @remarks RFC 3550 §5.1 (RTP header), A.1/A.3/A.8 (rtp-stats.ts); RFC 3551 §6 (PCMU 0, PCMA 8);
 * RFC 4733 (dtmf.ts).
 */
import { RtpPacket } from 'werift-rtp';
import type { AudioCodec, DtmfDigitRecord } from '../../shared/types';
import { OFFER_DTMF_PAYLOAD_TYPE, STATIC_PAYLOAD_TYPES, type RemoteMedia } from './sdp';
import { DtmfReceiver } from './dtmf';
import { g711Decode } from './g711';
import { RtpReceiveStats } from './rtp-stats';
import { EnergyVad } from './vad';
import type { WavRecorder } from './wav-recorder';

/** Largest header extension accepted (octets); G.711 streams need none. */
const MAX_EXTENSION_BYTES = 1024;

/**
 * Checks that an RTP datagram's header fits in it before werift-rtp parses it (RFC 3550 §5.1,
 * §5.3.1): version 2, the CSRC list, the header extension (at most 1 KiB: werift-rtp's parser never
 * ends on an extension longer than the datagram and is quadratic in the number of one-byte
 * elements), and the padding count.
 * @returns a reason when the datagram is not usable RTP, else undefined.
 */
export function rtpHeaderProblem(buf: Buffer): string | undefined {
  if (buf.length < 12 || buf[0]! >> 6 !== 2) return 'not RTP version 2 with a 12-octet header';
  let end = 12 + 4 * (buf[0]! & 0x0f);
  if (buf.length < end) return 'CSRC list longer than the datagram';
  if (buf[0]! & 0x10) {
    if (buf.length < end + 4) return 'header extension longer than the datagram';
    const ext = buf.readUInt16BE(end + 2) * 4;
    if (ext > MAX_EXTENSION_BYTES) return `header extension of ${ext} octets`;
    end += 4 + ext;
    if (buf.length < end) return 'header extension longer than the datagram';
  }
  if (buf[0]! & 0x20) {
    const padding = buf[buf.length - 1]!;
    if (padding === 0 || end + padding > buf.length) return 'bad padding count';
  }
  return undefined;
}

/** What the receiver reports upward. */
export interface RtpReceiverEvents {
  /** A received digit (once per RFC 4733 event). */
  onDigit: (d: DtmfDigitRecord) => void;
  /** The first voice (monotonic ms of its first frame), once. */
  onVoice: (monoMs: number) => void;
  /** Every decoded audio payload (8 kHz samples) with its arrival (monotonic ms): the far-end speech detector. */
  onAudio?: (samples: Int16Array, monoMs: number) => void;
  /** A comfort-noise packet (RFC 3389, payload type 13) arrived: time without speech. */
  onComfortNoise?: (monoMs: number) => void;
}

/** RFC 3551 §6 / RFC 3389 §4: the static payload type of comfort noise. */
export const CN_PAYLOAD_TYPE = 13;

/** The incoming RTP stream (see the file comment). */
export class RtpReceiver {
  /** RFC 3550 statistics of the stream. */
  readonly stats = new RtpReceiveStats();
  private readonly dtmf = new DtmfReceiver();
  private readonly vad: EnergyVad;
  private voiceFound = false;

  /**
   * @param recorder - where decoded audio goes, if recording.
   * @param vad - the VAD's threshold (dBFS) and run length (frames).
   */
  constructor(
    private readonly events: RtpReceiverEvents,
    private readonly recorder: WavRecorder | undefined,
    vad: { thresholdDbfs: number; minFrames: number },
  ) {
    this.vad = new EnergyVad(vad.thresholdDbfs, vad.minFrames);
  }

  /** The recording's path once it exists, else null. */
  get recordingPath(): string | null {
    return this.recorder?.recordingPath ?? null;
  }

  /**
   * Takes one RTP datagram (version 2, at least 12 bytes) that arrived at `monoMs`.
   * @param remote - the negotiated media (payload types), when known.
   * @throws when the datagram is not a well-formed RTP packet (the caller drops it).
   */
  handle(buf: Buffer, monoMs: number, remote: RemoteMedia | undefined): void {
    const problem = rtpHeaderProblem(buf);
    if (problem) throw new Error(problem);
    const p = RtpPacket.deSerialize(buf);
    const { payloadType: pt, ssrc, sequenceNumber: seq, timestamp: ts } = p.header;
    const codec = codecOf(pt, remote);
    const v = this.stats.update({ ssrc, seq, ts, arrivalMs: monoMs, payloadBytes: p.payload.length, jitterSample: codec !== undefined });
    if (v.duplicate || v.rejected) return;
    if (pt === (remote?.dtmfPayloadType ?? OFFER_DTMF_PAYLOAD_TYPE)) {
      for (const d of this.dtmf.onPacket(p.payload, ts, monoMs)) this.events.onDigit(d);
      return;
    }
    if (!codec) {
      if (pt === CN_PAYLOAD_TYPE) this.events.onComfortNoise?.(monoMs);
      return;
    }
    const samples = g711Decode(codec, p.payload);
    this.recorder?.write(ssrc, ts, samples);
    this.events.onAudio?.(samples, monoMs);
    const voice = this.vad.push(samples, monoMs);
    if (voice !== undefined && !this.voiceFound) {
      this.voiceFound = true;
      this.events.onVoice(voice);
    }
  }

  /** Reports a DTMF event left open and finalises the recording (synchronously). */
  close(): void {
    const open = this.dtmf.flush();
    if (open) this.events.onDigit(open);
    this.recorder?.close();
  }
}

/** The codec of an audio payload type: the negotiated one, or G.711's static numbers. */
function codecOf(pt: number, remote: RemoteMedia | undefined): AudioCodec | undefined {
  if (remote && pt === remote.payloadType) return remote.codec;
  if (pt === STATIC_PAYLOAD_TYPES.PCMU) return 'PCMU';
  if (pt === STATIC_PAYLOAD_TYPES.PCMA) return 'PCMA';
  return undefined;
}
