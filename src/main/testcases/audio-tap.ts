/**
 * `AudioTap`: both directions of one test call's audio, taken from the endpoint's RTP packet hook
 * (`MediaConfig.onRtpPacket`): what the far end sends is decoded and fed to a {@link FarEndSpeech}
 * (the waits of `expect_speech` and `wait_silence`) and, with what we send, laid on a timeline from
 * the INVITE at 8 kHz, for the HTML report's waveforms and recordings.
 *
 * Only G.711 (PT 0, 8, or the negotiated audio payload type) is audio; comfort noise (PT 13, RFC
 * 3389) is time without speech; telephone-events and anything else are ignored here.
 *
 * @remarks RFC 3550 §5.1 (header), RFC 3551 §6 (static payload types), RFC 3389 (CN).
 */
import type { AudioCodec } from '../../shared/types';
import { FarEndSpeech } from '../media/far-end-speech';
import { g711Decode } from '../media/g711';
import type { RtpDatagramInfo } from '../media/media-config';
import type { VadSettings } from '../media/vad';
import { rtpHeaderProblem } from '../media/rtp-receiver';

/** Longest audio kept per direction for the report (ms): 10 minutes, 9.6 MB per direction. */
export const MAX_TIMELINE_MS = 600_000;
const RATE = 8000;

/** Audio of one direction laid on a timeline (index 0 = the INVITE). */
export class AudioTimeline {
  private buf = new Int16Array(RATE * 10);
  /** Samples written so far (the timeline's length). */
  length = 0;

  /** Writes samples starting at `offsetMs` after the INVITE; later audio past the cap is dropped. */
  write(samples: Int16Array, offsetMs: number): void {
    const at = Math.round((offsetMs * RATE) / 1000);
    if (at < 0 || at + samples.length > (MAX_TIMELINE_MS * RATE) / 1000) return;
    const end = at + samples.length;
    if (end > this.buf.length) {
      const next = new Int16Array(Math.min(Math.max(end, this.buf.length * 2), (MAX_TIMELINE_MS * RATE) / 1000));
      next.set(this.buf.subarray(0, this.length));
      this.buf = next;
    }
    this.buf.set(samples, at);
    this.length = Math.max(this.length, end);
  }

  /** The samples from the INVITE to the last audio (a copy). */
  samples(): Int16Array {
    return this.buf.slice(0, this.length);
  }
}

/** Both directions of one call's audio (see the file comment). */
export class AudioTap {
  /** The far end's speech (its waits serve the steps). */
  readonly speech: FarEndSpeech;
  /** What the far end sent. */
  readonly received = new AudioTimeline();
  /** What we sent. */
  readonly sent = new AudioTimeline();
  /** Monotonic ms of the INVITE (timeline origin); packets before it is set only feed the VAD. */
  originMonoMs: number | null = null;
  /** Our RTP socket `host:port` to listen to; null: every packet of the endpoint (one call per endpoint). */
  localRtp: string | null = null;
  /** The negotiated audio payload type and codec, when it is not a static one. */
  dynamic: { payloadType: number; codec: AudioCodec } | null = null;

  /**
   * @param vad - the far-end VAD's settings.
   * @param keepAudio - lay both directions on the timelines (for the HTML report); false keeps only the VAD.
   */
  constructor(
    vad: Partial<VadSettings> = {},
    private readonly keepAudio = true,
  ) {
    this.speech = new FarEndSpeech(vad);
  }

  /** The hook to give as `MediaConfig.onRtpPacket`. Never throws. */
  readonly onRtpPacket = (p: RtpDatagramInfo): void => {
    try {
      this.take(p);
    } catch {
      // a malformed datagram is the media layer's to count; the tap ignores it
    }
  };

  private take(p: RtpDatagramInfo): void {
    if (p.rtcp) return;
    if (this.localRtp !== null && p.local !== this.localRtp) return;
    if (rtpHeaderProblem(p.data)) return;
    const pt = p.data[1]! & 0x7f;
    const headerLen = payloadOffset(p.data);
    const padding = p.data[0]! & 0x20 ? p.data[p.data.length - 1]! : 0;
    const payload = p.data.subarray(headerLen, p.data.length - padding);
    const codec: AudioCodec | undefined = pt === 0 ? 'PCMU' : pt === 8 ? 'PCMA' : this.dynamic?.payloadType === pt ? this.dynamic.codec : undefined;
    if (!codec) {
      if (pt === 13 && p.direction === 'in') this.speech.comfortNoise(p.monoMs);
      return;
    }
    const samples = g711Decode(codec, payload);
    if (p.direction === 'in') this.speech.audio(samples, p.monoMs);
    if (this.keepAudio && this.originMonoMs !== null) (p.direction === 'in' ? this.received : this.sent).write(samples, p.monoMs - this.originMonoMs);
  }

  /** Ends the speech detector (pending waits reject); idempotent. */
  close(): void {
    this.speech.close();
  }
}

/** Offset of the payload in an RTP datagram already checked by rtpHeaderProblem (RFC 3550 §5.1, §5.3.1). */
function payloadOffset(buf: Buffer): number {
  let end = 12 + 4 * (buf[0]! & 0x0f);
  if (buf[0]! & 0x10) end += 4 + buf.readUInt16BE(end + 2) * 4;
  return end;
}
