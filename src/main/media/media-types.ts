/**
 * The shapes around a `MediaSession` (media-session.ts): its events, options, live counters and
 * the error raised into pending sends when it closes. Kept apart so the session stays one concept.
 */
import type { DtmfDigitRecord } from '../../shared/types';
import type { MediaConfig } from './media-config';

/** Events of a `MediaSession`: first incoming RTP, first voice (monotonic ms), each received digit. */
export type MediaSessionEvents = { rtp: [monoMs: number]; voice: [monoMs: number]; dtmf: [digit: DtmfDigitRecord] };

/** Counters the SIP layer shows as `call.media`, updated in place. */
export interface MediaLiveCounters {
  firstRtpInMonoMs?: number;
  rtpPacketsIn: number;
  firstVoiceInMonoMs?: number;
}

/** Options of a `MediaSession`. */
export interface MediaSessionOptions {
  /** Address to bind the sockets to. */
  host: string;
  /** Our address as written in the SDP (for the report). */
  advertiseHost: string;
  /** Names the recording (`<Call-ID>-<rtp port>.wav`). */
  callId?: string;
  config?: MediaConfig;
  log?: (level: 'debug' | 'info' | 'warn' | 'error', msg: string) => void;
}

/** Raised into a pending prompt or DTMF when the call's media closes first. */
export class MediaClosedError extends Error {
  override readonly name = 'MediaClosedError';
}
