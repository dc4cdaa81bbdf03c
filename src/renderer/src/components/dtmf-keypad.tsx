import { useState } from 'react';
import type { DtmfDigitRecord } from '../../../shared/types';
import { labApi } from '../store';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;

/**
 * A phone keypad for a live, answered call (issue 13 §4): each key sends its digit at once
 * (`calls/dtmf`) by RFC 4733 telephone-events or SIP INFO `application/dtmf-relay`. It lists the
 * digits keyed here, or those of the call's media report once it is saved (when the call ends);
 * SIP INFO digits also show in the ladder at once.
 */
export function DtmfKeypad({ callRef, live, dtmf }: { callRef: string; live: boolean; dtmf: readonly DtmfDigitRecord[] }) {
  const [method, setMethod] = useState<'rfc4733' | 'info'>('rfc4733');
  const [sending, setSending] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [keyed, setKeyed] = useState<string[]>([]);

  const press = async (digit: string) => {
    const api = labApi();
    if (!api) return setError('the lab API is not available');
    setSending(digit);
    setError(null);
    const r = await api['calls/dtmf']({ id: callRef, digits: digit, method });
    setSending(null);
    if (!r.ok) setError(r.error);
    else setKeyed((k) => [...k.slice(-63), `→${digit}${method === 'info' ? ' (INFO)' : ''}`]);
  };

  return (
    <section className="panel dtmf-keypad" aria-labelledby="dtmf-title" data-testid="dtmf-keypad">
      <h2 id="dtmf-title">
        Keypad <span className="muted">DTMF</span>
      </h2>
      <div className="dtmf-method" role="radiogroup" aria-label="DTMF method">
        {(['rfc4733', 'info'] as const).map((m) => (
          <label key={m}>
            <input type="radio" name={`dtmf-method-${callRef}`} value={m} checked={method === m} onChange={() => setMethod(m)} />{' '}
            {m === 'rfc4733' ? 'RFC 4733 (in RTP)' : 'SIP INFO (dtmf-relay)'}
          </label>
        ))}
      </div>
      <div className="dtmf-keys" style={{ display: 'grid', gridTemplateColumns: 'repeat(3, 3rem)', gap: '0.4rem', margin: '0.5rem 0' }}>
        {KEYS.map((k) => (
          <button
            key={k}
            type="button"
            data-testid={`dtmf-key-${k === '*' ? 'star' : k === '#' ? 'pound' : k}`}
            disabled={!live || sending !== null}
            aria-label={`DTMF ${k}`}
            onClick={() => void press(k)}
          >
            {k}
          </button>
        ))}
      </div>
      {!live && <p className="muted">The keypad works while the call is answered.</p>}
      {error && <div className="inline-error">calls/dtmf: {error}</div>}
      <p className="muted" data-testid="dtmf-digits">
        {keyed.length === 0 && dtmf.length === 0
          ? 'No digits yet.'
          : (dtmf.length ? dtmf.map((d) => `${d.direction === 'in' ? '←' : '→'}${d.digit}${d.via === 'info' ? ' (INFO)' : ''}`) : keyed).join(' ')}
      </p>
    </section>
  );
}
