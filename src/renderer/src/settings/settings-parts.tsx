import type { ReactNode } from 'react';
import type { LabMethod } from '../../../shared/contract';
import { labApi } from '../store';

/** A settings section: title, hint, the "New …" button, its rows and form, and the last error. */
export function SettingsSection({
  id,
  title,
  hint,
  newLabel,
  newTestId,
  onNew,
  error,
  children,
}: {
  id: string;
  title: string;
  hint: string;
  newLabel: string;
  newTestId: string;
  onNew: () => void;
  error: string | null;
  children: ReactNode;
}) {
  return (
    <section className="panel settings-section" aria-labelledby={id}>
      <h2 id={id}>
        {title} <span className="muted">{hint}</span>
        <span className="spacer" />
        <button type="button" className="small" data-testid={newTestId} onClick={onNew}>
          {newLabel}
        </button>
      </h2>
      {children}
      {error && (
        <div className="inline-error" role="alert" data-testid={`${newTestId}-error`}>
          {error}
        </div>
      )}
    </section>
  );
}

/** A labelled one-line text input of a settings form. */
export function TextField({ label, testId, value, placeholder, onChange }: { label: string; testId?: string; value: string; placeholder?: string; onChange: (v: string) => void }) {
  return (
    <label>
      <span>{label}</span>
      <input data-testid={testId} value={value} placeholder={placeholder} spellCheck={false} onChange={(e) => onChange(e.target.value)} />
    </label>
  );
}

/** Save and Cancel at the foot of a settings form. */
export function FormActions({ saveLabel, saveTestId, busy = false, onCancel }: { saveLabel: string; saveTestId: string; busy?: boolean; onCancel: () => void }) {
  return (
    <div className="form-actions wide">
      <button type="submit" className="primary" data-testid={saveTestId} disabled={busy}>
        {busy ? 'Saving…' : saveLabel}
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

/** Deletes a setting by id with one of the `settings/delete…` methods; the error, or null. */
export async function deleteSetting(method: Extract<LabMethod, `settings/delete${string}`>, id: string): Promise<string | null> {
  const api = labApi();
  if (!api) return 'the lab API is not available';
  const r = await api[method]({ id });
  return r.ok ? null : r.error;
}
