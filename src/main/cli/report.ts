/**
 * `lab report --run <id> | --call <id>… [--html FILE] [--json FILE] [--junit FILE] [--md FILE]
 * [--pcap FILE] [--redact phones,ips] [--db FILE]`: reports of a run or of calls from history.
 */
import { HistoryStore } from '../history/store';
import { defaultDbFile } from '../paths';
import { ReportNotFoundError, type ReportSelection } from '../reports/report-document';
import { writeReports, type ReportOutputs } from '../reports/write-reports';
import { CliUsageError, parseCommandArgs } from './args';

/** Usage lines of the command, for the CLI's help. */
export const REPORT_USAGE = `  report (--run <id> | --call <id>... | --contact <id>) [--html FILE] [--json FILE] [--junit FILE] [--md FILE]
         [--pcap FILE] [--redact phones,ips] [--title TEXT] [--db FILE]
      Reports of a run or of calls from history: a self-contained HTML page (ladders, headers,
      contact-id verdicts, Signals, latency, media), JSON, JUnit XML (a test case per check) and a
      Markdown summary for a ticket; --pcap writes the SIP (and RTP where captured) for Wireshark
      and sngrep. Secrets are always redacted; --redact phones,ips also replaces phone numbers and
      IP addresses (consistently) in the text reports. --db: default the app's history file.
      --contact: the calls that carried a contact id, with its timeline. Exit status 0 when the
      reported run passed, 1 when it failed.`;

/**
 * Parses `--redact` values: `phones`, `ips`, or both (comma-separated or repeated).
 * @throws CliUsageError on another word.
 */
export function parseRedact(values: readonly string[]): { phoneNumbers: boolean; ipAddresses: boolean } {
  const out = { phoneNumbers: false, ipAddresses: false };
  for (const w of values.flatMap((v) => v.split(',')).map((s) => s.trim().toLowerCase()).filter(Boolean)) {
    if (['phones', 'phone', 'numbers'].includes(w)) out.phoneNumbers = true;
    else if (['ips', 'ip', 'addresses'].includes(w)) out.ipAddresses = true;
    else throw new CliUsageError(`--redact "${w}": phones and/or ips (secrets are always redacted)`);
  }
  return out;
}

/**
 * Runs `lab report`.
 * @returns 0 when the reported run (or every call) passed, 1 when not.
 * @throws CliUsageError on a usage mistake; Error when history cannot be read or a file written.
 */
export async function reportCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, {
    run: { type: 'string' },
    call: { type: 'string', multiple: true },
    contact: { type: 'string' },
    html: { type: 'string' },
    json: { type: 'string' },
    junit: { type: 'string' },
    md: { type: 'string' },
    pcap: { type: 'string' },
    redact: { type: 'string', multiple: true },
    title: { type: 'string' },
    db: { type: 'string' },
  });
  const calls = values.call ?? [];
  if ([!!values.run, calls.length > 0, !!values.contact].filter(Boolean).length !== 1) throw new CliUsageError('give one of --run <id>, --call <id> (one or more) or --contact <id>');
  let selection: ReportSelection = values.run ? { runId: values.run } : { callIds: calls };
  const outputs: ReportOutputs = { html: values.html, json: values.json, junit: values.junit, markdown: values.md, pcap: values.pcap };
  if (!Object.values(outputs).some(Boolean)) throw new CliUsageError('name at least one output: --html, --json, --junit, --md or --pcap FILE');
  const redact = parseRedact(values.redact ?? []);
  const store = HistoryStore.open(values.db ?? defaultDbFile());
  try {
    // --contact (issue 15): the calls that carried the id, both legs; the report draws their timeline.
    if (values.contact) {
      const callIds = store.contactHistory(values.contact).calls.map((c) => c.id);
      if (callIds.length === 0) throw new CliUsageError(`no call in history carried contact ${values.contact}`);
      selection = { callIds };
    }
    const written = writeReports(store, selection, outputs, { redact, title: values.title ?? (values.contact ? `Contact ${values.contact.trim()}` : undefined) });
    const d = written.document;
    console.log(`${d.title}: ${d.ok ? 'PASS' : 'FAIL'} (${d.totals.calls} call(s), ${d.totals.checks - d.totals.failedChecks}/${d.totals.checks} checks passed)`);
    for (const f of written.files) console.log(`  ${f.format.padEnd(8)} ${f.path}`);
    if (written.pcap) {
      console.log(`  pcap: ${written.pcap.sipMessages} SIP message(s), ${written.pcap.udpDatagrams} RTP/RTCP datagram(s)`);
      for (const n of written.pcap.notes) console.log(`    note: ${n}`);
    }
    return d.ok ? 0 : 1;
  } catch (e) {
    if (e instanceof ReportNotFoundError) throw new CliUsageError(e.message);
    throw e;
  } finally {
    store.close();
  }
}
