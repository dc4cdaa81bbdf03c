/**
 * The RTP stream we send: one SSRC, one sequence number space and one timestamp clock for audio
 * (the prompt, G.711-encoded in 20 ms packets) and RFC 4733 telephone-events, paced by {@link Pacer}.
 * Nothing is sent while there is neither a prompt nor DTMF to send.
 *
 * Each tick's RTP timestamp is derived from its due instant (`base + (due − epoch) · 8`), so
 * consecutive packets of a run step by exactly 160 and a pause advances the timestamp by the time
 * that passed (RFC 3550 §5.1). The marker bit is set on the first audio packet after a pause
 * (RFC 3551 §4.1, start of a talkspurt) and on an event's first packet (RFC 4733 §2.5.1.1).
 *
 * Hold ({@link RtpSender.setPaused}, when the peer stops receiving: RFC 3264 §8.4): nothing is sent,
 * the prompt keeps its position and queued DTMF waits (an event cut short goes on with its own
 * timestamp). The sequence number goes on from the last packet sent (no gap, RFC 3550 §5.1) and
 * the timestamp, still derived from the due instant, advances with the wall time spent on hold;
 * the first packet after the hold carries the marker bit.
 */
import { randomInt } from 'node:crypto';
import type { AudioCodec, DtmfDigitRecord, RtpStreamStats } from '../../shared/types';
import { monoNow } from '../clock';
import { g711Encode } from './g711';
import { CLOCK_RATE, PTIME_MS, SAMPLES_PER_PACKET } from './media-config';
import { emptyStreamStats } from './media-report';
import { Pacer } from './pacer';
import type { DtmfJob } from './dtmf-sender';

/** The negotiated format of what we send. */
export interface SendFormat {
  codec: AudioCodec;
  /** Payload type of the codec, as the peer numbered it. */
  payloadType: number;
  /** Payload type of telephone-event/8000, when the peer has it. */
  dtmfPayloadType?: number;
}

interface PlayingPrompt {
  samples: Int16Array;
  pos: number;
  loop: boolean;
  resolve: () => void;
  reject: (e: Error) => void;
}

/** The outgoing RTP stream (see the file comment). */
export class RtpSender {
  /** Our SSRC (random, RFC 3550 §8). */
  readonly ssrc = randomInt(1, 0xffffffff);
  private seq = randomInt(0, 0x10000);
  private readonly tsBase = randomInt(0, 0xffffffff);
  private epochMono: number | undefined;
  private readonly pacer: Pacer;
  private format: SendFormat | undefined;
  private prompt: PlayingPrompt | undefined;
  private readonly dtmf: DtmfJob[] = [];
  private talkspurt = false;
  private paused = false;
  private packets = 0;
  private payloadBytes = 0;
  private firstMonoMs: number | null = null;
  private lastMonoMs: number | null = null;

  /**
   * @param transmit - sends one serialized RTP packet.
   * @param onDtmfSent - gets each digit once its end packet went out.
   * @param onError - gets a failure inside a tick (the run stops; pending prompt/DTMF are rejected).
   * @param onAudio - gets the 8 kHz samples of each prompt frame sent (160 or fewer) with the
   *   monotonic ms it was due: the voice activity of what we send (media-session.ts).
   */
  constructor(
    private readonly transmit: (packet: Buffer) => void,
    private readonly onDtmfSent: (rec: DtmfDigitRecord) => void,
    onError: (e: unknown) => void,
    private readonly onAudio: (samples: Int16Array, dueMono: number) => void = () => {},
  ) {
    this.pacer = new Pacer(PTIME_MS, (e) => {
      this.cancelAll(e instanceof Error ? e : new Error(String(e)));
      onError(e);
    });
  }

  /** Sets (or changes, after a re-INVITE) the codec and payload types. */
  setFormat(f: SendFormat): void {
    this.format = f;
  }

  /**
   * Pauses (`true`) or resumes (`false`) sending, keeping the prompt's position and the DTMF queue
   * (see the file comment). Resuming starts a new run at once when something is left to send.
   */
  setPaused(paused: boolean): void {
    if (paused === this.paused) return;
    this.paused = paused;
    if (paused) {
      this.pacer.stop();
      this.talkspurt = false;
    } else if (this.prompt || this.dtmf.length > 0) {
      this.kick();
    }
  }

  /** True while sending is paused ({@link setPaused}). */
  get isPaused(): boolean {
    return this.paused;
  }

  /** The RTP timestamp for a monotonic instant, on our stream's clock (for RTCP sender reports). */
  timestampAt(monoMs: number): number {
    this.epochMono ??= monoMs;
    return (this.tsBase + Math.round(((monoMs - this.epochMono) * CLOCK_RATE) / 1000)) >>> 0;
  }

  /** True when packets were sent since `sinceMono` (RFC 3550 §6.4: SR rather than RR). */
  sentSince(sinceMono: number): boolean {
    return this.lastMonoMs !== null && this.lastMonoMs >= sinceMono;
  }

