import { useMemo, useState } from 'react';
import { SignalComposer } from '../components/signal-composer';
import { SignalList } from '../components/signal-list';
import { shortCallId } from '../format';
import { useLab } from '../store';

/**
 * Signals (issue 5 item 3): a composer for any call with a contact id (or a bare contact id), and
 * every Signal sent, newest first, with status, latency and the redacted HTTP exchange.
 */
export function SignalsScreen() {
  const calls = useLab((s) => s.calls);
  const signals = useLab((s) => s.signals);
  const signalsError = useLab((s) => s.signalsError);
  const selectedId = useLab((s) => s.selectedId);
  const refreshSignals = useLab((s) => s.refreshSignals);
  const withContact = useMemo(() => calls.filter((c) => c.contactId), [calls]);
  const [callRef, setCallRef] = useState<string>(() => (withContact.some((c) => c.id === selectedId) ? (selectedId ?? '') : (withContact[0]?.id ?? '')));
  const call = withContact.find((c) => c.id === callRef) ?? null;
  const okCount = signals.filter((s) => s.ok).length;
  return (
    <div className="screen-scroll two-col">
      <section className="panel" aria-labelledby="composer-title">
        <h2 id="composer-title">Compose a Signal</h2>
        <label className="field">
          <span>Call</span>
          <select data-testid="signal-call" value={callRef} onChange={(e) => setCallRef(e.target.value)}>
            <option value="">none: signal a contact id</option>
            {withContact.map((c) => (
              <option key={c.id} value={c.id}>
                {c.contactId} · {c.profile} · {c.role.toUpperCase()} · {c.state} · {shortCallId(c.callId)}
              </option>
            ))}
          </select>
        </label>
        <SignalComposer key={callRef || 'none'} callRef={call?.id ?? null} profileId={call?.profile ?? null} callContactId={call?.contactId ?? null} />
      </section>
      <section className="panel" aria-labelledby="signal-history-title">
        <h2 id="signal-history-title">
          Signal history <span className="muted">{signals.length} · {okCount} accepted · click one for its HTTP exchange</span>
          <span className="spacer" />
          <button type="button" className="small" onClick={() => void refreshSignals()}>
            Refresh
          </button>
        </h2>
        {signalsError && <div className="inline-error">signals/list: {signalsError}</div>}
        <div data-testid="signal-history">
          <SignalList signals={signals} withCall order="newest" />
        </div>
      </section>
    </div>
  );
}
