/**
 * SDP for one plain-RTP G.711 audio stream: build an offer, build an answer (other offered streams
 * rejected in place), read the remote side.
 * Pure functions, no I/O.
 *
 * @remarks RFC 4566 (SDP syntax), RFC 3264 (offer/answer: §5 offer, §6.1 answer, directions),
 * RFC 3551 §6 (static payload types 0 = PCMU, 8 = PCMA), RFC 4733 §2.3.1/§7 (telephone-event,
 * `a=fmtp:<pt> 0-16`).
 */

/** The codecs this app speaks (G.711 µ-law and A-law, 8 kHz). */
export type G711Codec = 'PCMU' | 'PCMA';

/** Media direction attribute (RFC 3264 §5.1, §6.1). */
export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** Static payload types of our codecs (RFC 3551 §6). */
export const STATIC_PAYLOAD_TYPES: Readonly<Record<G711Codec, number>> = { PCMU: 0, PCMA: 8 };

/** Payload type we offer for telephone-event (RFC 4733). */
export const OFFER_DTMF_PAYLOAD_TYPE = 101;

/** Our codec preference, first preferred. */
export const DEFAULT_CODECS: readonly G711Codec[] = ['PCMU', 'PCMA'];

/** What we read from the remote SDP: where to send RTP, in which payload type. */
export interface RemoteMedia {
  /** Connection address (`c=`, media level over session level). */
  address: string;
  /** RTP port of the `m=audio` line. */
  port: number;
  /** Payload type of the chosen codec, as the remote numbered it. */
  payloadType: number;
  codec: G711Codec;
  /** Remote payload type of telephone-event/8000, when offered. */
  dtmfPayloadType?: number;
  /** The remote side's direction (sendrecv when absent). */
  direction: MediaDirection;
  /** RTCP port from `a=rtcp:<port>` (RFC 3605), when given; else RTCP goes to `port + 1` (RFC 3550 §11). */
  rtcpPort?: number;
  /**
   * Every `m=` line of the description, in order, without the `m=` (e.g. `video 40002 RTP/AVP 96`),
   * and which of them is the audio stream read here: an answer has as many m= lines as the offer,
   * in its order, the streams we do not take rejected with port 0 (RFC 3264 §6). Absent: the audio
   * stream was the only one.
   */
  streams?: { mLines: string[]; audioIndex: number };
}

/** Our side of a description. */
export interface LocalSdpParams {
  /** Our RTP address (IPv4 or IPv6). */
  address: string;
  /** Our RTP port. */
  port: number;
  /** `o=` session id: stays the same for the whole session. */
  sessionId: string;
  /** `o=` version: bump it for every new description (RFC 3264 §8). */
  version: number;
  /** Our direction; default sendrecv. */
  direction?: MediaDirection;
  /** Codecs to offer, in preference order; default {@link DEFAULT_CODECS}. */
  codecs?: readonly G711Codec[];
}

/** A remote SDP we cannot use. sip.js turns it into 488 (re-INVITE) or 480 (initial INVITE). */
export class SdpError extends Error {
  override readonly name = 'SdpError';
}

function addrType(address: string): 'IP4' | 'IP6' {
  return address.includes(':') ? 'IP6' : 'IP4';
}

function sessionLines(p: LocalSdpParams): string[] {
  const t = addrType(p.address);
  return ['v=0', `o=- ${p.sessionId} ${p.version} IN ${t} ${p.address}`, 's=-', `c=IN ${t} ${p.address}`, 't=0 0'];
}

/**
 * Builds an offer: `m=audio <port> RTP/AVP 0 8 101` with rtpmaps for PCMU/8000, PCMA/8000 and
 * telephone-event/8000, `a=fmtp:101 0-16`, `a=ptime:20` and the direction.
 * @returns the SDP text, lines ending in CRLF.
 */
export function buildSdpOffer(p: LocalSdpParams): string {
  const codecs = p.codecs ?? DEFAULT_CODECS;
  const pts = codecs.map((c) => STATIC_PAYLOAD_TYPES[c]);
  const lines = [
    ...sessionLines(p),
    `m=audio ${p.port} RTP/AVP ${[...pts, OFFER_DTMF_PAYLOAD_TYPE].join(' ')}`,
    ...codecs.map((c) => `a=rtpmap:${STATIC_PAYLOAD_TYPES[c]} ${c}/8000`),
    `a=rtpmap:${OFFER_DTMF_PAYLOAD_TYPE} telephone-event/8000`,
    `a=fmtp:${OFFER_DTMF_PAYLOAD_TYPE} 0-16`,
    'a=ptime:20',
    `a=${p.direction ?? 'sendrecv'}`,
  ];
  return lines.join('\r\n') + '\r\n';
}

