import { useState } from 'react';
import type { CallDetail } from '../../../shared/types';
import { fmtClock } from '../format';
import { useLab } from '../store';
import { StateBadge } from './state-badge';

const LIVE_STATES = new Set(['idle', 'inviting', 'ringing', 'answered']);

/** Summary of the selected call: state, role, From/To, Request-URI, end reason; Hang up while live. */
export function CallSummaryBox({ call }: { call: CallDetail }) {
  const hangup = useLab((s) => s.hangup);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const live = LIVE_STATES.has(call.state);

  const onHangup = async () => {
    setBusy(true);
    setError(null);
    const result = await hangup(call.id);
    setBusy(false);
    if (!result.ok) setError(result.error);
  };

  return (
    <section className="panel call-summary" aria-label="Call summary">
      <div className="summary-head">
        <StateBadge state={call.state} />
        <span className="role">
          {call.role === 'uac' ? 'UAC (app is CXone)' : 'UAS (app is the bot)'} · {call.transport.toUpperCase()} ·{' '}
          {call.profile}
        </span>
        <span className="spacer" />
        {live && (
          <button type="button" className="danger" data-testid="hangup" disabled={busy} onClick={() => void onHangup()}>
            {busy ? 'Hanging up…' : 'Hang up'}
          </button>
        )}
      </div>
      {error && <div className="inline-error">{error}</div>}
      <dl className="kv">
        <dt>Call-ID</dt>
        <dd>
          <code>{call.callId}</code>
        </dd>
        <dt>From</dt>
        <dd>
          <code>{call.from}</code>
        </dd>
        <dt>To</dt>
        <dd>
          <code>{call.to}</code>
        </dd>
        <dt>Request-URI</dt>
        <dd>
          <code>{call.requestUri}</code>
        </dd>
        <dt>Contact id</dt>
        <dd>
          <code data-testid="summary-contact-id">{call.contactId ?? '—'}</code>
        </dd>
        <dt>Started</dt>
        <dd>
          {fmtClock(call.startedWallMs)}
          {call.endedWallMs !== null && <> · ended {fmtClock(call.endedWallMs)}</>}
        </dd>
        <dt>End</dt>
        <dd>{call.end ? `${call.end.reason} (by ${call.end.by})` : <span className="muted">—</span>}</dd>
      </dl>
    </section>
  );
}
