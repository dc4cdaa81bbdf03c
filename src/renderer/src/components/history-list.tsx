import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { CallSummary } from '../../../shared/types';
import { fmtDateTime, fmtMs, sipUser } from '../format';
import { useHistoryPages, type HistoryQuery } from '../history-model';
import { StateBadge } from './state-badge';
import { VerdictMark } from './verdict-mark';

const ROW_PX = 32;

function Row({ call, index, active }: { call: CallSummary | undefined; index: number; active: boolean }) {
  if (!call) {
    return (
      <div className="history-row loading" aria-hidden="true">
        <span className="muted">loading…</span>
      </div>
    );
  }
  return (
    <div
      className={active ? 'history-row active' : 'history-row'}
      id={`history-row-${index}`}
      role="option"
      aria-selected={active}
      data-testid="history-row"
      data-index={index}
      data-call-id={call.id}
    >
      <span className="num">{fmtDateTime(call.startedWallMs)}</span>
      <StateBadge state={call.state} />
      <span className="muted">
        {call.role.toUpperCase()}/{call.transport.toUpperCase()}
      </span>
      <span className="profile">{call.profile}</span>
      <code className="contact-id" title="contact id">
        {call.contactId ?? '—'}
      </code>
      <code title={call.callId}>{call.callId}</code>
      <span className="numbers" title={`${call.from} → ${call.to}`}>
        {sipUser(call.from)} → {sipUser(call.to)}
      </span>
      <VerdictMark ok={call.contactIdOk} title="contact id verdict" />
      <span className="num">{fmtMs(call.latency.invite_to_200)}</span>
    </div>
  );
}

/**
 * The calls matching the History query, virtualised (@tanstack/react-virtual): only the rows in
 * view exist in the DOM, pages load as they come into view. ↑/↓/PgUp/PgDn/Home/End move the active
 * row, Enter opens it.
 */
export function HistoryList({ query, reloadKey, onOpen }: { query: HistoryQuery; reloadKey: number; onOpen: (id: string) => void }) {
  const { total, error, row, need } = useHistoryPages(query, reloadKey);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const count = total ?? 0;
  const virtualizer = useVirtualizer({ count, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_PX, overscan: 10 });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  useEffect(() => {
    if (count > 0) need(first, last);
  }, [first, last, count, need]);
  const queryKey = JSON.stringify(query);
  useEffect(() => setActive(0), [queryKey, reloadKey]);

  const move = (to: number): void => {
    const i = Math.max(0, Math.min(count - 1, to));
    setActive(i);
    virtualizer.scrollToIndex(i, { align: 'auto' });
  };
  const onKeyDown = (e: KeyboardEvent): void => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 320) / ROW_PX) - 1);
    const keys: Record<string, number> = { ArrowDown: active + 1, ArrowUp: active - 1, PageDown: active + page, PageUp: active - page, Home: 0, End: count - 1 };
    if (e.key in keys) {
      e.preventDefault();
      move(keys[e.key]!);
    } else if (e.key === 'Enter') {
      const c = row(active);
      if (c) onOpen(c.id);
    }
  };

  return (
    <div className="history-list">
      <div className="history-count" data-testid="history-count" data-total={total ?? ''}>
        {total === null ? 'searching…' : `${total.toLocaleString()} call${total === 1 ? '' : 's'}`}
        {error && <span className="fail-text"> · {error}</span>}
      </div>
      <div className="history-row history-head" aria-hidden="true">
        <span>started</span>
        <span>state</span>
        <span>role</span>
        <span>profile</span>
        <span>contact id</span>
        <span>Call-ID</span>
        <span>from → to</span>
        <span>✓</span>
        <span>INVITE→200</span>
      </div>
      <div
        ref={scrollRef}
        className="history-scroll"
        data-testid="history-scroll"
        role="listbox"
        aria-label="Calls in history"
        aria-activedescendant={count > 0 ? `history-row-${active}` : undefined}
        tabIndex={0}
        onKeyDown={onKeyDown}
      >
        <div className="history-spacer" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((v) => (
            <div
              key={v.key}
              className="history-slot"
              style={{ transform: `translateY(${v.start}px)`, height: v.size }}
              onClick={() => {
                setActive(v.index);
                const c = row(v.index);
                if (c) onOpen(c.id);
              }}
            >
              <Row call={row(v.index)} index={v.index} active={v.index === active} />
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
