import { useState } from 'react';
import type { SignalListEntry } from '../../../shared/contract';
import type { SignalRecord } from '../../../shared/types';
import { fmtClock, fmtDateTime, fmtMs, paramsSummary } from '../format';
import { useLab } from '../store';
import { HttpExchangeView } from './http-exchange';
import { VerdictMark } from './verdict-mark';

/**
 * Signals with their status, latency and message; a click opens the HTTP exchange (redacted as
 * history keeps it). `withCall` adds the date, profile and a link to the call (the Signals screen).
 */
export function SignalList({ signals, withCall = false, order = 'oldest' }: { signals: Array<SignalRecord | SignalListEntry>; withCall?: boolean; order?: 'oldest' | 'newest' }) {
  const openCall = useLab((s) => s.openCall);
  const [open, setOpen] = useState<string | null>(null);
  if (signals.length === 0) return <p className="empty">No Signal sent yet.</p>;
  const sorted = [...signals].sort((a, b) => (order === 'oldest' ? a.wallMs - b.wallMs : b.wallMs - a.wallMs));
  return (
    <ol className="signal-rows" aria-label="Signals">
      {sorted.map((s) => {
        const isOpen = open === s.id;
        return (
          <li
            key={s.id}
            className={s.ok ? 'signal-row' : 'signal-row signal-fail'}
            data-testid="signal-row"
            data-status={s.status === null ? 'none' : String(s.status)}
            data-ok={s.ok ? 'true' : 'false'}
          >
            <button type="button" className="signal-row-button" aria-expanded={isOpen} onClick={() => setOpen(isOpen ? null : s.id)}>
              <div className="signal-row-line">
                <VerdictMark ok={s.ok} />
                <span className="num">{withCall ? fmtDateTime(s.wallMs) : fmtClock(s.wallMs)}</span>
                <span className={s.ok ? 'http ok-text' : 'http fail-text'}>HTTP {s.status ?? '—'}</span>
                <span className="num muted" title="request start to response end">
                  {fmtMs(s.ms)}
                </span>
                {s.tokenMs !== null && s.tokenMs > 0 && (
                  <span className="num muted" title="time to obtain the token">
                    token {fmtMs(s.tokenMs)}
                  </span>
                )}
                <span className={s.ok ? 'signal-message' : 'signal-message fail-text'}>{s.message}</span>
              </div>
              <div className="signal-row-line sub">
                <code title={s.url}>
                  {s.contactId} · {paramsSummary(s.params)}
                </code>
                {withCall && 'profile' in s && s.profile && <span className="muted">{s.profile}</span>}
              </div>
            </button>
            {isOpen && (
              <div className="signal-detail">
                {withCall && s.callRef && (
                  <button type="button" className="link-button" onClick={() => openCall(s.callRef!)}>
                    Open the call
                  </button>
                )}
                <HttpExchangeView exchange={s.exchange} />
              </div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
