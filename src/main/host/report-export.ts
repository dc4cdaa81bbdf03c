/**
 * Reports and pcap of a run or of selected calls for the dashboard (`reports/export`, issue 6):
 * built in the main process from history with the same functions as `lab report`, returned as
 * bytes (base64) with a file name and MIME type that the renderer saves through a `blob:` download.
 */
import type { ExportedFile, ReportExportRequest } from '../../shared/contract';
import type { HistoryStore } from '../history/store';
import { callsPcap } from '../pcap/export-calls';
import { loadSelection, makeReportDocument } from '../reports/report-document';
import { REPORT_FORMATS, renderReport } from '../reports/write-reports';

/**
 * The base name of the files of a selection: `run-<id>` or `call-<id>` / `calls-<n>`, with only
 * `[A-Za-z0-9._-]` kept so that it is a safe file name everywhere.
 */
export function exportBaseName(selection: ReportExportRequest['selection']): string {
  const raw = 'runId' in selection ? `run-${selection.runId}` : selection.callIds.length === 1 ? `call-${selection.callIds[0]}` : `calls-${selection.callIds.length}`;
  return `cxone-sip-lab-${raw.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 100)}`;
}

/**
 * Builds the asked-for files. Text formats are rendered from one report document (secrets always
 * redacted; phone numbers and IP addresses on request); the pcap holds the real messages.
 * @returns one file per distinct format, in the request's order.
 * @throws ReportNotFoundError when the run or a call is not in history.
 */
export function exportReports(store: HistoryStore, req: ReportExportRequest, now: () => number = Date.now): ExportedFile[] {
  const { run, calls } = loadSelection(store, req.selection);
  const base = exportBaseName(req.selection);
  const doc = makeReportDocument(run, calls, { redact: req.redact, now });
  const out: ExportedFile[] = [];
  for (const format of [...new Set(req.formats)]) {
    const data = format === 'pcap' ? callsPcap(calls).bytes : Buffer.from(renderReport(doc, format), 'utf8');
    const { ext, mime } = REPORT_FORMATS[format];
    out.push({ format, fileName: `${base}${format === 'junit' ? '.junit' : ''}.${ext}`, mime, base64: Buffer.from(data).toString('base64'), bytes: data.length });
  }
  return out;
}
