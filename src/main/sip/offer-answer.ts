/**
 * The SDP offer/answer state of one session, shared by our two sip.js SessionDescriptionHandlers
 * (rtp-sdh.ts, a call with media; sink-sdh.ts, a call whose media goes to the endpoint's sink).
 *
 * @remarks RFC 3264 §5 (an offer when none is pending), §6 (the answer to a pending remote offer),
 * §8 (each new description of the session raises the `o=` version by one).
 */
import type { BodyAndContentType, SessionDescriptionHandlerModifier } from 'sip.js';
import { buildSdpAnswer, buildSdpOffer, parseRemoteSdp, type G711Codec, type RemoteMedia } from '../media/sdp';

/** Where our media is, for the SDP we write. */
export interface LocalMediaAt {
  /** Address written in `o=` and `c=` (IPv4 or IPv6). */
  address: string;
  /** Our RTP port. */
  port: number;
  /** Codec preference, first preferred. */
  codecs: readonly G711Codec[];
}

/** One session's offer/answer state: a remote offer waiting for our answer, or our offer out. */
export class OfferAnswer {
  private readonly sessionId = String(Math.floor(Math.random() * 1e9) + 1e9);
  private version = 0;
  /** A remote offer waiting for our answer. */
  private remoteOffer: RemoteMedia | undefined;
  /** Our offer is out, waiting for the remote answer. */
  private localOfferOut = false;

  /** @param onRemote - told the remote side of each exchange that completes (an offer we answer, an answer to our offer). */
  constructor(private readonly onRemote: (remote: RemoteMedia) => void) {}

  /**
   * Our description: the answer when a remote offer is pending, else a new offer, with the `o=`
   * version one higher. sip.js's `modifiers` get `{ type, sdp }` in turn and their `sdp` is sent.
   * @throws when a modifier rejects.
   */
  async describe(at: LocalMediaAt, modifiers?: readonly SessionDescriptionHandlerModifier[]): Promise<BodyAndContentType> {
    this.version += 1;
    const params = { ...at, sessionId: this.sessionId, version: this.version };
    const offer = this.remoteOffer;
    if (offer) {
      this.remoteOffer = undefined;
      this.onRemote(offer);
      return { body: await modify('answer', buildSdpAnswer(params, offer), modifiers), contentType: 'application/sdp' };
    }
    this.localOfferOut = true;
    return { body: await modify('offer', buildSdpOffer(params), modifiers), contentType: 'application/sdp' };
  }

  /**
   * Reads a remote description: the answer to our offer, or else a new remote offer.
   * @throws {@link SdpError} when it is unusable (no audio, no common codec…).
   */
  read(sdp: string, codecs: readonly G711Codec[]): void {
    const remote = parseRemoteSdp(sdp, codecs);
    if (this.localOfferOut) {
      this.localOfferOut = false;
      this.onRemote(remote);
    } else {
      this.remoteOffer = remote;
    }
  }

  /** Forgets a pending offer (either side), as after a failed re-INVITE. */
  rollback(): void {
    this.remoteOffer = undefined;
    this.localOfferOut = false;
  }
}

/** True for an `application/sdp` Content-Type (parameters and case ignored). */
export function isSdpContentType(contentType: string): boolean {
  return /^\s*application\/sdp\s*(;|$)/i.test(contentType ?? '');
}

/** Runs sip.js description modifiers over our SDP, in order (a result without an `sdp` string leaves it unchanged). */
async function modify(type: 'offer' | 'answer', sdp: string, modifiers: readonly SessionDescriptionHandlerModifier[] = []): Promise<string> {
  let desc = { type, sdp };
  for (const m of modifiers) {
    const out: unknown = await m(desc);
    const next = (out as { sdp?: unknown } | undefined)?.sdp;
    if (typeof next === 'string') desc = { type, sdp: next };
  }
  return desc.sdp;
}
