import { useState, type FormEvent } from 'react';
import { useLab } from '../store';

/**
 * "Place emulated test call": the CXone emulator calls the built-in reference bot on loopback
 * (design.md §2, mode 3) with the chosen vendor profile and transport.
 */
export function PlaceCallPanel() {
  const profiles = useLab((s) => s.profiles);
  const profilesError = useLab((s) => s.profilesError);
  const placeEmulated = useLab((s) => s.placeEmulated);
  const [profile, setProfile] = useState('');
  const [transport, setTransport] = useState<'udp' | 'tcp'>('udp');
  const [botSignals, setBotSignals] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const chosen = profile || profiles[0]?.id || '';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!chosen) {
      setError('no vendor profile to call with');
      return;
    }
    setBusy(true);
    setError(null);
    const result = await placeEmulated({ profile: chosen, transport, botSignals });
    setBusy(false);
    if (!result.ok) setError(result.error);
  };

  return (
    <section className="panel place-call" aria-labelledby="place-call-title">
      <h2 id="place-call-title">Place emulated test call</h2>
      <form onSubmit={(e) => void submit(e)} className="place-call-form">
        <label>
          <span>Profile</span>
          <select data-testid="profile-select" value={chosen} onChange={(e) => setProfile(e.target.value)}>
            {profiles.length === 0 && <option value="">(no profiles)</option>}
            {profiles.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Transport</span>
          <select
            data-testid="transport-select"
            value={transport}
            onChange={(e) => setTransport(e.target.value === 'tcp' ? 'tcp' : 'udp')}
          >
            <option value="udp">UDP</option>
            <option value="tcp">TCP</option>
          </select>
        </label>
        <label className="check">
          <input
            type="checkbox"
            data-testid="bot-signals"
            checked={botSignals}
            onChange={(e) => setBotSignals(e.target.checked)}
          />
          <span>bot signals by itself</span>
        </label>
        <button type="submit" className="primary" data-testid="place-call" disabled={busy}>
          {busy ? 'Placing…' : 'Place call'}
        </button>
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
