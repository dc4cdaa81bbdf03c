import { useState, type FormEvent } from 'react';
import type { ConnectionTestResult, CxoneConnectionInput, CxoneConnectionView, KeychainStatus } from '../../../shared/contract';
import { CheckRows } from '../components/check-list';
import { labApi } from '../store';
import { SecretField } from './keychain-notice';
import { deleteSetting, FormActions, SettingsSection, TextField } from './settings-parts';

type Draft = Omit<CxoneConnectionInput, 'accessKeySecret' | 'clientSecret' | 'clearSecrets'> & {
  accessKeySecret: string;
  clientSecret: string;
  clearKey: boolean;
  clearClient: boolean;
};

const blank = (): Draft => ({
  name: '',
  auth: 'access-key',
  area: 'na1',
  issuer: null,
  apiBase: null,
  apiVersion: 'v30.0',
  pathStyle: 'incontactapi',
  accessKeyId: '',
  clientId: null,
  accessKeySecret: '',
  clientSecret: '',
  clearKey: false,
  clearClient: false,
});

function toDraft(c: CxoneConnectionView): Draft {
  const { accessKeySecretSet: _a, clientSecretSet: _c, ...rest } = c;
  return { ...rest, accessKeySecret: '', clientSecret: '', clearKey: false, clearClient: false };
}

/** The input to save: secrets only when typed (write-only), cleared ones listed. */
function toInput(d: Draft): CxoneConnectionInput {
  const { accessKeySecret, clientSecret, clearKey, clearClient, ...rest } = d;
  const clear: Array<'accessKeySecret' | 'clientSecret'> = [];
  if (clearKey) clear.push('accessKeySecret');
  if (clearClient) clear.push('clientSecret');
  return {
    ...rest,
    ...(accessKeySecret ? { accessKeySecret } : {}),
    ...(clientSecret && d.auth === 'oauth-password' ? { clientSecret } : {}),
    ...(clear.length ? { clearSecrets: clear } : {}),
  };
}

/**
 * CXone connections (issue 5 item 6): area or issuer, access key id and secret, client id and
 * secret; "test connection" gets a token and the server time. Secrets are typed here, sent once to
 * the main process for the OS keychain, and cleared from the form: the screen only ever learns
 * whether each is set.
 */
