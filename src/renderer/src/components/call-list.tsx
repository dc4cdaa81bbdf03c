import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useLab } from '../store';
import { CallRow } from './call-row';

const LIVE = new Set(['idle', 'inviting', 'ringing', 'answered', 'ending']);

/** The recent calls, newest first (or only the live ones); arrow keys move the selection while it has focus. */
export function CallList() {
  const all = useLab((s) => s.calls);
  const [liveOnly, setLiveOnly] = useState(false);
  const calls = useMemo(() => (liveOnly ? all.filter((c) => LIVE.has(c.state)) : all), [all, liveOnly]);
  const liveCount = useMemo(() => all.filter((c) => LIVE.has(c.state)).length, [all]);
  const callsError = useLab((s) => s.callsError);
  const selectedId = useLab((s) => s.selectedId);
  const select = useLab((s) => s.select);
  const listRef = useRef<HTMLUListElement>(null);

  useEffect(() => {
    if (!selectedId) return;
    const row = listRef.current?.querySelector<HTMLElement>(`[data-call-id="${CSS.escape(selectedId)}"]`);
    row?.scrollIntoView({ block: 'nearest' });
  }, [selectedId]);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const i = calls.findIndex((c) => c.id === selectedId);
      const next = calls[i < 0 ? 0 : Math.max(0, Math.min(calls.length - 1, i + (e.key === 'ArrowDown' ? 1 : -1)))];
      if (next) select(next.id);
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      const target = e.key === 'Home' ? calls[0] : calls[calls.length - 1];
      if (target) select(target.id);
    }
  };

  return (
    <section className="panel call-list" aria-labelledby="calls-title">
      <h2 id="calls-title">
        Calls <span className="muted">{liveCount} live · {all.length} recent</span>
        <span className="spacer" />
        <label className="check small-check">
          <input type="checkbox" data-testid="live-only" checked={liveOnly} onChange={(e) => setLiveOnly(e.target.checked)} />
          live only
        </label>
      </h2>
      {callsError && <div className="inline-error">calls/list: {callsError}</div>}
      {calls.length === 0 ? (
        <p className="empty">{liveOnly ? 'No live call.' : 'No calls yet. Call the reference bot, or point CXone at a listener.'}</p>
      ) : (
        <ul
          ref={listRef}
          role="listbox"
          aria-label="Calls"
          aria-activedescendant={selectedId ? `call-${selectedId}` : undefined}
          tabIndex={0}
          className="call-rows"
          data-testid="call-list"
          onKeyDown={onKeyDown}
        >
          {calls.map((c) => (
            <CallRow key={c.id} call={c} selected={c.id === selectedId} onSelect={() => select(c.id)} />
          ))}
        </ul>
      )}
    </section>
  );
}
