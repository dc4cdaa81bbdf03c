/**
 * Options of the media engine (RTP/RTCP audio of a call), shared by every call of a SipEndpoint,
 * and their defaults.
 *
 * @remarks RFC 3550 (RTP/RTCP), RFC 3551 §4.5.14 (G.711 at 8000 Hz, 20 ms packets), RFC 4733
 * (telephone-events).
 */
import { monoToWall } from '../clock';
import { formatHostPort } from '../net/host-format';

/** One RTP or RTCP datagram as it crossed our media sockets (for a pcap export, a live view…). */
export interface RtpDatagramInfo {
  direction: 'in' | 'out';
  /** Unix ms (display only). */
  wallMs: number;
  /** Monotonic ms (`performance.now()`), like every other stamp of the app. */
  monoMs: number;
  /** Our socket, `host:port`. */
  local: string;
  /** The peer's socket, `host:port`. */
  remote: string;
  /** The datagram exactly as sent or received. */
  data: Buffer;
  /** True for RTCP (on the RTCP port, or muxed on the RTP port per RFC 5761 §4). */
  rtcp: boolean;
}

/** Media options of a SipEndpoint (`SipEndpointOptions.media`), applied to every call's RTP handler. */
export interface MediaConfig {
  /** Directory for one WAV per call of what the peer sent (8 kHz 16-bit mono); undefined = no recording. */
  recordDir?: string;
  /**
   * VAD: frame RMS threshold in dBFS above which a 20 ms frame is speech (default
   * {@link DEFAULT_VAD_THRESHOLD_DBFS}; see vad.ts for why).
   */
  vadThresholdDbfs?: number;
  /** VAD: consecutive speech frames needed to call it voice (default 3 = 60 ms); the stamp is the first of them. */
  vadMinFrames?: number;
  /** VAD: non-speech (ms) after the last speech frame that ends a far-end turn (default 300; see vad.ts). */
  vadHangoverMs?: number;
  /** Send RTCP SR/RR (RFC 3550 §6.2) on rtp port + 1 every N ms (default 5000; 0 = never). */
  rtcpIntervalMs?: number;
  /**
   * Called for every RTP/RTCP datagram sent or received (e.g. a pcap export). Cheap when unset.
   * An exception it throws is caught and logged.
   */
  onRtpPacket?: (p: RtpDatagramInfo) => void;
  /**
   * Where to send our RTP instead of the address and port of the peer's SDP (RTCP still goes to
   * the SDP's RTCP port). For a relay in front of the peer (tests inject loss this way) or a peer
   * behind NAT whose SDP address is unreachable. Called once per remote description.
   */
  rtpTargetOverride?: (sdp: { address: string; port: number }) => { address: string; port: number };
}

/** Default VAD threshold (dBFS, RMS of a 20 ms frame); see {@link MediaConfig.vadThresholdDbfs}. */
export const DEFAULT_VAD_THRESHOLD_DBFS = -40;
/** Default VAD hangover (ms); see vad.ts. */
export const DEFAULT_VAD_HANGOVER_MS = 300;
/** Default VAD run length (20 ms frames). */
export const DEFAULT_VAD_MIN_FRAMES = 3;
/** Default RTCP report interval (ms), RFC 3550 §6.2's 5 s minimum. */
export const DEFAULT_RTCP_INTERVAL_MS = 5000;
/** Packetisation time of our audio (ms), RFC 3551 §4.5.14 default for G.711. */
export const PTIME_MS = 20;
/** RTP clock rate of G.711 and telephone-event/8000 (Hz). */
export const CLOCK_RATE = 8000;
/** Samples (and RTP timestamp units) in one 20 ms packet. */
export const SAMPLES_PER_PACKET = (CLOCK_RATE * PTIME_MS) / 1000;

/** {@link MediaConfig} with every default applied. */
export interface ResolvedMediaConfig extends MediaConfig {
  vadThresholdDbfs: number;
  vadMinFrames: number;
  vadHangoverMs: number;
  rtcpIntervalMs: number;
}

/**
 * Applies the defaults. Out-of-range numbers fall back to the default (a threshold above 0 dBFS,
 * a run length below 1, a negative interval) rather than throwing into a call.
 */
export function resolveMediaConfig(c: MediaConfig = {}): ResolvedMediaConfig {
  const num = (v: number | undefined, ok: (n: number) => boolean, dflt: number): number =>
    v !== undefined && Number.isFinite(v) && ok(v) ? v : dflt;
  return {
    ...c,
    vadThresholdDbfs: num(c.vadThresholdDbfs, (n) => n <= 0, DEFAULT_VAD_THRESHOLD_DBFS),
    vadMinFrames: Math.round(num(c.vadMinFrames, (n) => n >= 1, DEFAULT_VAD_MIN_FRAMES)),
    vadHangoverMs: num(c.vadHangoverMs, (n) => n >= 0, DEFAULT_VAD_HANGOVER_MS),
    rtcpIntervalMs: num(c.rtcpIntervalMs, (n) => n >= 0, DEFAULT_RTCP_INTERVAL_MS),
  };
}

/**
 * Calls `cfg.onRtpPacket` (if set) for one datagram that crossed our media sockets; an exception
 * it throws is logged at warn, never raised.
 */
export function notifyRtpPacket(
  cfg: MediaConfig,
  log: (level: 'warn', msg: string) => void,
  p: { direction: 'in' | 'out'; data: Buffer; rtcp: boolean; monoMs: number; local: { address: string; port: number }; remote: { address: string; port: number } },
): void {
  const fn = cfg.onRtpPacket;
  if (!fn) return;
  try {
    const { direction, data, rtcp, monoMs } = p;
    fn({ direction, wallMs: monoToWall(monoMs), monoMs, rtcp, data, local: formatHostPort(p.local.address, p.local.port), remote: formatHostPort(p.remote.address, p.remote.port) });
  } catch (e) {
    log('warn', `onRtpPacket threw: ${e instanceof Error ? e.message : String(e)}`);
  }
}
