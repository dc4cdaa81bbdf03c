import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { ListedProfile } from '../../../shared/contract';
import type { SipHeader, SipTransportKind } from '../../../shared/types';
import { useLab } from '../store';
import { ProfileOptions } from './profile-options';
import { HeaderEditor } from './header-editor';

/** The X- headers the emulated child script puts for a profile: the contact-id header with `{contactId}`, then the profile's extras. */
export function profileHeaders(p: ListedProfile | undefined): SipHeader[] {
  if (!p) return [];
  return [{ name: p.contactIdHeaders[0] ?? 'X-ContactID', value: '{contactId}' }, ...p.extraHeaders];
}

/**
 * Place a call (issue 5 item 1): as CXone, to a SIP URI or to a number through a trunk, with the
 * profile's X- headers or edited ones; with no target, the emulated CXone calls the built-in
 * reference bot (design.md §2, mode 3).
 */
export function PlaceCallPanel() {
  const profiles = useLab((s) => s.profiles);
  const profilesError = useLab((s) => s.profilesError);
  const info = useLab((s) => s.info);
  const settings = useLab((s) => s.settings);
  const refreshSettings = useLab((s) => s.refreshSettings);
  const place = useLab((s) => s.place);
  const [target, setTarget] = useState('');
  const [profileId, setProfileId] = useState('');
  const [transport, setTransport] = useState<SipTransportKind>('udp');
  const [trunkId, setTrunkId] = useState('');
  const [botSignals, setBotSignals] = useState(false);
  const [headers, setHeaders] = useState<SipHeader[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!settings) void refreshSettings();
  }, [settings, refreshSettings]);

  const chosen = profileId || profiles[0]?.id || '';
  const profile = profiles.find((p) => p.id === chosen);
  const defaults = useMemo(() => profileHeaders(profile), [profile]);
  const toBot = target.trim() === '' && !trunkId;
  const transports = info?.transports ?? ['udp', 'tcp'];

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (!chosen) {
      setError('no vendor profile to call with');
      return;
    }
    setBusy(true);
    setError(null);
    const result = await place({ target: target.trim(), profile: chosen, transport, headers, trunkId: trunkId || null, botSignals: toBot && botSignals });
    setBusy(false);
    if (!result.ok) setError(result.error);
  };

  return (
    <section className="panel place-call" aria-labelledby="place-call-title">
      <h2 id="place-call-title">Place a call</h2>
      <form onSubmit={(e) => void submit(e)} className="place-call-form">
        <label className="wide">
          <span>Target {trunkId ? '(number or SIP URI)' : '(SIP URI; empty: the built-in reference bot)'}</span>
          <input
            data-testid="call-target"
            value={target}
            spellCheck={false}
            placeholder={trunkId ? '+15551234567' : 'sip:bot@10.0.0.5:5060'}
            onChange={(e) => setTarget(e.target.value)}
          />
        </label>
        <label>
          <span>Profile</span>
          <select
            data-testid="profile-select"
            value={chosen}
            onChange={(e) => {
              if (e.target.value !== chosen) setHeaders(null);
              setProfileId(e.target.value);
            }}
          >
            <ProfileOptions profiles={profiles} />
          </select>
        </label>
        <label>
          <span>Transport</span>
          <select data-testid="transport-select" value={transport} onChange={(e) => setTransport(e.target.value as SipTransportKind)}>
            {transports.map((t) => (
              <option key={t} value={t}>
                {t.toUpperCase()}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Trunk</span>
          <select data-testid="trunk-select" value={trunkId} onChange={(e) => setTrunkId(e.target.value)}>
            <option value="">none (direct)</option>
            {(settings?.trunks ?? []).map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
        <HeaderEditor headers={headers ?? defaults} edited={headers !== null} onChange={setHeaders} onReset={() => setHeaders(null)} />
        <div className="form-actions wide">
          {toBot && (
            <label className="check">
              <input type="checkbox" data-testid="bot-signals" checked={botSignals} onChange={(e) => setBotSignals(e.target.checked)} />
              <span>bot signals by itself</span>
            </label>
          )}
          <span className="spacer" />
          <button type="submit" className="primary" data-testid="place-call" disabled={busy}>
            {busy ? 'Placing…' : toBot ? 'Call the reference bot' : 'Place call'}
          </button>
        </div>
      </form>
      {error && (
        <div className="inline-error" role="alert" data-testid="place-call-error">
          {error}
        </div>
      )}
      {profilesError && <div className="inline-error">profiles/list: {profilesError}</div>}
    </section>
  );
}
