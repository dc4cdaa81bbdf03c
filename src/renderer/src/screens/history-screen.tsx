import { useEffect, useState } from 'react';
import type { RunSummary } from '../../../shared/contract';
import { ExportMenu } from '../components/export-menu';
import { HistoryList } from '../components/history-list';
import { PcapImportPanel } from '../components/pcap-import-panel';
import { ContactTimelineSearch } from '../components/timeline-search';
import { fmtDateTime } from '../format';
import { useHistoryQuery } from '../history-model';
import { labApi, useLab } from '../store';

/** How long typing pauses before the search runs (ms). */
const SEARCH_DEBOUNCE_MS = 250;

/**
 * History (issue 5 item 5): every run and call, searchable by contact id, Call-ID, number (From,
 * To, Request-URI), date and verdict; Enter or a click opens the call.
 */
export function HistoryScreen() {
  const q = useHistoryQuery();
  const openCall = useLab((s) => s.openCall);
  const [text, setText] = useState(q.text);
  const [runs, setRuns] = useState<RunSummary[]>([]);
  const [reloadKey, setReloadKey] = useState(0);

  useEffect(() => {
    const t = setTimeout(() => q.set({ text }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [text]);
  useEffect(() => {
    void labApi()?.['history/runs']({ limit: 200 }).then((r) => r.ok && setRuns(r.value));
  }, [reloadKey]);

  const selectedRun = runs.find((r) => r.id === q.runId) ?? null;
  const query = { field: q.field, text: q.text, from: q.from, to: q.to, verdict: q.verdict, runId: q.runId };
  return (
    <div className="history-screen">
      <form className="panel toolbar" role="search" aria-label="Search history" onSubmit={(e) => {
        e.preventDefault();
        q.set({ text });
      }}>
        <label>
          <span>Search in</span>
          <select data-testid="history-field" value={q.field} onChange={(e) => q.set({ field: e.target.value as typeof q.field })}>
            <option value="any">contact id, Call-ID or number</option>
            <option value="contactId">contact id (prefix)</option>
            <option value="callId">Call-ID (prefix)</option>
            <option value="number">number in From/To/R-URI (3+ characters)</option>
          </select>
        </label>
        <label className="grow">
          <span>Text</span>
          <input type="search" data-testid="history-search" value={text} spellCheck={false} placeholder="e.g. 18741848934" onChange={(e) => setText(e.target.value)} />
        </label>
        <label>
          <span>From</span>
          <input type="date" data-testid="history-from" value={q.from} onChange={(e) => q.set({ from: e.target.value })} />
        </label>
        <label>
          <span>To</span>
          <input type="date" data-testid="history-to" value={q.to} onChange={(e) => q.set({ to: e.target.value })} />
        </label>
        <label>
          <span>Verdict</span>
          <select data-testid="history-verdict" value={q.verdict} onChange={(e) => q.set({ verdict: e.target.value as typeof q.verdict })}>
            <option value="any">any</option>
            <option value="ok">contact id ok</option>
            <option value="fail">contact id failed</option>
            <option value="none">no verdict</option>
          </select>
        </label>
        <label>
          <span>Run</span>
          <select data-testid="history-run" value={q.runId} onChange={(e) => q.set({ runId: e.target.value })}>
            <option value="">all calls</option>
            {runs.map((r) => (
              <option key={r.id} value={r.id}>
                {fmtDateTime(r.startedWallMs)} · {r.kind === 'import' ? 'imported' : r.kind} · {r.profile} · {r.callCount} calls{r.ok === null ? '' : r.ok ? ' · ok' : ' · failed'}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => setReloadKey((k) => k + 1)} data-testid="history-refresh">
          Refresh
        </button>
        <button
          type="button"
          onClick={() => {
            setText('');
            q.reset();
          }}
        >
          Clear
        </button>
        <ExportMenu
          selection={q.runId ? { runId: q.runId } : null}
          label={selectedRun ? `Export run (${selectedRun.callCount} calls)` : 'Export run'}
          hint="Choose a run above to export it; a single call is exported from its detail view."
        />
      </form>
      <ContactTimelineSearch />
      <details className="panel" data-testid="import-toggle">
        <summary>Import a pcap / pcapng capture…</summary>
        <PcapImportPanel
          onImported={(runId) => {
            setReloadKey((k) => k + 1);
            setText('');
            q.set({ text: '', runId });
          }}
        />
      </details>
      <HistoryList query={query} reloadKey={reloadKey} onOpen={openCall} />
    </div>
  );
}
