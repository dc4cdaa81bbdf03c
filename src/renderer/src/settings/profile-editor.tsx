import { useState, type FormEvent } from 'react';
import type { ListedProfile } from '../../../shared/contract';
import { formatRuleSource, PROFILE_RULE_FIELDS, type ProfileRuleField, type RuleSource, type ScriptTopology, type VendorProfile } from '../../../shared/profile';
import { SIGNAL_PARAM_NAMES } from '../../../shared/types';
import { labApi } from '../store';

const list = (s: string): string[] =>
  s
    .split(/[,\n]/)
    .map((x) => x.trim())
    .filter(Boolean);

/** A rule's source beside its field (issue 14): seed, NICE doc, RFC, or "assumed here" with why. */
function Source({ source }: { source: RuleSource | undefined }) {
  const assumed = !source || source.kind === 'assumed';
  return (
    <span className={assumed ? 'rule-source assumed' : 'rule-source'} style={{ fontSize: '0.85em', fontWeight: 'normal', opacity: 0.75 }} data-testid="rule-source" title={source?.why ?? (assumed ? 'a check built on it is a warning, never a failure' : undefined)}>
      {assumed ? '~ ' : ''}
      {/* The short form (what is assumed); the why is the tooltip. */}
      {formatRuleSource(source && { ...source, why: undefined })}
    </span>
  );
}

function strip(p: ListedProfile): VendorProfile {
  const { builtin: _b, ...rest } = p;
  return structuredClone(rest);
}

/**
 * The vendor profiles (design.md §3): built-ins read-only (duplicate one to change it), custom ones
 * editable and validated by the main process (its messages name each bad field).
 */
