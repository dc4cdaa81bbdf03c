import type { SignalRecord } from '../../../shared/types';
import { fmtClock, fmtMs, paramsSummary } from '../format';
import { VerdictMark } from './verdict-mark';

/**
 * The Signals sent for this call, oldest first: time, HTTP status, ok/fail, latency (ms), message,
 * and the parameters on a line of their own (they can be long).
 */
export function SignalList({ signals }: { signals: SignalRecord[] }) {
  if (signals.length === 0) return <p className="empty">No Signal sent for this call yet.</p>;
  const sorted = [...signals].sort((a, b) => a.wallMs - b.wallMs);
  return (
    <ol className="signal-rows" aria-label="Signals of this call">
      {sorted.map((s) => (
        <li
          key={s.id}
          className={s.ok ? 'signal-row' : 'signal-row signal-fail'}
          data-testid="signal-row"
          data-status={s.status === null ? 'none' : String(s.status)}
          data-ok={s.ok ? 'true' : 'false'}
        >
          <div className="signal-row-line">
            <VerdictMark ok={s.ok} />
            <span className="num">{fmtClock(s.wallMs)}</span>
            <span className={s.ok ? 'http ok-text' : 'http fail-text'}>HTTP {s.status ?? '—'}</span>
            <span className="num muted" title="request start to response end">
              {fmtMs(s.ms)}
            </span>
            <span className={s.ok ? 'signal-message' : 'signal-message fail-text'}>{s.message}</span>
          </div>
          <div className="signal-row-line sub">
            <code title={s.url}>
              {s.contactId} · {paramsSummary(s.params)}
            </code>
          </div>
        </li>
      ))}
    </ol>
  );
}
