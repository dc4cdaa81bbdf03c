import { useState, type FormEvent } from 'react';
import type { ListedProfile, SipListenerSetting, SipListenerView } from '../../../shared/contract';
import type { SipTransportKind } from '../../../shared/types';
import { ProfileOptions } from '../components/profile-options';
import { labApi } from '../store';
import { deleteSetting, FormActions, SettingsSection, TextField } from './settings-parts';

type Draft = Omit<SipListenerSetting, 'id'> & { id?: string };

const blank = (): Draft => ({ transport: 'udp', host: '0.0.0.0', port: 5060, advertiseHost: null, profile: 'custom', enabled: true });

/**
 * SIP listeners of the settings (issue 5 item 6): where CXone's pseudo number is routed when the
 * app is the bot. Each runs while enabled; its state and URI show here and on the Calls screen.
 */
export function ListenersSection({ listeners, profiles }: { listeners: SipListenerView[]; profiles: ListedProfile[] }) {
  const [draft, setDraft] = useState<Draft | null>(null);
  const [error, setError] = useState<string | null>(null);
  const set = (patch: Partial<Draft>): void => setDraft((d) => (d ? { ...d, ...patch } : d));

  const save = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (!draft) return;
    const r = await labApi()?.['settings/saveListener']({ ...draft, advertiseHost: draft.advertiseHost?.trim() || null });
    if (!r) return;
    if (r.ok) {
      setDraft(null);
      setError(r.value.error ? `saved, but it did not start: ${r.value.error}` : null);
    } else setError(r.error);
  };
  const remove = async (id: string): Promise<void> => setError(await deleteSetting('settings/deleteListener', id));

  return (
    <SettingsSection
      id="listeners-settings-title"
      title="SIP listeners"
      hint="besides the built-in loopback ones"
      newLabel="New listener"
      newTestId="listener-new"
      onNew={() => setDraft(blank())}
      error={error}
    >
      {listeners.length === 0 && !draft && <p className="empty">No listener of your own: the built-in ones listen on loopback only.</p>}
      <ul className="setting-rows">
        {listeners.map((l) => (
          <li key={l.id} className="setting-row" data-testid="listener-row" data-status={l.status}>
            <div className="setting-line">
              <span className="tag tag-x">{l.transport}</span>
              <code>
                {l.host}:{l.port}
              </code>
              <span className="muted">profile {l.profile}</span>
              <span className={l.status === 'listening' ? 'tag tag-ok' : l.status === 'error' ? 'tag tag-fail' : 'tag'}>{l.status}</span>
              {l.uri && <code className="muted">{l.uri}</code>}
              <span className="spacer" />
              <button type="button" className="small" onClick={() => setDraft({ id: l.id, transport: l.transport, host: l.host, port: l.port, advertiseHost: l.advertiseHost, profile: l.profile, enabled: l.enabled })}>
                Edit
              </button>
              <button type="button" className="small danger" onClick={() => void remove(l.id)}>
                Delete
              </button>
            </div>
            {l.error && <div className="fail-text">{l.error}</div>}
          </li>
        ))}
      </ul>
      {draft && (
        <form className="settings-form" onSubmit={(e) => void save(e)} data-testid="listener-form">
          <label>
            <span>Transport</span>
            <select data-testid="listener-transport" value={draft.transport} onChange={(e) => set({ transport: e.target.value as SipTransportKind })}>
              <option value="udp">UDP</option>
              <option value="tcp">TCP</option>
              <option value="tls">TLS</option>
            </select>
          </label>
          <TextField label="Bind address" testId="listener-host" value={draft.host} onChange={(v) => set({ host: v })} />
          <label>
            <span>Port (0: any free)</span>
            <input data-testid="listener-port" type="number" min={0} max={65535} value={draft.port} onChange={(e) => set({ port: Number(e.target.value) })} />
          </label>
          <TextField label="Advertised address (optional)" value={draft.advertiseHost ?? ''} placeholder="public IP CXone reaches" onChange={(v) => set({ advertiseHost: v })} />
          <label>
            <span>Profile of incoming calls</span>
            <select data-testid="listener-profile" value={draft.profile} onChange={(e) => set({ profile: e.target.value })}>
              <ProfileOptions profiles={profiles} />
            </select>
          </label>
          <label className="check">
            <input type="checkbox" checked={draft.enabled} onChange={(e) => set({ enabled: e.target.checked })} /> enabled
          </label>
          <FormActions saveLabel="Save listener" saveTestId="listener-save" onCancel={() => setDraft(null)} />
        </form>
      )}
    </SettingsSection>
  );
}
