/**
 * The Markdown summary (issue 6), to paste into a ticket: the verdict, one table row per call
 * (contact id, checks, latency, Signal), the failed checks with their detail, and the latency
 * marks. GitHub-flavoured Markdown tables.
 */
import { formatRuleSource } from '../../shared/profile';
import { LATENCY_MARK_NAMES } from '../../shared/types';
import { escapeMarkdownCell as cell } from './escape';
import { callPassed, type ReportDocument } from './report-document';

const iso = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

/** PASS, FAIL, or — for a call with nothing to check. */
const result = (ok: boolean | null): string => (ok === null ? '—' : ok ? 'PASS' : '**FAIL**');

function table(head: readonly string[], rows: readonly string[][]): string[] {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

/** Renders the Markdown summary of a report. */
export function renderMarkdownReport(doc: ReportDocument): string {
  const t = doc.totals;
  const red = ['secrets', doc.redaction.phoneNumbers ? 'phone numbers' : '', doc.redaction.ipAddresses ? 'IP addresses' : ''].filter(Boolean).join(', ');
  const lines: string[] = [
    `## ${doc.ok ? '✅ PASS' : '❌ FAIL'}: ${cell(doc.title)}`,
    '',
    `CXone SIP Lab ${doc.appVersion}, report made ${iso(doc.generatedWallMs)}; redacted: ${red}.`,
    doc.run ? `Run \`${doc.run.id}\` (${doc.run.kind}, profile ${doc.run.profile}, ${doc.run.transport}), started ${iso(doc.run.startedWallMs)}.` : '',
    `${t.calls} call(s), ${t.checks - t.failedChecks}/${t.checks} checks passed, contact id ok in ${t.verdictsOk} of ${t.verdictsOk + t.verdictsFailed}.`,
    '',
  ];
  lines.push(
    ...table(
      ['#', 'Call-ID', 'side', 'From', 'To', 'contact id', 'checks', 'INVITE→200', 'Signal', 'result'],
      doc.calls.map((c, i) => {
        const v = c.verdict;
        const s = c.signals.find((x) => x.ok) ?? c.signals[c.signals.length - 1];
        const failed = c.checks.filter((k) => !k.ok).length;
        return [
          String(i + 1),
          `\`${cell(c.callId)}\``,
          c.role === 'uas' ? 'bot' : 'CXone',
          cell(c.from),
          cell(c.to),
          v ? `${v.ok ? '✓' : '✗'} ${cell(v.header ?? '(no header)')} = ${cell(v.value ?? '(none)')}` : '—',
          `${c.checks.length - failed}/${c.checks.length}`,
          c.latency.invite_to_200 === undefined ? '—' : `${c.latency.invite_to_200} ms`,
          s ? `${s.status ?? 'no response'} (${s.ms === null ? '-' : Math.round(s.ms * 10) / 10} ms)` : '—',
          result(callPassed(c)),
        ];
      }),
    ),
  );
  const failed = [
    ...(doc.run?.checks ?? []).filter((k) => !k.ok).map((k) => ['run', k.name, k.detail]),
    ...doc.calls.flatMap((c, i) => [
      ...c.checks.filter((k) => !k.ok).map((k) => [String(i + 1), k.name, k.detail]),
      ...(c.verdict && !c.verdict.ok && !c.checks.some((k) => k.name === 'contact-id') ? [[String(i + 1), 'contact-id', c.verdict.problems.join('; ')]] : []),
    ]),
  ];
  if (failed.length > 0) {
    lines.push('', '### Failed checks', '', ...table(['call', 'check', 'detail'], failed.map((r) => r.map(cell))));
  }
  // Issue 14: warnings (a check built on an assumption, or a seed fact not met) never fail; each with its rule's source.
  const warned = doc.calls.flatMap((c, i) => c.checks.filter((k) => k.ok && k.warn).map((k) => [String(i + 1), k.name, k.detail, formatRuleSource(k.source)]));
  if (warned.length > 0) lines.push('', '### Warnings', '', ...table(['call', 'check', 'detail', 'source'], warned.map((r) => r.map(cell))));
  const withMarks = doc.calls.map((c, i) => [i, c] as const).filter(([, c]) => Object.keys(c.latency).length > 0);
  if (withMarks.length > 0) {
    lines.push(
      '',
      '### Latency (ms)',
      '',
      ...table(['call', ...LATENCY_MARK_NAMES], withMarks.map(([i, c]) => [String(i + 1), ...LATENCY_MARK_NAMES.map((n) => (c.latency[n] === undefined ? '—' : String(c.latency[n])))])),
    );
  }
  lines.push('');
  return lines.filter((l, i, a) => !(l === '' && a[i - 1] === '')).join('\n');
}
