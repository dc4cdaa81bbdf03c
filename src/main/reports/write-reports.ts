/**
 * Reports of a run or of selected calls in every format (issue 6): the functions the CLI
 * (`lab report`) and the dashboard call. Each format is rendered from one {@link ReportDocument},
 * so they agree; secrets are always redacted, phone numbers and IP addresses on request.
 */
import { writeFileSync } from 'node:fs';
import type { HistoryStore } from '../history/store';
import { callsPcap } from '../pcap/export-calls';
import type { PcapExport } from '../pcap/sip-pcap';
import { renderHtmlReport } from './html-report';
import { renderJunitReport } from './junit-report';
import { renderMarkdownReport } from './markdown-report';
import { loadSelection, makeReportDocument, type ReportDocument, type ReportOptions, type ReportSelection } from './report-document';

/** The text formats of a report. */
export type ReportFormat = 'html' | 'json' | 'junit' | 'markdown';

/** File extension and MIME type of each format (for save dialogs and downloads). */
export const REPORT_FORMATS: Readonly<Record<ReportFormat | 'pcap', { ext: string; mime: string }>> = {
  html: { ext: 'html', mime: 'text/html; charset=utf-8' },
  json: { ext: 'json', mime: 'application/json' },
  junit: { ext: 'xml', mime: 'application/xml' },
  markdown: { ext: 'md', mime: 'text/markdown; charset=utf-8' },
  pcap: { ext: 'pcap', mime: 'application/vnd.tcpdump.pcap' },
};

/** Renders one format of a report document. */
export function renderReport(doc: ReportDocument, format: ReportFormat): string {
  switch (format) {
    case 'html':
      return renderHtmlReport(doc);
    case 'json':
      return `${JSON.stringify(doc, null, 2)}\n`;
    case 'junit':
      return renderJunitReport(doc);
    case 'markdown':
      return renderMarkdownReport(doc);
  }
}

/** Where to write each output; absent ones are not made. */
export type ReportOutputs = Partial<Record<ReportFormat | 'pcap', string>>;

/** What {@link writeReports} did. */
export interface WrittenReports {
  document: ReportDocument;
  /** Files written, in the order html, json, junit, markdown, pcap. */
  files: { format: ReportFormat | 'pcap'; path: string }[];
  /** The pcap export, when one was asked for. */
  pcap: PcapExport | null;
}

/**
 * Reads the selection from history and writes the asked-for outputs.
 * The pcap holds the real messages (it is a trace for Wireshark, not a summary): only the text
 * formats are redacted.
 * @throws ReportNotFoundError when the selection is not in history; the write error of a file.
 */
export function writeReports(store: HistoryStore, selection: ReportSelection, outputs: ReportOutputs, opts: ReportOptions = {}): WrittenReports {
  const { run, calls } = loadSelection(store, selection);
  const document = makeReportDocument(run, calls, opts);
  const files: WrittenReports['files'] = [];
  for (const format of ['html', 'json', 'junit', 'markdown'] as const) {
    const path = outputs[format];
    if (!path) continue;
    writeFileSync(path, renderReport(document, format));
    files.push({ format, path });
  }
  let pcap: PcapExport | null = null;
  if (outputs.pcap) {
    pcap = callsPcap(calls);
    writeFileSync(outputs.pcap, pcap.bytes);
    files.push({ format: 'pcap', path: outputs.pcap });
  }
  return { document, files, pcap };
}