/** The answer's direction for an offered direction (RFC 3264 §6.1), given what we want. */
export function answerDirection(offered: MediaDirection, wanted: MediaDirection = 'sendrecv'): MediaDirection {
  const weSend = wanted === 'sendrecv' || wanted === 'sendonly';
  const weRecv = wanted === 'sendrecv' || wanted === 'recvonly';
  const theySend = offered === 'sendrecv' || offered === 'sendonly';
  const theyRecv = offered === 'sendrecv' || offered === 'recvonly';
  const send = weSend && theyRecv;
  const recv = weRecv && theySend;
  return send && recv ? 'sendrecv' : send ? 'sendonly' : recv ? 'recvonly' : 'inactive';
}

/**
 * True for the unspecified address (`0.0.0.0`, `::` in any spelling): the RFC 2543 way to put a
 * call on hold (`c=IN IP4 0.0.0.0`, still met in the field; RFC 3264 §8.4 keeps it readable).
 */
export function isUnspecifiedAddress(address: string): boolean {
  return /^0+(\.0+){3}$/.test(address) || (address.includes(':') && /^[0:]+$/.test(address));
}

/**
 * Why the remote side does not receive our RTP (on hold), or undefined when it does: its direction
 * is `sendonly`/`inactive` (RFC 3264 §5.1, §8.4) or its connection address is unspecified
 * ({@link isUnspecifiedAddress}). The reason reads `a=sendonly`, `a=inactive` or `c=0.0.0.0`.
 */
export function remoteHoldReason(remote: Pick<RemoteMedia, 'address' | 'direction'>): string | undefined {
  if (remote.direction === 'sendonly' || remote.direction === 'inactive') return `a=${remote.direction}`;
  if (isUnspecifiedAddress(remote.address)) return `c=${remote.address}`;
  return undefined;
}

/**
 * Builds the answer to a remote offer (read with {@link parseRemoteSdp}): the chosen codec in the
 * offer's payload type, and telephone-event in the offer's payload type when it was offered. Every
 * other offered stream (video, a second audio stream) is rejected in place with port 0 (RFC 3264 §6).
 * @returns the SDP text, lines ending in CRLF.
 */
export function buildSdpAnswer(p: LocalSdpParams, offer: RemoteMedia): string {
  const pts = [offer.payloadType];
  if (offer.dtmfPayloadType !== undefined) pts.push(offer.dtmfPayloadType);
  const audio = [`m=audio ${p.port} RTP/AVP ${pts.join(' ')}`, `a=rtpmap:${offer.payloadType} ${offer.codec}/8000`];
  if (offer.dtmfPayloadType !== undefined) {
    audio.push(`a=rtpmap:${offer.dtmfPayloadType} telephone-event/8000`, `a=fmtp:${offer.dtmfPayloadType} 0-16`);
  }
  audio.push('a=ptime:20', `a=${answerDirection(offer.direction, p.direction)}`);
  const streams = offer.streams ?? { mLines: ['audio'], audioIndex: 0 };
  const lines = [...sessionLines(p)];
  streams.mLines.forEach((m, i) => lines.push(...(i === streams.audioIndex ? audio : [rejectedStream(m)])));
  return lines.join('\r\n') + '\r\n';
}

/**
 * An offered stream we do not take, as the answer rejects it (RFC 3264 §6): its m= line with port 0,
 * its media, protocol and formats kept (SDP needs at least one format, RFC 4566 §5.14).
 */
function rejectedStream(mLine: string): string {
  const [media = 'audio', , proto = 'RTP/AVP', ...fmts] = mLine.split(/\s+/);
  return `m=${media} 0 ${proto} ${fmts.length > 0 ? fmts.join(' ') : '0'}`;
}

const DIRECTIONS: readonly string[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];

/**
 * Reads the first usable `m=audio` stream of a remote SDP (offer or answer: not rejected, plain
 * RTP/AVP(F), a codec of ours) and chooses our first codec (in `codecs` order) that it lists.
 * @param sdp - the SDP text (CRLF or LF line ends).
 * @param codecs - our codec preference; default {@link DEFAULT_CODECS}.
 * @returns the remote media.
 * @throws {@link SdpError} when there is no audio stream, or none is usable: no connection address,
 *         no port, an unsupported transport protocol, or no common codec (the message says what the
 *         first open audio stream offered).
 */
