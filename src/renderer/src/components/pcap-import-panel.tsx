import { useState } from 'react';
import type { PcapImportResult } from '../../../shared/contract';
import { bytesToBase64 } from '../download';
import { fmtBytes, shortCallId } from '../format';
import { labApi, useLab } from '../store';
import { ProfileOptions } from './profile-options';
import { VerdictMark } from './verdict-mark';

/** The largest capture the dashboard sends (bytes); the main process refuses more (host/pcap-import.ts). */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

/**
 * pcap/pcapng import (issue 6): pick a capture and a profile; the bytes go to `import/pcap`, the
 * calls are rebuilt and verified into history as an `import` run, shown here with each verdict.
 * @param onImported - told the new run's id (History then shows that run).
 */
export function PcapImportPanel({ onImported }: { onImported: (runId: string) => void }) {
  const profiles = useLab((s) => s.profiles);
  const openCall = useLab((s) => s.openCall);
  const [file, setFile] = useState<File | null>(null);
  const [profile, setProfile] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<PcapImportResult | null>(null);
  const profileId = profile || profiles[0]?.id || '';

  const run = async (): Promise<void> => {
    const api = labApi();
    if (!api || !file) return;
    setError(null);
    setResult(null);
    if (file.size > MAX_IMPORT_BYTES) {
      setError(`${file.name} is ${fmtBytes(file.size)}: the dashboard imports captures up to ${fmtBytes(MAX_IMPORT_BYTES)} (use "lab import" for larger ones)`);
      return;
    }
    setBusy(true);
    try {
      const base64 = bytesToBase64(new Uint8Array(await file.arrayBuffer()));
      const r = await api['import/pcap']({ fileName: file.name, profile: profileId, base64 });
      if (!r.ok) setError(r.error);
      else {
        setResult(r.value);
        if (r.value.runId) onImported(r.value.runId);
      }
    } catch (e) {
      setError(`cannot read ${file.name}: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel import-panel" aria-labelledby="import-title">
      <h2 id="import-title">Import a capture</h2>
      <div className="toolbar-row">
        <label>
          <span>pcap / pcapng</span>
          <input type="file" accept=".pcap,.pcapng,.cap,application/vnd.tcpdump.pcap" data-testid="import-file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </label>
        <label>
          <span>Profile</span>
          <select data-testid="import-profile" value={profileId} onChange={(e) => setProfile(e.target.value)}>
            <ProfileOptions profiles={profiles} />
          </select>
        </label>
        <button type="button" className="primary" data-testid="import-go" disabled={!file || !profileId || busy} onClick={() => void run()}>
          {busy ? 'Importing…' : 'Import'}
        </button>
      </div>
      {error && <div className="inline-error" data-testid="import-error">import/pcap: {error}</div>}
      {result && (
        <div data-testid="import-result" data-run-id={result.runId ?? ''} data-ok={String(result.ok)}>
          <p className={result.ok ? 'ok-text' : 'fail-text'}>
            {result.ok ? '✓' : '✗'} {result.file} ({result.format ?? 'unknown format'}): {result.frames} frames, {result.sipMessages} SIP messages, {result.calls.length} call(s)
            {result.error ? ` — ${result.error}` : ''}
          </p>
          <ul className="import-calls">
            {result.calls.map((c) => (
              <li key={c.callRef}>
                <VerdictMark ok={c.verdictOk} title="contact id verdict" />
                <button type="button" className="link-button" data-testid="import-call" onClick={() => openCall(c.callRef)}>
                  {shortCallId(c.callId)}
                </button>{' '}
                <code>{c.contactId ?? '—'}</code> <span className="muted">{c.messages} messages · {c.state}</span>
                {c.verdictReason && <span className="fail-text"> · {c.verdictReason}</span>}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
