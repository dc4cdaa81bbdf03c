/**
 * Empty shapes of the media report (a call whose media never started), shared by the RTP sender,
 * the media session and the SIP call.
 */
import type { Direction, MediaReport, RtpStreamStats } from '../../shared/types';

/** Statistics of a stream that carried nothing. */
export function emptyStreamStats(direction: Direction): RtpStreamStats {
  return {
    direction, ssrc: null, ssrcChanges: 0, packets: 0, payloadBytes: 0, expected: 0, lost: 0, lossPercent: 0,
    outOfOrder: 0, duplicates: 0, jitterMs: 0, maxJitterMs: 0, firstMonoMs: null, lastMonoMs: null,
  };
}

/** The report of a call without negotiated media. @param localRtp - our RTP `host:port` (port 0 if never bound). */
export function emptyMediaReport(localRtp: string): MediaReport {
  return {
    codec: null,
    localRtp,
    remoteRtp: null,
    sent: emptyStreamStats('out'),
    received: emptyStreamStats('in'),
    rtcp: [],
    dtmf: [],
    recordingPath: null,
    firstVoiceMonoMs: null,
    oneWayAudio: { verdict: 'none', detail: 'no RTP either way' },
  };
}
