import { useEffect, useRef, type KeyboardEvent } from 'react';
import { useLab } from '../store';
import { CallRow } from './call-row';

/** The live call list, newest first; arrow keys move the selection while it has focus. */
export function CallList() {
  const calls = useLab((s) => s.calls);
  const callsError = useLab((s) => s.callsError);
  const selectedId = useLab((s) => s.selectedId);
  const select = useLab((s) => s.select);
  const moveSelection = useLab((s) => s.moveSelection);
  const listRef = useRef<HTMLUListElement>(null);

  useEffect(() => {
    if (!selectedId) return;
    const row = listRef.current?.querySelector<HTMLElement>(`[data-call-id="${CSS.escape(selectedId)}"]`);
    row?.scrollIntoView({ block: 'nearest' });
  }, [selectedId]);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      moveSelection(e.key === 'ArrowDown' ? 1 : -1);
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      const target = e.key === 'Home' ? calls[0] : calls[calls.length - 1];
      if (target) select(target.id);
    }
  };

  return (
    <section className="panel call-list" aria-labelledby="calls-title">
      <h2 id="calls-title">
        Calls <span className="muted">{calls.length}</span>
      </h2>
      {callsError && <div className="inline-error">calls/list: {callsError}</div>}
      {calls.length === 0 ? (
        <p className="empty">No calls yet. Place an emulated test call, or point CXone at a listener.</p>
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
