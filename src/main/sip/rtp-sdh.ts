/**
 * `RtpSdh`: a sip.js SessionDescriptionHandler for plain RTP in Node (sip-in-node.md §1.3), in
 * place of sip.js's WebRTC one. It makes and reads SDP (sdp.ts) and owns the call's
 * {@link MediaSession} (RTP/RTCP sockets, prompts, DTMF, statistics, recording); `close()` ends it
 * and finalises the recording.
 *
 * sip.js does not say whether it wants an offer or an answer, so this handler tracks it: when a
 * remote description came first, the next `getDescription` is the answer; otherwise it makes an
 * offer and the next `setDescription` is the answer. That covers early offer (SDP in INVITE), late
 * offer (offer in our 200, answer in the ACK) and re-INVITEs (RFC 3264 §4, §8).
 */
import type {
  BodyAndContentType,
  Session,
  SessionDescriptionHandler,
  SessionDescriptionHandlerFactory,
  SessionDescriptionHandlerModifier,
  SessionDescriptionHandlerOptions,
} from 'sip.js';
import type { MediaConfig } from '../media/media-config';
import { MediaSession, type MediaLiveCounters } from '../media/media-session';
import { DEFAULT_CODECS, type G711Codec, type RemoteMedia } from '../media/sdp';
import { isSdpContentType, OfferAnswer } from './offer-answer';

/**
 * The media side of a call as seen by the SIP layer: `firstRtpInMonoMs` (monotonic ms of the first
 * incoming RTP datagram), `rtpPacketsIn` (incoming RTP datagrams: version 2, at least 12 bytes)
 * and `firstVoiceInMonoMs` (the VAD's first voice), updated in place.
 */
export interface SipMedia extends MediaLiveCounters {
  /** Our RTP address; `port` is 0 until the socket is bound (first description). */
  local: { address: string; port: number };
  /** The remote RTP side, once its SDP was read. */
  remote?: RemoteMedia;
}

/** Options of {@link RtpSdh}. */
export interface RtpSdhOptions {
  /** Address to bind the RTP socket to (may be a wildcard). */
  host: string;
  /** Address written in the SDP `c=` line; default `host`. */
  advertiseHost?: string;
  /** Codec preference; default PCMU, PCMA. */
  codecs?: readonly G711Codec[];
  /** Media options (recording, VAD, RTCP, packet hook). */
  media?: MediaConfig;
  /** Call-ID of the session (names the recording). */
  callId?: string;
  log?: (level: 'debug' | 'info' | 'warn' | 'error', msg: string) => void;
}

/** Plain-RTP SessionDescriptionHandler (see the file comment). */
export class RtpSdh implements SessionDescriptionHandler {
  /** Live media state of the call; updated in place. */
  readonly media: SipMedia;
  /** The call's RTP/RTCP audio (bound at the first description). */
  readonly session: MediaSession;
  private closed = false;
  /** The session's SDP offer/answer state (offer-answer.ts). */
  private readonly oa = new OfferAnswer((remote) => this.setRemote(remote));

  constructor(private readonly opts: RtpSdhOptions) {
    this.media = { local: { address: opts.advertiseHost ?? opts.host, port: 0 }, rtpPacketsIn: 0 };
    this.session = new MediaSession(
      { host: opts.host, advertiseHost: opts.advertiseHost ?? opts.host, callId: opts.callId, config: opts.media, log: opts.log },
      this.media,
    );
  }

  /**
   * Our description: the answer when a remote offer is pending, else a new offer. The `o=`
   * version goes up by one each time (RFC 3264 §8). sip.js's `modifiers` (e.g. from
   * `session.invite({ sessionDescriptionHandlerModifiers })`, to offer a hold with `a=sendonly`)
   * get `{ type, sdp }` in turn and their `sdp` is sent.
   * @throws when the handler is closed, the RTP socket cannot be bound or a modifier rejects.
   */
  async getDescription(_options?: SessionDescriptionHandlerOptions, modifiers?: SessionDescriptionHandlerModifier[]): Promise<BodyAndContentType> {
    await this.ensureSocket();
    return this.oa.describe({ address: this.opts.advertiseHost ?? this.opts.host, port: this.media.local.port, codecs: this.opts.codecs ?? DEFAULT_CODECS }, modifiers);
  }

  /**
   * Takes the remote description: the answer to our outstanding offer, or else a new remote offer.
   * @throws {@link SdpError} when the SDP is unusable (no audio, no common codec…): sip.js then
   *         rejects the INVITE (480 on an initial INVITE, 488 on a re-INVITE) or sends BYE after a
   *         bad 2xx answer.
   */
  async setDescription(sdp: string): Promise<void> {
    if (this.closed) throw new Error('session description handler is closed');
    this.oa.read(sdp, this.opts.codecs ?? DEFAULT_CODECS);
    await this.ensureSocket();
  }

  /** True for an `application/sdp` Content-Type (parameters and case ignored). */
  hasDescription(contentType: string): boolean {
    return isSdpContentType(contentType);
  }

  /** Forgets a pending offer (either side), as after a failed re-INVITE. */
  async rollbackDescription(): Promise<void> {
    this.oa.rollback();
  }

  /**
   * sip.js's DTMF entry point: sends the tones as RFC 4733 telephone-events in the background
   * (`options.duration` and `options.interToneGap` in ms, as sip.js names them).
   * @returns false when the peer has no telephone-event payload type (or the media is closed).
   */
  sendDtmf(tones: string, options?: { duration?: number; interToneGap?: number }): boolean {
    if (!this.session.canSendDtmf) return false;
    this.session
      .sendDtmf(tones, { durationMs: options?.duration, gapMs: options?.interToneGap })
      .catch((e: Error) => this.opts.log?.('warn', `DTMF "${tones}" not sent: ${e.message}`));
    return true;
  }

  /** Closes the media session: stops sending, finalises the recording, closes the sockets (idempotent). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.session.close();
  }

  private setRemote(remote: RemoteMedia): void {
    this.media.remote = remote;
    this.session.setRemote(remote);
  }

  private async ensureSocket(): Promise<void> {
    if (this.closed) throw new Error('session description handler is closed');
    this.media.local.port = await this.session.bind();
  }
}

/**
 * A sip.js `sessionDescriptionHandlerFactory` making one {@link RtpSdh} per session.
 * @param opts - shared by every handler.
 * @param onCreate - called with each new handler and its session (e.g. to link it to the call).
 */
export function rtpSdhFactory(
  opts: RtpSdhOptions,
  onCreate?: (sdh: RtpSdh, session: Session) => void,
): SessionDescriptionHandlerFactory {
  return (session: Session) => {
    // Inviter and Invitation both carry their INVITE; its Call-ID names the recording.
    const callId = (session as Partial<{ request: { callId?: string } }>).request?.callId;
    const sdh = new RtpSdh({ ...opts, callId: opts.callId ?? callId });
    onCreate?.(sdh, session);
    return sdh;
  };
}
