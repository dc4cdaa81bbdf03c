/**
 * `RtpSdh`: a sip.js SessionDescriptionHandler for plain RTP in Node (sip-in-node.md §1.3), in
 * place of sip.js's WebRTC one. It makes and reads SDP (sdp.ts), owns the call's RTP socket, and
 * counts incoming RTP. Sending audio is not built yet.
 *
 * sip.js does not say whether it wants an offer or an answer, so this handler tracks it: when a
 * remote description came first, the next `getDescription` is the answer; otherwise it makes an
 * offer and the next `setDescription` is the answer. That covers early offer (SDP in INVITE), late
 * offer (offer in our 200, answer in the ACK) and re-INVITEs (RFC 3264 §4, §8).
 */
import dgram from 'node:dgram';
import net from 'node:net';
import type { BodyAndContentType, Session, SessionDescriptionHandler, SessionDescriptionHandlerFactory } from 'sip.js';
import { monoNow } from '../clock';
import {
  buildSdpAnswer,
  buildSdpOffer,
  DEFAULT_CODECS,
  parseRemoteSdp,
  type G711Codec,
  type RemoteMedia,
} from './sdp';

/** The media side of a call as seen by the SIP layer. */
export interface SipMedia {
  /** Our RTP address; `port` is 0 until the socket is bound (first description). */
  local: { address: string; port: number };
  /** The remote RTP side, once its SDP was read. */
  remote?: RemoteMedia;
  /** Monotonic stamp (ms) of the first incoming RTP datagram. */
  firstRtpInMonoMs?: number;
  /** Incoming RTP datagrams (RTP version 2, at least 12 bytes). */
  rtpPacketsIn: number;
}

/** Options of {@link RtpSdh}. */
export interface RtpSdhOptions {
  /** Address to bind the RTP socket to (may be a wildcard). */
  host: string;
  /** Address written in the SDP `c=` line; default `host`. */
  advertiseHost?: string;
  /** Codec preference; default PCMU, PCMA. */
  codecs?: readonly G711Codec[];
  log?: (level: 'debug' | 'info' | 'warn' | 'error', msg: string) => void;
}

/** Plain-RTP SessionDescriptionHandler (see the file comment). */
export class RtpSdh implements SessionDescriptionHandler {
  /** Live media state of the call; updated in place. */
  readonly media: SipMedia;
  private socket: dgram.Socket | undefined;
  private binding: Promise<dgram.Socket> | undefined;
  private closed = false;
  private readonly sessionId = String(Math.floor(Math.random() * 1e9) + 1e9);
  private version = 0;
  /** A remote offer waiting for our answer. */
  private remoteOffer: RemoteMedia | undefined;
  /** Our offer is out, waiting for the remote answer. */
  private localOfferOut = false;

  constructor(private readonly opts: RtpSdhOptions) {
    this.media = { local: { address: opts.advertiseHost ?? opts.host, port: 0 }, rtpPacketsIn: 0 };
  }

  /**
   * Our description: the answer when a remote offer is pending, else a new offer. The `o=`
   * version goes up by one each time (RFC 3264 §8).
   * @throws when the handler is closed or the RTP socket cannot be bound.
   */
  async getDescription(): Promise<BodyAndContentType> {
    await this.ensureSocket();
    this.version += 1;
    const params = {
      address: this.opts.advertiseHost ?? this.opts.host,
      port: this.media.local.port,
      sessionId: this.sessionId,
      version: this.version,
      codecs: this.opts.codecs ?? DEFAULT_CODECS,
    };
    const offer = this.remoteOffer;
    if (offer) {
      this.remoteOffer = undefined;
      this.media.remote = offer;
      return { body: buildSdpAnswer(params, offer), contentType: 'application/sdp' };
    }
    this.localOfferOut = true;
    return { body: buildSdpOffer(params), contentType: 'application/sdp' };
  }

  /**
   * Takes the remote description: the answer to our outstanding offer, or else a new remote offer.
   * @throws {@link SdpError} when the SDP is unusable (no audio, no common codec…): sip.js then
   *         rejects the INVITE (480 on an initial INVITE, 488 on a re-INVITE) or sends BYE after a
   *         bad 2xx answer.
   */
  async setDescription(sdp: string): Promise<void> {
    if (this.closed) throw new Error('session description handler is closed');
    const remote = parseRemoteSdp(sdp, this.opts.codecs ?? DEFAULT_CODECS);
    if (this.localOfferOut) {
      this.localOfferOut = false;
      this.media.remote = remote;
    } else {
      this.remoteOffer = remote;
    }
    await this.ensureSocket();
  }

  /** True for an `application/sdp` Content-Type (parameters and case ignored). */
  hasDescription(contentType: string): boolean {
    return /^\s*application\/sdp\s*(;|$)/i.test(contentType ?? '');
  }

  /** Forgets a pending offer (either side), as after a failed re-INVITE. */
  async rollbackDescription(): Promise<void> {
    this.remoteOffer = undefined;
    this.localOfferOut = false;
  }

  /** DTMF is not built yet. @returns false. */
  sendDtmf(_tones: string, _options?: unknown): boolean {
    return false;
  }

  /** Closes the RTP socket (idempotent). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const s = this.socket;
    this.socket = undefined;
    if (s) {
      try {
        s.close();
      } catch {
        // already closed
      }
    }
  }

  private ensureSocket(): Promise<dgram.Socket> {
    if (this.closed) return Promise.reject(new Error('session description handler is closed'));
    if (this.socket) return Promise.resolve(this.socket);
    this.binding ??= new Promise<dgram.Socket>((resolve, reject) => {
      const s = dgram.createSocket(net.isIPv6(this.opts.host) ? 'udp6' : 'udp4');
      s.once('error', reject);
      s.bind(0, this.opts.host, () => {
        s.off('error', reject);
        s.on('error', (e) => this.opts.log?.('warn', `RTP socket: ${e.message}`));
        s.on('message', (buf) => this.onRtp(buf));
        if (this.closed) {
          s.close();
          reject(new Error('session description handler closed while binding'));
          return;
        }
        this.socket = s;
        this.media.local.port = s.address().port;
        resolve(s);
      });
    });
    return this.binding;
  }

  private onRtp(buf: Buffer): void {
    // RFC 3550 §5.1: version 2 in the top two bits, fixed header of 12 bytes.
    if (buf.length < 12 || buf[0]! >> 6 !== 2) return;
    if (this.media.rtpPacketsIn === 0) this.media.firstRtpInMonoMs = monoNow();
    this.media.rtpPacketsIn += 1;
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
    const sdh = new RtpSdh(opts);
    onCreate?.(sdh, session);
    return sdh;
  };
}
