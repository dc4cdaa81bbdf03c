import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { VendorProfile } from '../../../shared/profile';
import { SIGNAL_PARAM_NAMES, type SignalParams } from '../../../shared/types';
import { paramsSummary } from '../format';
import { useLab } from '../store';
import { ProfileOptions } from './profile-options';

/** A named set of p1..p9 to start from. */
export interface SignalPreset {
  label: string;
  params: SignalParams;
}

/**
 * The presets of a profile: its default Signal, then each literal p1 it expects (Kore's
 * `AgentHandoff`, Watson's `hangup`…), keeping the default's other parameters.
 */
export function signalPresets(p: VendorProfile | undefined): SignalPreset[] {
  if (!p) return [];
  const out: SignalPreset[] = [{ label: paramsSummary(p.defaultSignal), params: { ...p.defaultSignal } }];
  for (const v of p.expectedP1) {
    if (v === '*' || v === p.defaultSignal.p1) continue;
    out.push({ label: `p1=${v}`, params: { ...p.defaultSignal, p1: v } });
  }
  return out;
}

type Outcome = { ok: boolean; text: string };

/**
 * Signal composer (issue 5 item 3): contact id (from the call, editable), p1..p9 with the profile's
 * presets, and where the Signal goes — the embedded CXone emulator or a CXone connection of the
 * settings (its keys from the OS keychain, in the main process). Sends only non-empty parameters.
 * Mount with `key` = the call so that a new call starts from a fresh form.
 */
export function SignalComposer({ callRef, profileId, callContactId }: { callRef: string | null; profileId: string | null; callContactId: string | null }) {
  const profiles = useLab((s) => s.profiles);
  const settings = useLab((s) => s.settings);
  const refreshSettings = useLab((s) => s.refreshSettings);
  const sendSignal = useLab((s) => s.sendSignal);
  const [chosenProfile, setChosenProfile] = useState<string>(profileId ?? '');
  const profile = profiles.find((p) => p.id === (profileId ?? chosenProfile)) ?? profiles.find((p) => p.id === 'custom');
  const presets = useMemo(() => signalPresets(profile), [profile]);

  const [params, setParams] = useState<SignalParams>(() => ({ ...(profile?.defaultSignal ?? {}) }));
  const [paramsTouched, setParamsTouched] = useState(false);
  const [contactId, setContactId] = useState(callContactId ?? '');
  const [contactTouched, setContactTouched] = useState(false);
  const [connectionId, setConnectionId] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  // Profiles and the contact id can arrive after the form appeared: fill them in until edited.
  const defaults = profile?.defaultSignal;
  useEffect(() => {
    if (!paramsTouched && defaults) setParams({ ...defaults });
  }, [defaults, paramsTouched]);
  useEffect(() => {
    if (!contactTouched && callContactId) setContactId(callContactId);
  }, [callContactId, contactTouched]);
  useEffect(() => {
    if (!settings) void refreshSettings();
  }, [settings, refreshSettings]);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const sent: SignalParams = {};
    for (const name of SIGNAL_PARAM_NAMES) {
      const v = params[name];
      if (v !== undefined && v !== '') sent[name] = v;
    }
    const id = contactId.trim();
    if (!callRef && !id) {
      setOutcome({ ok: false, text: 'give the contact id to signal' });
      return;
    }
    setBusy(true);
    setOutcome(null);
    const result = await sendSignal({
      ...(callRef ? { callRef } : {}),
      ...(id ? { contactId: id } : {}),
      params: sent,
      connectionId: connectionId || null,
      ...(profile ? { profile: profile.id } : {}),
    });
    setBusy(false);
    if (result.ok) setOutcome({ ok: result.value.ok, text: `${result.value.status ?? 'no response'}: ${result.value.message}` });
    else setOutcome({ ok: false, text: result.error });
  };

  return (
    <form className="signal-form" onSubmit={(e) => void submit(e)} data-testid="signal-composer">
      <div className="form-row">
        <label className="contact-field">
          <span>Contact id</span>
          <input
            data-testid="signal-contact-id"
            value={contactId}
            spellCheck={false}
            placeholder={callRef ? 'from the INVITE' : 'ContactId or MasterId'}
            onChange={(e) => {
              setContactTouched(true);
              setContactId(e.target.value);
            }}
          />
        </label>
        {!profileId && (
          <label>
            <span>Profile</span>
            <select data-testid="signal-profile" value={profile?.id ?? ''} onChange={(e) => setChosenProfile(e.target.value)}>
              <ProfileOptions profiles={profiles} />
            </select>
          </label>
        )}
        <label>
          <span>Send through</span>
          <select data-testid="signal-connection" value={connectionId} onChange={(e) => setConnectionId(e.target.value)}>
            <option value="">embedded CXone emulator</option>
            {(settings?.connections ?? []).map((c) => (
              <option key={c.id} value={c.id} disabled={!c.accessKeySecretSet}>
                {c.name}
                {c.accessKeySecretSet ? '' : ' (no secret set)'}
              </option>
            ))}
          </select>
        </label>
      </div>
      {presets.length > 0 && (
        <div className="presets" role="group" aria-label={`Presets of ${profile?.name ?? 'the profile'}`}>
          <span className="muted">Presets</span>
          {presets.map((p, i) => (
            <button
              key={p.label}
              type="button"
              className="chip-button"
              data-testid={`signal-preset-${i}`}
              onClick={() => {
                setParamsTouched(true);
                setParams({ ...p.params });
              }}
            >
              {p.label}
            </button>
          ))}
        </div>
      )}
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
          <span className={outcome.ok ? 'signal-result ok-text' : 'signal-result fail-text'} data-testid="signal-result" data-ok={outcome.ok ? 'true' : 'false'} role="status">
            {outcome.ok ? '✓' : '✗'} {outcome.text}
          </span>
        )}
      </div>
    </form>
  );
}
