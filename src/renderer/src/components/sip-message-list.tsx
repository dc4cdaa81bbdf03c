import { useState } from 'react';
import type { SipMessageRecord } from '../../../shared/types';

/**
 * The call's SIP messages in socket order: direction arrow, +Δ from the first message (monotonic
 * stamps, ms), first line, remote address. A click shows the raw text.
 */
export function SipMessageList({ messages }: { messages: SipMessageRecord[] }) {
  const [open, setOpen] = useState<number | null>(null);
  const sorted = [...messages].sort((a, b) => a.monoMs - b.monoMs);
  const t0 = sorted[0]?.monoMs ?? 0;
  return (
    <section className="panel" aria-label="SIP messages">
      <h2>
        SIP messages <span className="muted">{messages.length}</span>
      </h2>
      {sorted.length === 0 ? (
        <p className="empty">No SIP messages yet.</p>
      ) : (
        <ol className="sip-messages">
          {sorted.map((m, i) => {
            const isOpen = open === i;
            const kind = m.status === undefined ? 'req' : m.status < 200 ? 'prov' : m.status < 300 ? 'ok' : 'err';
            return (
              <li key={i} data-testid="sip-message-row" data-direction={m.direction} className={`sip-msg sip-${kind}`}>
                <button
                  type="button"
                  className="sip-msg-line"
                  aria-expanded={isOpen}
                  onClick={() => setOpen(isOpen ? null : i)}
                  title={`${m.direction === 'out' ? 'sent' : 'received'} ${m.transport.toUpperCase()} ${m.local} ${m.direction === 'out' ? '→' : '←'} ${m.remote}`}
                >
                  <span className={`dir dir-${m.direction}`}>{m.direction === 'out' ? '→' : '←'}</span>
                  <span className="num delta">+{(m.monoMs - t0).toFixed(1)} ms</span>
                  <code className="first-line">{m.firstLine}</code>
                  <span className="remote muted">{m.remote}</span>
                </button>
                {isOpen && <pre className="raw">{m.raw}</pre>}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