  /**
   * Plays 8 kHz samples, replacing a prompt that is playing (its promise resolves).
   * @returns resolves after the last packet went out (never for `loop`, until stopped), resolves
   *          on {@link stopPrompt}, rejects on {@link cancelAll}.
   */
  play(samples: Int16Array, loop: boolean): Promise<void> {
    this.stopPrompt();
    if (samples.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.prompt = { samples, pos: 0, loop, resolve, reject };
      this.kick();
    });
  }

  /** Stops the prompt (its promise resolves); DTMF in progress goes on. */
  stopPrompt(): void {
    const p = this.prompt;
    this.prompt = undefined;
    p?.resolve();
  }

  /** Queues a DTMF job; it starts after the jobs before it. */
  queueDtmf(job: DtmfJob): void {
    this.dtmf.push(job);
    this.kick();
  }

  /**
   * Stops sending and rejects what is pending with `err` (or the error `err()` makes, built only
   * when something is pending: an Error's stack costs more than the rest of a call's close).
   */
  cancelAll(err: Error | (() => Error)): void {
    this.pacer.stop();
    const p = this.prompt;
    this.prompt = undefined;
    const jobs = this.dtmf.splice(0);
    if (!p && jobs.length === 0) return;
    const e = typeof err === 'function' ? err() : err;
    p?.reject(e);
    for (const j of jobs) j.cancel(e);
  }

  /** Statistics of what we sent (RFC 3550 §6.4.1 sender's packet and octet counts). */
  snapshot(): RtpStreamStats {
    return {
      ...emptyStreamStats('out'),
      ssrc: this.packets > 0 ? this.ssrc : null,
      packets: this.packets,
      payloadBytes: this.payloadBytes,
      firstMonoMs: this.firstMonoMs,
      lastMonoMs: this.lastMonoMs,
    };
  }

  /** The packet and octet counts for an SR. */
  get counts(): { packets: number; octets: number } {
    return { packets: this.packets, octets: this.payloadBytes };
  }

  private kick(): void {
    if (this.paused) return;
    this.pacer.start((_n, due) => this.tick(due));
  }

  private tick(dueMono: number): boolean {
    const f = this.format;
    if (!f) return false;
    const ts = this.timestampAt(dueMono);
    const job = this.dtmf[0];
    const action = job?.tick(ts, dueMono);
    if (job?.finished) this.dtmf.shift();
    if (action?.kind === 'event' && f.dtmfPayloadType !== undefined) {
      this.send(f.dtmfPayloadType, action.ts, action.marker, action.payload);
      this.talkspurt = false;
      if (action.record) this.onDtmfSent(action.record);
    } else if (this.prompt) {
      const p = this.prompt;
      const from = p.pos;
      this.send(f.payloadType, ts, !this.talkspurt, this.nextPayload(p, f.codec));
      this.talkspurt = true;
      this.onAudio(p.samples.subarray(from, Math.min(from + SAMPLES_PER_PACKET, p.samples.length)), dueMono);
    } else {
      this.talkspurt = false;
    }
    return this.prompt !== undefined || this.dtmf.length > 0;
  }

  /** The next 160 samples of the prompt (zero-padded at the end; wrapping when looping). */
  /**
   * The next 20 ms of the prompt, G.711-encoded: a slice of the prompt encoded once per codec
   * (a greeting played to hundreds of calls is encoded once, not per packet); a short last frame is
   * padded with encoded silence. Resolves the prompt when it has been read to its end.
   */
  private nextPayload(p: PlayingPrompt, codec: AudioCodec): Buffer {
    const encoded = encodedPrompt(p.samples, codec);
    const frame = Buffer.allocUnsafe(SAMPLES_PER_PACKET);
    let filled = 0;
    while (filled < frame.length && p.pos < encoded.length) {
      const take = Math.min(frame.length - filled, encoded.length - p.pos);
      encoded.copy(frame, filled, p.pos, p.pos + take);
      filled += take;
      p.pos += take;
      if (p.pos >= encoded.length && p.loop) p.pos = 0;
    }
    if (filled < frame.length) frame.fill(silenceByte(codec), filled);
    if (p.pos >= encoded.length) {
      this.prompt = undefined;
      p.resolve();
    }
    return frame;
  }

  private send(payloadType: number, timestamp: number, marker: boolean, payload: Buffer): void {
    // The fixed 12-byte header of RFC 3550 §5.1 (V=2, no padding, extension or CSRC), written by hand:
    // werift-rtp's RtpHeader/RtpPacket.serialize cost ~10 µs a packet, a third of the send path.
    const packet = Buffer.allocUnsafe(12 + payload.length);
    packet[0] = 0x80;
    packet[1] = (marker ? 0x80 : 0) | (payloadType & 0x7f);
    packet.writeUInt16BE(this.seq, 2);
    packet.writeUInt32BE(timestamp >>> 0, 4);
    packet.writeUInt32BE(this.ssrc >>> 0, 8);
    payload.copy(packet, 12);
    this.seq = (this.seq + 1) & 0xffff;
    this.transmit(packet);
    const now = monoNow();
    this.packets += 1;
    this.payloadBytes += payload.length;
    this.firstMonoMs ??= now;
    this.lastMonoMs = now;
  }
}

/** Prompts encoded per codec, kept while the samples are (one greeting for every call of a run). */
const encodedPrompts = new WeakMap<Int16Array, Partial<Record<AudioCodec, Buffer>>>();

/** `samples` G.711-encoded with `codec`, encoded once per samples array and codec. */
function encodedPrompt(samples: Int16Array, codec: AudioCodec): Buffer {
  let byCodec = encodedPrompts.get(samples);
  if (!byCodec) encodedPrompts.set(samples, (byCodec = {}));
  return (byCodec[codec] ??= Buffer.from(g711Encode(codec, samples)));
}

/** The G.711 code of a zero sample (the padding of a prompt's short last frame). */
function silenceByte(codec: AudioCodec): number {
  return g711Encode(codec, new Int16Array(1))[0]!;
}
