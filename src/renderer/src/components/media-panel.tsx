import type { MediaReport, RtpStreamStats } from '../../../shared/types';
import { fmtBytes, fmtMs, fmtPercent } from '../format';
import { RecordingPlayer } from './recording-player';

const VERDICT_TEXT: Record<MediaReport['oneWayAudio']['verdict'], string> = {
  both: 'audio both ways',
  'sent-only': 'one-way audio: nothing came back',
  'received-only': 'one-way audio: we sent nothing',
  none: 'no RTP either way',
};

function StatRow({ label, sent, received, fmt }: { label: string; sent?: number | null; received?: number | null; fmt?: (n: number) => string }) {
  const f = (v: number | null | undefined): string => (typeof v === 'number' ? (fmt ? fmt(v) : String(v)) : '—');
  return (
    <tr>
      <th scope="row">{label}</th>
      <td className="num">{f(sent)}</td>
      <td className="num">{f(received)}</td>
    </tr>
  );
}

/** RTP statistics of both directions (RFC 3550), DTMF, RTCP, the one-way-audio verdict and the recording. */
export function MediaPanel({ callRef, media, live }: { callRef: string; media: MediaReport | null | undefined; live: boolean }) {
  if (!media) {
    return (
      <section className="panel" aria-label="Media">
        <h2>Media</h2>
        <p className="empty">No media report for this call{live ? ' yet' : ''}.</p>
      </section>
    );
  }
  const s: RtpStreamStats = media.sent;
  const r: RtpStreamStats = media.received;
  const verdictOk = media.oneWayAudio.verdict === 'both';
  return (
    <section className="panel" aria-label="Media" data-testid="media">
      <h2>
        Media <span className="muted">{media.codec ?? 'no codec'} · {media.localRtp} ⇄ {media.remoteRtp ?? '—'}</span>
      </h2>
      <div className={verdictOk ? 'media-verdict ok-text' : 'media-verdict fail-text'} data-testid="one-way-audio" data-verdict={media.oneWayAudio.verdict}>
        {verdictOk ? '✓' : '✗'} {VERDICT_TEXT[media.oneWayAudio.verdict]}
        {media.oneWayAudio.detail && media.oneWayAudio.detail !== VERDICT_TEXT[media.oneWayAudio.verdict] && <span className="muted"> · {media.oneWayAudio.detail}</span>}
      </div>
      <table className="stats-table">
        <thead>
          <tr>
            <th />
            <th scope="col">sent</th>
            <th scope="col">received</th>
          </tr>
        </thead>
        <tbody>
          <StatRow label="SSRC" sent={s.ssrc} received={r.ssrc} fmt={(n) => `0x${n.toString(16).padStart(8, '0')}`} />
          <StatRow label="packets" sent={s.packets} received={r.packets} />
          <StatRow label="payload" sent={s.payloadBytes} received={r.payloadBytes} fmt={fmtBytes} />
          <StatRow label="lost" received={r.lost} />
          <StatRow label="loss" received={r.lossPercent} fmt={fmtPercent} />
          <StatRow label="jitter (end / max)" received={r.jitterMs} fmt={(n) => `${fmtMs(n)} / ${fmtMs(r.maxJitterMs)}`} />
          <StatRow label="out of order" received={r.outOfOrder} />
          <StatRow label="duplicates" received={r.duplicates} />
          <StatRow label="SSRC changes" received={r.ssrcChanges} />
        </tbody>
      </table>
      <p className="media-extra muted">
        RTCP reports received: {media.rtcp.length} · DTMF:{' '}
        {media.dtmf.length === 0 ? 'none' : media.dtmf.map((d) => `${d.direction === 'in' ? '←' : '→'}${d.digit}`).join(' ')}
      </p>
      <RecordingPlayer callRef={callRef} hasRecording={media.recordingPath !== null} live={live} />
    </section>
  );
}
