import { useLab } from '../store';
import { CallSummaryBox } from './call-summary-box';
import { CheckList } from './check-list';
import { DtmfKeypad } from './dtmf-keypad';
import { ExportMenu } from './export-menu';
import { InviteHeaders } from './invite-headers';
import { LadderDiagram } from './ladder-diagram';
import { LatencyTimeline } from './latency-timeline';
import { MediaPanel } from './media-panel';
import { SignalComposer } from './signal-composer';
import { SignalList } from './signal-list';
import { CallContactTimeline } from './timeline-panel';
import { VerdictBox } from './verdict-box';

const LIVE_STATES = new Set(['idle', 'inviting', 'ringing', 'answered', 'ending']);

/** Everything about the selected call (issue 5 item 2): ladder, INVITE and verdict, latency timeline, media, Signals, checks. */
export function CallDetailView() {
  const selectedId = useLab((s) => s.selectedId);
  const detail = useLab((s) => s.detail);
  const detailError = useLab((s) => s.detailError);

  if (!selectedId) {
    return (
      <div className="detail-empty">
        <p>Select a call to see its SIP ladder, INVITE headers and contact-id verdict, latency, media and Signals.</p>
      </div>
    );
  }
  if (!detail || detail.id !== selectedId) {
    return <div className="detail-empty">{detailError ? <div className="inline-error">calls/get: {detailError}</div> : <p>Loading call…</p>}</div>;
  }
  return (
    <div className="detail" data-testid="call-detail" data-call-id={detail.id}>
      {detailError && <div className="inline-error">calls/get: {detailError}</div>}
      <div className="detail-export">
        <ExportMenu selection={{ callIds: [detail.id] }} label="Export call" />
      </div>
      <CallSummaryBox call={detail} />
      <CallContactTimeline call={detail} />
      <div className="detail-grid">
        <div className="detail-col">
          <LadderDiagram messages={detail.messages} contactHeader={detail.verdict?.header ?? null} />
          <LatencyTimeline call={detail} />
          <MediaPanel callRef={detail.id} media={detail.media} live={LIVE_STATES.has(detail.state)} />
          {LIVE_STATES.has(detail.state) && <DtmfKeypad callRef={detail.id} live={detail.state === 'answered'} dtmf={detail.media?.dtmf ?? []} />}
        </div>
        <div className="detail-col">
          <VerdictBox verdict={detail.verdict} hasInvite={detail.invite !== null} />
          <InviteHeaders call={detail} />
          <section className="panel signal" aria-labelledby="signal-title">
            <h2 id="signal-title">
              Signal <span className="muted">POST …/interactions/{'{contactId}'}/signal</span>
            </h2>
            <SignalComposer key={detail.id} callRef={detail.id} profileId={detail.profile} callContactId={detail.contactId} />
            <SignalList signals={detail.signals} />
          </section>
          <CheckList checks={detail.checks} />
        </div>
      </div>
    </div>
  );
}
