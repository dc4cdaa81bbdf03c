import { useState } from 'react';
import { EXPORT_FORMATS, type ExportFormat, type ExportSelection } from '../../../shared/contract';
import { saveExportedFile } from '../download';
import { fmtBytes } from '../format';
import { labApi } from '../store';

/** Labels of the export formats. */
const FORMAT_LABELS: Record<ExportFormat, string> = {
  html: 'HTML report',
  json: 'JSON',
  junit: 'JUnit XML',
  markdown: 'Markdown',
  pcap: 'pcap (SIP + RTP, not redacted)',
};

/**
 * The Export menu (issue 6): choose formats and redaction (phone numbers, IP addresses; secrets
 * are always redacted), the main process builds the files (`reports/export`), each is saved as a
 * download. `selection` null: nothing to export (the button is disabled, `hint` says why).
 */
export function ExportMenu({ selection, label, hint }: { selection: ExportSelection | null; label: string; hint?: string }) {
  const [formats, setFormats] = useState<ExportFormat[]>(['html']);
  const [phones, setPhones] = useState(false);
  const [ips, setIps] = useState(false);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const toggle = (f: ExportFormat, on: boolean): void => setFormats((cur) => EXPORT_FORMATS.filter((x) => (x === f ? on : cur.includes(x))));
  const run = async (): Promise<void> => {
    const api = labApi();
    if (!api || !selection) return;
    setBusy(true);
    setError(null);
    setStatus(null);
    const r = await api['reports/export']({ selection, formats, redact: { phoneNumbers: phones, ipAddresses: ips } });
    setBusy(false);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    for (const f of r.value) saveExportedFile(f);
    setStatus(`saved ${r.value.map((f) => `${f.fileName} (${fmtBytes(f.bytes)})`).join(', ')}`);
  };

  return (
    <details className="export-menu" data-testid="export-menu">
      <summary data-testid="export-open" title={selection ? undefined : hint}>
        {label}
      </summary>
      <div className="export-pop panel">
        <fieldset>
          <legend>Formats</legend>
          {EXPORT_FORMATS.map((f) => (
            <label key={f} className="check">
              <input type="checkbox" data-testid={`export-format-${f}`} checked={formats.includes(f)} onChange={(e) => toggle(f, e.target.checked)} />
              {FORMAT_LABELS[f]}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Redact (secrets always are)</legend>
          <label className="check">
            <input type="checkbox" data-testid="export-redact-phones" checked={phones} onChange={(e) => setPhones(e.target.checked)} />
            phone numbers
          </label>
          <label className="check">
            <input type="checkbox" data-testid="export-redact-ips" checked={ips} onChange={(e) => setIps(e.target.checked)} />
            IP addresses
          </label>
        </fieldset>
        <button type="button" className="primary" data-testid="export-go" disabled={!selection || formats.length === 0 || busy} onClick={() => void run()}>
          {busy ? 'Exporting…' : `Export ${formats.length} file${formats.length === 1 ? '' : 's'}`}
        </button>
        {!selection && hint && <p className="hint muted">{hint}</p>}
        {status && (
          <p className="hint ok-text" data-testid="export-status">
            {status}
          </p>
        )}
        {error && <div className="inline-error">reports/export: {error}</div>}
      </div>
    </details>
  );
}
