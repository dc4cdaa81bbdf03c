import { useEffect, useState, type FormEvent } from 'react';
import { SIGNAL_PARAM_NAMES, type CallDetail, type SignalParams } from '../../../shared/types';
import { useLab } from '../store';
import { SignalList } from './signal-list';

type Outcome = { ok: boolean; text: string };

/**
 * Signal composer for the selected call: p1..p9 prefilled from the call profile's `defaultSignal`,
 * the contact id prefilled from the call (editable). Sends only non-empty parameters with
 * `signals/send`. Mount it with `key={call.id}` so a new selection starts from a fresh form.
 */
export function SignalForm({ call }: { call: CallDetail }) {
  const profiles = useLab((s) => s.profiles);
  const sendSignal = useLab((s) => s.sendSignal);
  const profile = profiles.find((p) => p.id === call.profile) ?? profiles.find((p) => p.name === call.profile);

  const [params, setParams] = useState<SignalParams>(() => ({ ...(profile?.defaultSignal ?? {}) }));
  const [paramsTouched, setParamsTouched] = useState(false);
  const [contactId, setContactId] = useState(call.contactId ?? '');
  const [contactTouched, setContactTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  // Profiles and the contact id can arrive after the call was selected: fill them in until edited.
  const defaults = profile?.defaultSignal;
  useEffect(() => {
    if (!paramsTouched && defaults) setParams({ ...defaults });
  }, [defaults, paramsTouched]);
  useEffect(() => {
    if (!contactTouched && call.contactId) setContactId(call.contactId);
  }, [call.contactId, contactTouched]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const sent: SignalParams = {};
    for (const name of SIGNAL_PARAM_NAMES) {
      const v = params[name];
      if (v !== undefined && v !== '') sent[name] = v;
    }
    const id = contactId.trim();
    setBusy(true);
    setOutcome(null);
    const result = await sendSignal({ callRef: call.id, ...(id ? { contactId: id } : {}), params: sent });
    setBusy(false);
    if (result.ok) {
      const s = result.value;
      setOutcome({ ok: s.ok, text: `${s.status ?? 'no response'}: ${s.message}` });
    } else {
      setOutcome({ ok: false, text: result.error });
    }
  };

  return (
    <section className="panel signal" aria-labelledby="signal-title">
      <h2 id="signal-title">
        Signal <span className="muted">POST …/interactions/{'{contactId}'}/signal</span>
      </h2>
      <form className="signal-form" onSubmit={(e) => void submit(e)}>
        <label className="contact-field">
          <span>Contact id</span>
          <input
            data-testid="signal-contact-id"
            value={contactId}
            spellCheck={false}
            placeholder="from the INVITE"
            onChange={(e) => {
              setContactTouched(true);
              setContactId(e.target.value);
            }}
          />
        </label>
        <div className="params-grid">
          {SIGNAL_PARAM_NAMES.map((name) => (
            <label key={name}>
              <span>{name}</span>
              <input
                data-testid={`signal-${name}`}
                value={params[name] ?? ''}
                spellCheck={false}
                onChange={(e) => {
                  setParamsTouched(true);
                  setParams((prev) => ({ ...prev, [name]: e.target.value }));
                }}
              />
            </label>
          ))}
        </div>
        <div className="form-actions">
          <button type="submit" className="primary" data-testid="send-signal" disabled={busy}>
            {busy ? 'Sending…' : 'Send Signal'}
          </button>
          {outcome && (
            <span
              className={outcome.ok ? 'signal-result ok-text' : 'signal-result fail-text'}
              data-testid="signal-result"
              data-ok={outcome.ok ? 'true' : 'false'}
              role="status"
            >
              {outcome.ok ? '✓' : '✗'} {outcome.text}
            </span>
          )}
        </div>
      </form>
      <SignalList signals={call.signals} />
    </section>
  );
}