export function ConnectionsSection({ connections, keychain }: { connections: CxoneConnectionView[]; keychain: KeychainStatus }) {
  const [draft, setDraft] = useState<Draft | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [tests, setTests] = useState<Record<string, ConnectionTestResult | 'running'>>({});
  const editing = draft?.id ? connections.find((c) => c.id === draft.id) : undefined;
  const set = (patch: Partial<Draft>): void => setDraft((d) => (d ? { ...d, ...patch } : d));

  const save = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const api = labApi();
    if (!api || !draft) return;
    setBusy(true);
    const r = await api['settings/saveConnection'](toInput(draft));
    setBusy(false);
    // The secrets leave the form whatever the outcome: they are never kept in the renderer.
    set({ accessKeySecret: '', clientSecret: '', clearKey: false, clearClient: false });
    if (r.ok) {
      setDraft(null);
      setError(null);
    } else setError(r.error);
  };
  const test = async (id: string): Promise<void> => {
    const api = labApi();
    if (!api) return;
    setTests((t) => ({ ...t, [id]: 'running' }));
    const r = await api['settings/testConnection']({ id });
    setTests((t) => ({ ...t, [id]: r.ok ? r.value : { ok: false, message: r.error, checks: [] } }));
  };
  const remove = async (id: string): Promise<void> => setError(await deleteSetting('settings/deleteConnection', id));

  return (
    <SettingsSection
      id="connections-title"
      title="CXone connections"
      hint="where Signals go in mode 1 (the app is the bot)"
      newLabel="New connection"
      newTestId="conn-new"
      onNew={() => setDraft(blank())}
      error={error}
    >
      {connections.length === 0 && !draft && <p className="empty">No connection yet: the embedded emulator is used.</p>}
      <ul className="setting-rows">
        {connections.map((c) => {
          const t = tests[c.id];
          return (
            <li key={c.id} className="setting-row" data-testid="conn-row" data-name={c.name}>
              <div className="setting-line">
                <strong>{c.name}</strong>
                <span className="muted">
                  {c.auth === 'access-key' ? `access key · ${c.area ?? c.apiBase}` : `OAuth · ${c.issuer}`} · {c.apiVersion} · key id <code>{c.accessKeyId}</code>
                </span>
                <span className={c.accessKeySecretSet ? 'tag tag-ok' : 'tag tag-warn'} data-testid="conn-secret-state">
                  secret {c.accessKeySecretSet ? 'set' : 'not set'}
                </span>
                {c.auth === 'oauth-password' && <span className={c.clientSecretSet ? 'tag tag-ok' : 'tag tag-warn'}>client secret {c.clientSecretSet ? 'set' : 'not set'}</span>}
                <span className="spacer" />
                <button type="button" className="small" data-testid="conn-test" disabled={t === 'running'} onClick={() => void test(c.id)}>
                  {t === 'running' ? 'Testing…' : 'Test connection'}
                </button>
                <button type="button" className="small" onClick={() => setDraft(toDraft(c))}>
                  Edit
                </button>
                <button type="button" className="small danger" onClick={() => void remove(c.id)}>
                  Delete
                </button>
              </div>
              {t && t !== 'running' && (
                <div className={t.ok ? 'test-result ok-text' : 'test-result fail-text'} data-testid="conn-test-result" data-ok={t.ok ? 'true' : 'false'}>
                  {t.ok ? '✓' : '✗'} {t.message}
                  {t.checks.length > 0 && <CheckRows checks={t.checks} className="checks test-checks" />}
                </div>
              )}
            </li>
          );
        })}
      </ul>
      {draft && (
        <form className="settings-form" onSubmit={(e) => void save(e)} data-testid="conn-form">
          <TextField label="Name" testId="conn-name" value={draft.name} onChange={(v) => set({ name: v })} />
          <label>
            <span>Sign-in</span>
            <select data-testid="conn-auth" value={draft.auth} onChange={(e) => set({ auth: e.target.value as Draft['auth'] })}>
              <option value="access-key">access key (area)</option>
              <option value="oauth-password">OAuth password grant (issuer + client)</option>
            </select>
          </label>
          {draft.auth === 'access-key' ? (
            <TextField label="Area" testId="conn-area" value={draft.area ?? ''} placeholder="na1, eu1, au1…" onChange={(v) => set({ area: v })} />
          ) : (
            <TextField label="Issuer" testId="conn-issuer" value={draft.issuer ?? ''} placeholder="https://cxone.niceincontact.com" onChange={(v) => set({ issuer: v })} />
          )}
          <TextField label="API host (optional)" testId="conn-api-base" value={draft.apiBase ?? ''} placeholder="discovered from the token" onChange={(v) => set({ apiBase: v })} />
          <TextField label="API version" testId="conn-api-version" value={draft.apiVersion} onChange={(v) => set({ apiVersion: v })} />
          <label>
            <span>Path style</span>
            <select value={draft.pathStyle} onChange={(e) => set({ pathStyle: e.target.value as Draft['pathStyle'] })}>
              <option value="incontactapi">/incontactapi/</option>
              <option value="inContactAPI">/inContactAPI/</option>
            </select>
          </label>
          <TextField label="Access key id" testId="conn-key-id" value={draft.accessKeyId} onChange={(v) => set({ accessKeyId: v })} />
          <SecretField
            label="Access key secret"
            testId="conn-key-secret"
            isSet={editing?.accessKeySecretSet ?? false}
            value={draft.accessKeySecret}
            onChange={(v) => set({ accessKeySecret: v })}
            keychain={keychain}
            clear={draft.clearKey}
            onClear={(v) => set({ clearKey: v })}
          />
          {draft.auth === 'oauth-password' && (
            <>
              <TextField label="Client id" testId="conn-client-id" value={draft.clientId ?? ''} onChange={(v) => set({ clientId: v })} />
              <SecretField
                label="Client secret"
                testId="conn-client-secret"
                isSet={editing?.clientSecretSet ?? false}
                value={draft.clientSecret}
                onChange={(v) => set({ clientSecret: v })}
                keychain={keychain}
                clear={draft.clearClient}
                onClear={(v) => set({ clearClient: v })}
              />
            </>
          )}
          <FormActions saveLabel="Save connection" saveTestId="conn-save" busy={busy} onCancel={() => setDraft(null)} />
        </form>
      )}
    </SettingsSection>
  );
}
