import { useState, type FormEvent } from 'react';
import type { KeychainStatus, TrunkInput, TrunkView } from '../../../shared/contract';
import type { SipTransportKind } from '../../../shared/types';
import { labApi } from '../store';
import { SecretField } from './keychain-notice';
import { deleteSetting, FormActions, SettingsSection, TextField } from './settings-parts';

type Draft = Omit<TrunkInput, 'password' | 'clearPassword'> & { password: string; clearPassword: boolean };

const blank = (): Draft => ({ name: '', host: '', port: 5060, transport: 'udp', domain: null, username: null, register: false, password: '', clearPassword: false });

/**
 * SIP trunks (issue 5 item 6): proxy, domain and digest account; the password goes to the OS
 * keychain. A call placed "through" a trunk uses it as outbound proxy with these credentials.
 */
export function TrunksSection({ trunks, keychain }: { trunks: TrunkView[]; keychain: KeychainStatus }) {
  const [draft, setDraft] = useState<Draft | null>(null);
  const [error, setError] = useState<string | null>(null);
  const editing = draft?.id ? trunks.find((t) => t.id === draft.id) : undefined;
  const set = (patch: Partial<Draft>): void => setDraft((d) => (d ? { ...d, ...patch } : d));

  const save = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (!draft) return;
    const { password, clearPassword, ...rest } = draft;
    const r = await labApi()?.['settings/saveTrunk']({ ...rest, ...(password ? { password } : {}), ...(clearPassword ? { clearPassword } : {}) });
    set({ password: '', clearPassword: false });
    if (!r) return;
    if (r.ok) {
      setDraft(null);
      setError(null);
    } else setError(r.error);
  };
  const remove = async (id: string): Promise<void> => setError(await deleteSetting('settings/deleteTrunk', id));

  return (
    <SettingsSection
      id="trunks-title"
      title="SIP trunks"
      hint="outbound proxy + digest account, for calls to numbers"
      newLabel="New trunk"
      newTestId="trunk-new"
      onNew={() => setDraft(blank())}
      error={error}
    >
      {trunks.length === 0 && !draft && <p className="empty">No trunk: calls go straight to a SIP URI.</p>}
      <ul className="setting-rows">
        {trunks.map((t) => (
          <li key={t.id} className="setting-row" data-testid="trunk-row">
            <div className="setting-line">
              <strong>{t.name}</strong>
              <span className="tag tag-x">{t.transport}</span>
              <code>
                {t.host}:{t.port}
              </code>
              <span className="muted">
                {t.username ? `user ${t.username}` : 'no account'}
                {t.domain ? ` · domain ${t.domain}` : ''}
                {t.register ? ' · REGISTER' : ''}
              </span>
              {t.username && <span className={t.passwordSet ? 'tag tag-ok' : 'tag tag-warn'}>password {t.passwordSet ? 'set' : 'not set'}</span>}
              {t.registration.state !== 'off' && (
                <span
                  className={t.registration.state === 'registered' ? 'tag tag-ok' : t.registration.state === 'failed' ? 'tag tag-fail' : 'tag'}
                  data-testid="trunk-registration"
                  title={t.registration.error ?? undefined}
                >
                  {t.registration.state}
                  {t.registration.expiresS !== null ? ` ${t.registration.expiresS} s` : ''}
                </span>
              )}
              <span className="spacer" />
              <button
                type="button"
                className="small"
                onClick={() => setDraft({ id: t.id, name: t.name, host: t.host, port: t.port, transport: t.transport, domain: t.domain, username: t.username, register: t.register, password: '', clearPassword: false })}
              >
                Edit
              </button>
              <button type="button" className="small danger" onClick={() => void remove(t.id)}>
                Delete
              </button>
            </div>
            {t.registration.error && <div className="fail-text">{t.registration.error}</div>}
          </li>
        ))}
      </ul>
      {draft && (
        <form className="settings-form" onSubmit={(e) => void save(e)} data-testid="trunk-form">
          <TextField label="Name" testId="trunk-name" value={draft.name} onChange={(v) => set({ name: v })} />
          <TextField label="Proxy host" testId="trunk-host" value={draft.host} onChange={(v) => set({ host: v })} />
          <label>
            <span>Port</span>
            <input type="number" min={1} max={65535} value={draft.port} onChange={(e) => set({ port: Number(e.target.value) })} />
          </label>
          <label>
            <span>Transport</span>
            <select value={draft.transport} onChange={(e) => set({ transport: e.target.value as SipTransportKind })}>
              <option value="udp">UDP</option>
              <option value="tcp">TCP</option>
              <option value="tls">TLS</option>
            </select>
          </label>
          <TextField label="Domain (optional)" value={draft.domain ?? ''} placeholder="the proxy host" onChange={(v) => set({ domain: v })} />
          <TextField label="Username (optional)" testId="trunk-username" value={draft.username ?? ''} onChange={(v) => set({ username: v })} />
          <SecretField
            label="Password"
            testId="trunk-password"
            isSet={editing?.passwordSet ?? false}
            value={draft.password}
            onChange={(v) => set({ password: v })}
            keychain={keychain}
            clear={draft.clearPassword}
            onClear={(v) => set({ clearPassword: v })}
          />
          <label className="check">
            <input type="checkbox" checked={draft.register} onChange={(e) => set({ register: e.target.checked })} /> REGISTER with the trunk
          </label>
          <FormActions saveLabel="Save trunk" saveTestId="trunk-save" onCancel={() => setDraft(null)} />
        </form>
      )}
    </SettingsSection>
  );
}
