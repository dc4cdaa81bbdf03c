import { useLab } from '../store';
import { CallSummaryBox } from './call-summary-box';
import { CheckList } from './check-list';
import { InviteHeaders } from './invite-headers';
import { LatencyMarks } from './latency-marks';
import { SignalForm } from './signal-form';
import { SipMessageList } from './sip-message-list';
import { VerdictBox } from './verdict-box';

/** The right-hand pane: everything about the selected call. */
export function CallDetailView() {
  const selectedId = useLab((s) => s.selectedId);
  const detail = useLab((s) => s.detail);
  const detailError = useLab((s) => s.detailError);

  if (!selectedId) {
    return (
      <div className="detail-empty">
        <p>Select a call to see its INVITE, contact-id verdict, SIP messages, latency and Signals.</p>
      </div>
    );
  }
  if (!detail || detail.id !== selectedId) {
    return (
      <div className="detail-empty">
        {detailError ? <div className="inline-error">calls/get: {detailError}</div> : <p>Loading call…</p>}
      </div>
    );
  }
  return (
    <div className="detail" data-testid="call-detail" data-call-id={detail.id}>
      {detailError && <div className="inline-error">calls/get: {detailError}</div>}
      <CallSummaryBox call={detail} />
      <div className="detail-grid">
        <div className="detail-col">
          <VerdictBox verdict={detail.verdict} hasInvite={detail.invite !== null} />
          <InviteHeaders call={detail} />
          <SipMessageList messages={detail.messages} />
        </div>
        <div className="detail-col">
          <SignalForm key={detail.id} call={detail} />
          <LatencyMarks latency={detail.latency} />
          <CheckList checks={detail.checks} />
        </div>
      </div>
    </div>
  );
}
