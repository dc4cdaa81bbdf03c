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
import { buildSdpAnswer, buildSdpOffer, DEFAULT_CODECS, parseRemoteSdp, type G711Codec, type RemoteMedia } from '../media/sdp';

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
  private readonly sessionId = String(Math.floor(Math.random() * 1e9) + 1e9);
  private version = 0;
  private closed = false;
  /** A remote offer waiting for our answer. */
  private remoteOffer: RemoteMedia | undefined;
  /** Our offer is out, waiting for the remote answer. */
  private localOfferOut = false;
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
    this.version += 1;
    const codecs = this.opts.codecs ?? DEFAULT_CODECS;
    const params = { address: this.opts.advertiseHost, port, sessionId: this.sessionId, version: this.version, codecs };
    const offer = this.remoteOffer;
    if (offer) {
      this.remoteOffer = undefined;
      this.remote = offer;
      return { body: await modify('answer', buildSdpAnswer(params, offer), modifiers), contentType: 'application/sdp' };
    }
    this.localOfferOut = true;
    return { body: await modify('offer', buildSdpOffer(params), modifiers), contentType: 'application/sdp' };
  }

  /**
   * Reads the remote description (our offer's answer, or a new offer).
   * @throws {@link SdpError} when it is unusable, exactly as {@link RtpSdh} does (sip.js then rejects
   *         the INVITE or sends BYE after a bad 2xx answer).
   */
  async setDescription(sdp: string): Promise<void> {
    if (this.closed) throw new Error('session description handler is closed');
    const remote = parseRemoteSdp(sdp, this.opts.codecs ?? DEFAULT_CODECS);
    if (this.localOfferOut) {
      this.localOfferOut = false;
      this.remote = remote;
    } else {
      this.remoteOffer = remote;
    }
  }

  /** True for an `application/sdp` Content-Type (parameters and case ignored). */
  hasDescription(contentType: string): boolean {
    return /^\s*application\/sdp\s*(;|$)/i.test(contentType ?? '');
  }

  /** Forgets a pending offer (either side). */
  async rollbackDescription(): Promise<void> {
    this.remoteOffer = undefined;
    this.localOfferOut = false;
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

/** Runs sip.js description modifiers over our SDP, in order (as rtp-sdh.ts does). */
async function modify(type: 'offer' | 'answer', sdp: string, modifiers: readonly SessionDescriptionHandlerModifier[] = []): Promise<string> {
  let desc = { type, sdp };
  for (const m of modifiers) {
    const out: unknown = await m(desc);
    const next = (out as { sdp?: unknown } | undefined)?.sdp;
    if (typeof next === 'string') desc = { type, sdp: next };
  }
  return desc.sdp;
}