export function parseRemoteSdp(sdp: string, codecs: readonly G711Codec[] = DEFAULT_CODECS): RemoteMedia {
  const lines = sdp.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  if (!lines.some((l) => l.startsWith('v='))) throw new SdpError('not an SDP body (no v= line)');
  let sessionAddr: string | undefined;
  let sessionDir: MediaDirection | undefined;
  type Section = { m: string; attrs: string[]; addr?: string };
  const sections: Section[] = [];
  for (const line of lines) {
    const key = line.slice(0, 2);
    const value = line.slice(2);
    const cur = sections[sections.length - 1];
    if (key === 'm=') sections.push({ m: value, attrs: [] });
    else if (key === 'c=') {
      const addr = /^IN\s+IP[46]\s+([^\s/]+)/i.exec(value)?.[1];
      if (cur) cur.addr = addr;
      else sessionAddr = addr;
    } else if (key === 'a=') {
      if (cur) cur.attrs.push(value);
      else if (DIRECTIONS.includes(value)) sessionDir = value as MediaDirection;
    }
  }
  const audio = sections.filter((x) => /^audio\s/i.test(x.m));
  if (audio.length === 0) throw new SdpError('no m=audio line in the SDP');
  const open = audio.filter((x) => !/^audio\s+0(\/\d+)?\s/i.test(x.m));
  if (open.length === 0) throw new SdpError('the audio stream is rejected (m=audio port 0)');
  // The first audio stream we can use: an offer may carry an SRTP stream and a plain one side by
  // side, or a codec we lack first. When none is usable, the first one's reason is given.
  let firstError: SdpError | undefined;
  for (const section of open) {
    try {
      const out = readAudioSection(section, sessionAddr, sessionDir, codecs);
      if (sections.length > 1) out.streams = { mLines: sections.map((x) => x.m), audioIndex: sections.indexOf(section) };
      return out;
    } catch (e) {
      if (!(e instanceof SdpError)) throw e;
      firstError ??= e;
    }
  }
  throw firstError!;
}

/** One `m=audio` section read as {@link RemoteMedia}. @throws {@link SdpError} when it is not usable. */
function readAudioSection(section: { m: string; attrs: string[]; addr?: string }, sessionAddr: string | undefined, sessionDir: MediaDirection | undefined, codecs: readonly G711Codec[]): RemoteMedia {
  const m = /^audio\s+(\d+)(?:\/\d+)?\s+(\S+)\s*(.*)$/i.exec(section.m);
  if (!m) throw new SdpError(`unreadable m= line "m=${section.m}"`);
  const port = Number(m[1]);
  const proto = m[2]!.toUpperCase();
  if (proto !== 'RTP/AVP' && proto !== 'RTP/AVPF') throw new SdpError(`unsupported media protocol ${m[2]} (only RTP/AVP)`);
  const pts = (m[3] ?? '').split(/\s+/).filter((x) => /^\d+$/.test(x)).map(Number);
  const address = section.addr ?? sessionAddr;
  if (!address) throw new SdpError('no connection address (c=) for the audio stream');

  const rtpmap = new Map<number, string>();
  let direction: MediaDirection = sessionDir ?? 'sendrecv';
  let rtcpPort: number | undefined;
  for (const a of section.attrs) {
    const r = /^rtpmap:(\d+)\s+([^/\s]+)\/(\d+)/i.exec(a);
    if (r) rtpmap.set(Number(r[1]), `${r[2]!.toUpperCase()}/${r[3]}`);
    else if (DIRECTIONS.includes(a)) direction = a as MediaDirection;
    else if (/^rtcp:\d{1,5}(\s|$)/i.test(a)) rtcpPort = Number(/\d+/.exec(a)![0]);
  }
  const encodingOf = (pt: number): string | undefined =>
    rtpmap.get(pt) ?? (pt === 0 ? 'PCMU/8000' : pt === 8 ? 'PCMA/8000' : undefined);

  let chosen: { codec: G711Codec; pt: number } | undefined;
  for (const codec of codecs) {
    const pt = pts.find((p) => encodingOf(p) === `${codec}/8000`);
    if (pt !== undefined) {
      chosen = { codec, pt };
      break;
    }
  }
  if (!chosen) {
    const offered = pts.map((p) => `${p} ${encodingOf(p) ?? '(no rtpmap)'}`).join(', ') || 'no payload types';
    const ours = codecs.map((c) => `${c} (${STATIC_PAYLOAD_TYPES[c]})`).join(', ');
    throw new SdpError(`no common codec: the SDP lists ${offered}; we support ${ours}`);
  }
  const dtmfPayloadType = pts.find((p) => encodingOf(p) === 'TELEPHONE-EVENT/8000');
  const out: RemoteMedia = { address, port, payloadType: chosen.pt, codec: chosen.codec, direction };
  if (dtmfPayloadType !== undefined) out.dtmfPayloadType = dtmfPayloadType;
  if (rtcpPort !== undefined && rtcpPort > 0 && rtcpPort < 65536) out.rtcpPort = rtcpPort;
  return out;
}