export function ProfileEditor({ profiles }: { profiles: ListedProfile[] }) {
  const [selected, setSelected] = useState<string>(profiles[0]?.id ?? '');
  const [draft, setDraft] = useState<VendorProfile | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const current = profiles.find((p) => p.id === selected);
  const shown: VendorProfile | null = draft ?? (current ? strip(current) : null);
  const readOnly = !draft;
  // An edited rule no longer follows its source: its source is dropped (it then reads as assumed).
  const set = (patch: Partial<VendorProfile>): void =>
    setDraft((d) => {
      if (!d) return d;
      const sources = { ...d.sources };
      for (const k of Object.keys(patch)) if ((PROFILE_RULE_FIELDS as readonly string[]).includes(k)) delete sources[k as ProfileRuleField];
      return { ...d, ...patch, sources };
    });
  const src = (f: ProfileRuleField) => <Source source={shown?.sources?.[f]} />;
  const setTopology = (patch: Partial<ScriptTopology>): void => {
    if (!shown) return;
    const t = { ...shown.topology, ...patch };
    set({ topology: t.kind === 'single' ? { kind: 'single', headerHolds: 'main', onSignalIn: 'main' } : t });
  };

  const duplicate = (): void => {
    if (!current) return;
    const base = strip(current);
    setDraft({ ...base, id: `${base.id}-copy`.slice(0, 40), name: `${base.name} (copy)` });
    setError(null);
  };
  const save = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (!draft) return;
    const r = await labApi()?.['profiles/save']({ profile: draft });
    if (!r) return;
    if (r.ok) {
      setSelected(r.value.id);
      setDraft(null);
      setError(null);
      setSaved(`saved ${r.value.id}`);
    } else setError(r.error);
  };
  const remove = async (): Promise<void> => {
    if (!current || current.builtin) return;
    const r = await labApi()?.['profiles/delete']({ id: current.id });
    if (r && !r.ok) setError(r.error);
    else setSelected(profiles[0]?.id ?? '');
  };

  return (
    <section className="panel settings-section profile-editor" aria-labelledby="profiles-title">
      <h2 id="profiles-title">
        Vendor profiles <span className="muted">header names, contact-id pattern, Signal convention, who hangs up</span>
      </h2>
      <div className="profile-layout">
        <ul className="profile-list" role="listbox" aria-label="Profiles">
          {profiles.map((p) => (
            <li key={p.id}>
              <button
                type="button"
                role="option"
                aria-selected={p.id === selected}
                className={p.id === selected ? 'profile-item selected' : 'profile-item'}
                data-testid="profile-item"
                data-profile-id={p.id}
                onClick={() => {
                  setSelected(p.id);
                  setDraft(null);
                  setError(null);
                  setSaved(null);
                }}
              >
                {p.name} <span className="muted">{p.builtin ? 'built-in' : 'custom'}</span>
              </button>
            </li>
          ))}
        </ul>
        {shown && (
          <form className="settings-form profile-form" onSubmit={(e) => void save(e)} data-testid="profile-form" data-editing={readOnly ? 'false' : 'true'}>
            <div className="form-actions wide">
              {readOnly ? (
                <>
                  <span className="muted">{current?.builtin ? 'Built-in profiles are read-only.' : 'Custom profile.'}</span>
                  <span className="spacer" />
                  {/* Distinct keys: React must not turn this button into the submit button below during the click. */}
                  <button key="duplicate" type="button" data-testid="profile-duplicate" onClick={duplicate}>
                    Duplicate as custom
                  </button>
                  {current && !current.builtin && (
                    <>
                      <button key="edit" type="button" data-testid="profile-edit" onClick={() => setDraft(strip(current))}>
                        Edit
                      </button>
                      <button type="button" className="danger" onClick={() => void remove()}>
                        Delete
                      </button>
                    </>
                  )}
                </>
              ) : (
                <>
                  <span className="muted">Editing a custom profile</span>
                  <span className="spacer" />
                  <button key="save" type="submit" className="primary" data-testid="profile-save">
                    Save profile
                  </button>
                  <button type="button" onClick={() => setDraft(null)}>
                    Cancel
                  </button>
                </>
              )}
            </div>
            <fieldset disabled={readOnly} className="profile-fields">
              <label>
                <span>Id (CLI --profile)</span>
                <input data-testid="profile-id" value={shown.id} onChange={(e) => set({ id: e.target.value })} />
              </label>
              <label>
                <span>Name</span>
                <input data-testid="profile-name" value={shown.name} onChange={(e) => set({ name: e.target.value })} />
              </label>
              <label className="wide">
                <span>Contact-id headers, in order of preference (comma-separated) {src('contactIdHeaders')}</span>
                <input data-testid="profile-headers" value={shown.contactIdHeaders.join(', ')} onChange={(e) => set({ contactIdHeaders: list(e.target.value) })} />
              </label>
              <label className="check">
                <input type="checkbox" checked={shown.headerCaseSensitive} onChange={(e) => set({ headerCaseSensitive: e.target.checked })} /> the bot matches the header name with exact case {src('headerCaseSensitive')}
              </label>
              <label>
                <span>Contact id pattern (regular expression) {src('valuePattern')}</span>
                <input data-testid="profile-pattern" value={shown.valuePattern} onChange={(e) => set({ valuePattern: e.target.value })} />
              </label>
              <label>
                <span>Expected p1 values (comma-separated; * = any other) {src('expectedP1')}</span>
                <input value={shown.expectedP1.join(', ')} onChange={(e) => set({ expectedP1: list(e.target.value) })} />
              </label>
              <label>
                <span>Auth {src('auth')}</span>
                <select value={shown.auth} onChange={(e) => set({ auth: e.target.value as VendorProfile['auth'] })}>
                  <option value="access-key">access key</option>
                  <option value="oauth-password">OAuth password grant</option>
                </select>
              </label>
              <label>
                <span>API version {src('apiVersion')}</span>
                <input value={shown.apiVersion} onChange={(e) => set({ apiVersion: e.target.value })} />
              </label>
              <label>
                <span>Path style {src('pathStyle')}</span>
                <select value={shown.pathStyle} onChange={(e) => set({ pathStyle: e.target.value as VendorProfile['pathStyle'] })}>
                  <option value="incontactapi">/incontactapi/</option>
                  <option value="inContactAPI">/inContactAPI/</option>
                </select>
              </label>
              <label>
                <span>Who ends the bot leg {src('hangsUp')}</span>
                <select value={shown.hangsUp} onChange={(e) => set({ hangsUp: e.target.value as VendorProfile['hangsUp'] })}>
                  <option value="cxone">CXone (on ONSIGNAL)</option>
                  <option value="bot">the bot, after signalling</option>
                </select>
              </label>
              <label>
                <span>Script topology {src('topology')}</span>
                <select data-testid="profile-topology" value={shown.topology.kind} onChange={(e) => setTopology({ kind: e.target.value as ScriptTopology['kind'] })}>
                  <option value="single">single script (PLACECALL and ONSIGNAL in one)</option>
                  <option value="main-spawn">main + spawn</option>
                  <option value="parent-child">parent/child (MasterId)</option>
                </select>
              </label>
              <label>
                <span>Header holds the ContactId of</span>
                <select data-testid="profile-header-holds" disabled={shown.topology.kind === 'single'} value={shown.topology.headerHolds} onChange={(e) => setTopology({ headerHolds: e.target.value as ScriptTopology['headerHolds'] })}>
                  <option value="main">the main / parent script (MasterId)</option>
                  <option value="placer">the script that PLACECALLs (spawned / child)</option>
                </select>
              </label>
              <label>
                <span>ONSIGNAL waits in</span>
                <select data-testid="profile-onsignal-in" disabled={shown.topology.kind === 'single'} value={shown.topology.onSignalIn} onChange={(e) => setTopology({ onSignalIn: e.target.value as ScriptTopology['onSignalIn'] })}>
                  <option value="main">the main / parent script</option>
                  <option value="placer">the script that PLACECALLs (spawned / child)</option>
                </select>
              </label>
              <label>
                <span>Bot's number for PLACECALL {src('placeCall')}</span>
                <input
                  data-testid="profile-bot-number"
                  placeholder={shown.placeCall.mustMatch ?? 'not checked'}
                  value={shown.placeCall.botNumber ?? ''}
                  onChange={(e) => {
                    const { botNumber: _old, ...rest } = shown.placeCall;
                    setDraft((d) => (d ? { ...d, placeCall: e.target.value.trim() ? { ...rest, botNumber: e.target.value.trim() } : rest } : d));
                  }}
                />
              </label>
              <label className="check">
                <input type="checkbox" checked={!!shown.placeCall.requireTls} onChange={(e) => set({ placeCall: { ...shown.placeCall, requireTls: e.target.checked } })} /> the bot's trunk requires SIP over TLS
              </label>
              <label className="check">
                <input type="checkbox" checked={!!shown.placeCall.e164} onChange={(e) => set({ placeCall: { ...shown.placeCall, e164: e.target.checked } })} /> the PLACECALL number is E.164
              </label>
              <div className="wide params-grid" aria-label="Default Signal">
                {SIGNAL_PARAM_NAMES.map((n) => (
                  <label key={n}>
                    <span>default {n}</span>
                    <input
                      data-testid={`profile-${n}`}
                      value={shown.defaultSignal[n] ?? ''}
                      onChange={(e) => {
                        const next = { ...shown.defaultSignal, [n]: e.target.value };
                        if (!e.target.value) delete next[n];
                        set({ defaultSignal: next });
                      }}
                    />
                  </label>
                ))}
              </div>
              <label className="wide">
                <span>Extra X- headers (Name: value, one per line)</span>
                <textarea
                  rows={2}
                  value={shown.extraHeaders.map((h) => `${h.name}: ${h.value}`).join('\n')}
                  onChange={(e) =>
                    set({
                      extraHeaders: e.target.value
                        .split('\n')
                        .filter((l) => l.trim())
                        .map((l) => ({ name: l.split(':')[0]!.trim(), value: l.split(':').slice(1).join(':').trim() })),
                    })
                  }
                />
              </label>
              <label className="wide">
                <span>Notes</span>
                <textarea rows={3} value={shown.notes} onChange={(e) => set({ notes: e.target.value })} />
              </label>
            </fieldset>
          </form>
        )}
      </div>
      {error && (
        <div className="inline-error" role="alert" data-testid="profile-error">
          {error}
        </div>
      )}
      {saved && !error && (
        <div className="ok-text" role="status" data-testid="profile-saved">
          ✓ {saved}
        </div>
      )}
    </section>
  );
}
