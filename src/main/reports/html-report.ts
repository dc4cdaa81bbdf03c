/**
 * The HTML report (issue 6): one self-contained file — inline CSS, the ladders as inline SVG, no
 * script, no font, image or style fetched from anywhere (its Content-Security-Policy forbids it) —
 * that opens the same in any browser and can be mailed or attached to a ticket.
 */
import { escapeXml as e } from './escape';
import { callSectionHtml } from './html-call';
import { callPassed, type ReportDocument } from './report-document';
import { timelinesHtml } from './timeline-svg';

const CSS = `
:root{color-scheme:light dark;--fg:#111827;--bg:#ffffff;--muted:#6b7280;--line:#d1d5db;--head:#f3f4f6;--pass:#15803d;--fail:#b91c1c;--code:#f9fafb}
@media (prefers-color-scheme:dark){:root{--fg:#e5e7eb;--bg:#111827;--muted:#9ca3af;--line:#374151;--head:#1f2937;--pass:#4ade80;--fail:#f87171;--code:#0b1220}}
*{box-sizing:border-box}body{margin:0;padding:24px 32px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;padding-top:12px;border-top:2px solid var(--line)}h3{font-size:15px;margin:18px 0 6px}
code,pre{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}pre{background:var(--code);border:1px solid var(--line);padding:10px;overflow-x:auto;white-space:pre-wrap;word-break:break-all;margin:4px 0 8px}
.muted{color:var(--muted)}.ok{color:var(--pass);font-weight:700}.bad{color:var(--fail);font-weight:700}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:700;vertical-align:middle;color:#fff}.badge.pass{background:var(--pass)}.badge.fail{background:var(--fail)}.badge.none{background:var(--muted)}
@media (prefers-color-scheme:dark){.badge{color:#111827}}
table{border-collapse:collapse;margin:4px 0 10px}th,td{text-align:left;vertical-align:top;padding:4px 10px;border:1px solid var(--line)}thead th{background:var(--head)}
table.facts th{background:var(--head);width:180px;font-weight:600}table.grid td{max-width:760px;overflow-wrap:anywhere}tr.failrow td{background:rgba(220,38,38,.08)}tr.warnrow td{background:rgba(217,119,6,.1)}tr.xh td{background:rgba(37,99,235,.08)}
ul.problems{margin:4px 0 8px;color:var(--fail)}.ladder-box{display:inline-block;max-width:100%;overflow-x:auto;border:1px solid var(--line);padding:8px;background:var(--code)}td.nw{white-space:nowrap}
details.msg summary{cursor:pointer;padding:2px 0}details.msg summary b{font-family:ui-monospace,Menlo,Consolas,monospace}.signal{margin-bottom:10px}
header.top{display:flex;justify-content:space-between;align-items:flex-start;gap:24px}.verdict{font-size:20px}
@media print{details{display:block}details>summary{list-style:none}body{padding:0}}
`;

const resultBadge = (ok: boolean | null): string =>
  ok === null ? '<span class="badge none" title="no check on this leg">—</span>' : ok ? '<span class="badge pass">PASS</span>' : '<span class="badge fail">FAIL</span>';

const iso = (ms: number | null): string => (ms === null ? '—' : new Date(ms).toISOString().replace('T', ' ').replace('Z', ' UTC'));

function summaryTable(doc: ReportDocument): string {
  if (doc.calls.length === 0) return '<p class="muted">No call in this report.</p>';
  const head = ['#', 'Call-ID', 'side', 'From', 'To', 'contact id', 'checks', 'INVITE→200', 'result'];
  return (
    `<table class="grid"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>` +
    doc.calls
      .map((c, i) => {
        const failed = c.checks.filter((k) => !k.ok).length;
        const v = c.verdict;
        const cid = v ? `${v.ok ? '<span class="ok">✓</span>' : '<span class="bad">✗</span>'} <code>${e(v.value ?? v.header ?? '(none)')}</code>` : '—';
        const ms = c.latency.invite_to_200;
        return (
          `<tr><td><a href="#call-${i + 1}">${i + 1}</a></td><td><code>${e(c.callId)}</code></td><td class="nw">${c.role === 'uas' ? 'bot' : 'CXone'}</td>` +
          `<td><code>${e(c.from)}</code></td><td><code>${e(c.to)}</code></td><td>${cid}</td>` +
          `<td>${c.checks.length - failed}/${c.checks.length}</td><td>${ms === undefined ? '—' : `${ms} ms`}</td>` +
          `<td>${resultBadge(callPassed(c))}</td></tr>`
        );
      })
      .join('') +
    '</tbody></table>'
  );
}

function runHtml(doc: ReportDocument): string {
  const r = doc.run;
  if (!r) return '';
  const opts = Object.entries(r.options)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
  const checks =
    r.checks.length === 0
      ? ''
      : '<h3>Run checks</h3><table class="grid"><tbody>' +
        r.checks.map((k) => `<tr><td>${k.ok ? '<span class="ok">✓</span>' : '<span class="bad">✗</span>'}</td><td>${e(k.name)}</td><td>${e(k.detail)}</td></tr>`).join('') +
        '</tbody></table>';
  return (
    '<table class="facts">' +
    `<tr><th>run</th><td><code>${e(r.id)}</code> (${e(r.kind)})</td></tr>` +
    `<tr><th>profile / transport</th><td>${e(r.profile)} / ${e(r.transport)}</td></tr>` +
    `<tr><th>started / ended</th><td>${e(iso(r.startedWallMs))} / ${e(iso(r.endedWallMs))}</td></tr>` +
    (opts ? `<tr><th>options</th><td><code>${e(opts)}</code></td></tr>` : '') +
    '</table>' +
    checks
  );
}

/**
 * Renders the whole report page.
 * @returns the HTML text (UTF-8), with no reference to anything outside it.
 */
export function renderHtmlReport(doc: ReportDocument): string {
  const t = doc.totals;
  const red = doc.redaction;
  const redaction = ['secrets', red.phoneNumbers ? 'phone numbers' : '', red.ipAddresses ? 'IP addresses' : ''].filter(Boolean).join(', ');
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(doc.title)} — CXone SIP Lab report</title>`,
    `<style>${CSS}</style></head><body>`,
    '<header class="top"><div>',
    `<h1>${e(doc.title)}</h1>`,
    `<p class="muted">CXone SIP Lab ${e(doc.appVersion)} · report made ${e(iso(doc.generatedWallMs))} · redacted: ${e(redaction)}</p>`,
    '</div>',
    `<div class="verdict">${doc.ok ? '<span class="badge pass">PASS</span>' : '<span class="badge fail">FAIL</span>'}</div></header>`,
    `<p>${t.calls} call(s) · ${t.checks - t.failedChecks}/${t.checks} checks passed · contact id ok in ${t.verdictsOk} of ${t.verdictsOk + t.verdictsFailed}</p>`,
    runHtml(doc),
    summaryTable(doc),
    timelinesHtml(doc.calls, doc.run?.kind ?? null),
    ...doc.calls.map((c, i) => callSectionHtml(c, i + 1, doc.run?.kind ?? null)),
    '</body></html>',
  ].join('\n');
}
