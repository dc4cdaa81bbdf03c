import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { inStampOrder } from '../../../shared/sip-order';
import type { SipMessageRecord } from '../../../shared/types';
import { fmtClock, messageLabel } from '../format';
import { RawMessage } from './raw-message';

/** Width of one participant's lane (px), and of the gap before the first. */
const LANE = 230;
const PAD = 64;
const ROW = 30;

/** Where a message goes from and to: the sending and receiving socket addresses. */
function ends(m: SipMessageRecord): { from: string; to: string } {
  return m.direction === 'out' ? { from: m.local, to: m.remote } : { from: m.remote, to: m.local };
}

/** The participants (socket addresses) in order of first appearance, ours marked. */
export function participants(messages: readonly SipMessageRecord[]): Array<{ addr: string; ours: boolean }> {
  const out: Array<{ addr: string; ours: boolean }> = [];
  const seen = new Set<string>();
  for (const m of messages) {
    const { from, to } = ends(m);
    for (const addr of [from, to]) {
      if (seen.has(addr)) continue;
      seen.add(addr);
      out.push({ addr, ours: addr === m.local });
    }
  }
  return out;
}

function kindOf(m: SipMessageRecord): 'req' | 'prov' | 'ok' | 'err' {
  return m.status === undefined ? 'req' : m.status < 200 ? 'prov' : m.status < 300 ? 'ok' : 'err';
}

/**
 * The call's SIP messages as a ladder diagram, as sngrep draws it: one lane per socket address,
 * one arrow per message in stamp order (monotonic stamp, then history's `seq`: shared/sip-order.ts),
 * with the wall-clock stamp and the delta to the previous message (monotonic stamps). A click, or
 * Enter on a focused row, shows the raw message; ↑/↓ move between messages.
 */
export function LadderDiagram({ messages, contactHeader }: { messages: SipMessageRecord[]; contactHeader: string | null }) {
  const sorted = useMemo(() => inStampOrder(messages), [messages]);
  const lanes = useMemo(() => participants(sorted), [sorted]);
  const [open, setOpen] = useState<number | null>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const width = PAD * 2 + Math.max(1, lanes.length - 1) * LANE;
  const x = (addr: string): number => PAD + lanes.findIndex((l) => l.addr === addr) * LANE;
  const t0 = sorted[0]?.monoMs ?? 0;

  const focusRow = (i: number): void => {
    const rows = listRef.current?.querySelectorAll<HTMLButtonElement>('button.ladder-row');
    rows?.[Math.max(0, Math.min(sorted.length - 1, i))]?.focus();
  };
  const onKeyDown = (e: KeyboardEvent, i: number): void => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      focusRow(i + (e.key === 'ArrowDown' ? 1 : -1));
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      focusRow(e.key === 'Home' ? 0 : sorted.length - 1);
    }
  };

  if (sorted.length === 0) {
    return (
      <section className="panel" aria-label="SIP ladder">
        <h2>SIP ladder</h2>
        <p className="empty">No SIP messages yet.</p>
      </section>
    );
  }
  const selected = open !== null ? sorted[open] : undefined;
  return (
    <section className="panel ladder-panel" aria-label="SIP ladder" data-testid="ladder">
      <h2>
        SIP ladder <span className="muted">{sorted.length} messages · click a message for its raw text</span>
      </h2>
      <div className="ladder-scroll">
        <div className="ladder-head">
          <span className="ladder-time muted">time</span>
          <span className="ladder-delta muted">Δ ms</span>
          <svg className="ladder-svg" width={width} height={34} aria-hidden="true">
            {lanes.map((l) => (
              <g key={l.addr}>
                <text x={x(l.addr)} y={13} textAnchor="middle" className={l.ours ? 'lane-label ours' : 'lane-label'}>
                  {l.addr}
                </text>
                <text x={x(l.addr)} y={28} textAnchor="middle" className="lane-sub">
                  {l.ours ? 'this app' : 'peer'}
                </text>
              </g>
            ))}
          </svg>
        </div>
        <ol className="ladder-rows" ref={listRef}>
          {sorted.map((m, i) => {
            const { from, to } = ends(m);
            const x1 = x(from);
            const x2 = x(to);
            const dir = x2 >= x1 ? 1 : -1;
            const prev = sorted[i - 1];
            const kind = kindOf(m);
            return (
              <li key={`${i}-${m.monoMs}`}>
                <button
                  type="button"
                  className={open === i ? 'ladder-row selected' : 'ladder-row'}
                  data-testid="ladder-row"
                  data-direction={m.direction}
                  aria-pressed={open === i}
                  aria-label={`${m.direction === 'out' ? 'sent' : 'received'} ${m.firstLine}`}
                  onClick={() => setOpen(open === i ? null : i)}
                  onKeyDown={(e) => onKeyDown(e, i)}
                >
                  <span className="ladder-time num" title={new Date(m.wallMs).toISOString()}>
                    {fmtClock(m.wallMs)}
                  </span>
                  <span className="ladder-delta num" title={`+${(m.monoMs - t0).toFixed(1)} ms since the first message`}>
                    {prev ? `+${(m.monoMs - prev.monoMs).toFixed(1)}` : '0.0'}
                  </span>
                  <svg className="ladder-svg" width={width} height={ROW} aria-hidden="true">
                    {lanes.map((l) => (
                      <line key={l.addr} x1={x(l.addr)} x2={x(l.addr)} y1={0} y2={ROW} className="lifeline" />
                    ))}
                    <line x1={x1} x2={x2 - dir * 7} y1={ROW - 8} y2={ROW - 8} className={`arrow arrow-${kind}`} />
                    <path d={`M${x2} ${ROW - 8} l${-dir * 8} -4 v8 z`} className={`arrow-head arrow-${kind}`} />
                    <text x={(x1 + x2) / 2} y={ROW - 13} textAnchor="middle" className={`arrow-label label-${kind}`}>
                      {messageLabel(m.firstLine, m.method, m.status)}
                    </text>
                  </svg>
                </button>
              </li>
            );
          })}
        </ol>
      </div>
      {selected && <RawMessage message={selected} contactHeader={contactHeader} onClose={() => setOpen(null)} />}
    </section>
  );
}
