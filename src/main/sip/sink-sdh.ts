/**
 * SDP without per-call media: a sip.js SessionDescriptionHandler for calls that carry an SDP offer
 * or answer but no audio of ours (`lab load` without `--media`, issue 12 §4 "optional media").
 *
 * Every such call of an endpoint points its SDP at one RTP/RTCP socket pair, the endpoint's
 * {@link SharedRtpSink}, bound once at the first description and closed with the endpoint. It reads
 * and drops whatever arrives (a peer's RTP and RTCP reach a real, open port: no ICMP unreachable),
 * and sends nothing. So a call costs no socket, no MediaSession, no VAD and no recording; the
 * SIP dialog (offer/answer per RFC 3264 §5, §6, a remote SDP checked as for a call with media) is
 * the same as with {@link RtpSdh}. A call on such an endpoint has no negotiated media: playing a
 * prompt or sending DTMF on it is refused, and its media report is empty.
 *
 * @remarks RFC 3264 (offer/answer), RFC 3550 §11 (RTCP on RTP port + 1).
 */
import type dgram from 'node:dgram';
import type {
  BodyAndContentType,
  SessionDescriptionHandler,
  SessionDescriptionHandlerFactory,
  SessionDescriptionHandlerModifier,
} from 'sip.js';
import { bindRtpPair } from '../media/rtp-socket-pair';
import { DEFAULT_CODECS, type G711Codec, type RemoteMedia } from '../media/sdp';
import { isSdpContentType, OfferAnswer } from './offer-answer';

/**
 * One RTP socket (even port) and its RTCP socket (port + 1) shared by every media-less call of an
 * endpoint; what arrives is counted and dropped.
 */
export class SharedRtpSink {
  private binding: Promise<number> | null = null;
  private sockets: dgram.Socket[] = [];
  private closed = false;
  /** Datagrams received (RTP and RTCP) and dropped. */
  dropped = 0;

  /** @param host - address to bind (may be a wildcard). */
  constructor(private readonly host: string) {}

  /**
   * The RTP port, binding the pair at the first call.
   * @throws (rejects) when the sink is closed or no socket can be bound on the host.
   */
  port(): Promise<number> {
    if (this.closed) return Promise.reject(new Error('the shared RTP sink is closed'));
    this.binding ??= bindRtpPair(this.host).then(({ rtp, rtcp }) => {
      this.sockets = rtcp ? [rtp, rtcp] : [rtp];
      for (const s of this.sockets) {
        s.on('message', () => void (this.dropped += 1));
        s.on('error', () => {});
      }
      if (this.closed) this.closeSockets();
      return rtp.address().port;
    });
    return this.binding;
  }

  /** Closes the sockets (idempotent). */
  close(): void {
    this.closed = true;
    this.closeSockets();
  }

  private closeSockets(): void {
    for (const s of this.sockets) {
      try {
        s.close();
      } catch {
        // already closed
      }
    }
    this.sockets = [];
  }
}

/** Options of {@link SinkSdh}. */
export interface SinkSdhOptions {
  /** Address written in the SDP `o=` and `c=` lines (where the sink listens). */
  advertiseHost: string;
  /** Codec preference; default PCMU, PCMA. */
  codecs?: readonly G711Codec[];
}

/** SessionDescriptionHandler whose SDP points at the endpoint's {@link SharedRtpSink} (see the file comment). */
export class SinkSdh implements SessionDescriptionHandler {
  private closed = false;
  /** The session's SDP offer/answer state (offer-answer.ts). */
  private readonly oa = new OfferAnswer((remote) => (this.remote = remote));
  /** The remote side of the last answer or offer read. */
  remote: RemoteMedia | undefined;

  constructor(
    private readonly sink: SharedRtpSink,
    private readonly opts: SinkSdhOptions,
  ) {}

  /**
   * Our answer when a remote offer is pending, else a new offer (RFC 3264 §8: `o=` version + 1).
   * @throws when closed, when the sink cannot be bound, or when a modifier rejects.
   */
  async getDescription(_options?: unknown, modifiers?: SessionDescriptionHandlerModifier[]): Promise<BodyAndContentType> {
    if (this.closed) throw new Error('session description handler is closed');
    const port = await this.sink.port();
    return this.oa.describe({ address: this.opts.advertiseHost, port, codecs: this.opts.codecs ?? DEFAULT_CODECS }, modifiers);
  }

  /**
   * Reads the remote description (our offer's answer, or a new offer).
   * @throws {@link SdpError} when it is unusable, exactly as {@link RtpSdh} does (sip.js then rejects
   *         the INVITE or sends BYE after a bad 2xx answer).
   */
  async setDescription(sdp: string): Promise<void> {
    if (this.closed) throw new Error('session description handler is closed');
    this.oa.read(sdp, this.opts.codecs ?? DEFAULT_CODECS);
  }

  /** True for an `application/sdp` Content-Type (parameters and case ignored). */
  hasDescription(contentType: string): boolean {
    return isSdpContentType(contentType);
  }

  /** Forgets a pending offer (either side). */
  async rollbackDescription(): Promise<void> {
    this.oa.rollback();
  }

  /** No media: no DTMF (returns false). */
  sendDtmf(): boolean {
    return false;
  }

  /** Nothing of its own to close (the sink belongs to the endpoint). */
  close(): void {
    this.closed = true;
  }
}

/** A sip.js `sessionDescriptionHandlerFactory` making one {@link SinkSdh} per session, all on `sink`. */
export function sinkSdhFactory(sink: SharedRtpSink, opts: SinkSdhOptions): SessionDescriptionHandlerFactory {
  return () => new SinkSdh(sink, opts);
}
