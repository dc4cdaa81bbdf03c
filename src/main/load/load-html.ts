/**
 * The HTML and JUnit forms of a load report: a self-contained page (inline CSS, an SVG chart of
 * calls started / answered / failed per second, no script) and a JUnit XML suite whose test cases
 * are the run's pass conditions (so CI shows why a load run failed).
 */
import { escapeXml } from '../reports/escape';
import type { Percentiles } from './histogram';
import { formatLoadReport, type LoadReport } from './report';
import type { LoadSecond } from './stats';

/**
 * An SVG line chart of calls per second over the run: started (blue), answered (green), failed
 * (red). Axis labels in seconds and calls/s.
 */
export function rateChartSvg(timeline: readonly LoadSecond[], width = 720, height = 240): string {
  const pad = { l: 44, r: 12, t: 12, b: 30 };
  const w = width - pad.l - pad.r;
  const h = height - pad.t - pad.b;
  const n = Math.max(1, timeline.length);
  const top = Math.max(1, ...timeline.map((s) => Math.max(s.started, s.answered, s.failed)));
  const x = (i: number): number => pad.l + (n === 1 ? w / 2 : (i / (n - 1)) * w);
  const y = (v: number): number => pad.t + h - (v / top) * h;
  const line = (key: 'started' | 'answered' | 'failed', color: string): string => {
    const pts = timeline.map((s, i) => `${x(i).toFixed(1)},${y(s[key]).toFixed(1)}`).join(' ');
    return `<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts}"><title>${key} per second</title></polyline>`;
  };
  const ticks = [0, Math.round(top / 2), top]
    .map((v) => `<text x="${pad.l - 6}" y="${y(v) + 4}" text-anchor="end">${v}</text><line x1="${pad.l}" x2="${pad.l + w}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`)
    .join('');
  const xt = [0, Math.floor((n - 1) / 2), n - 1]
    .filter((v, i, a) => a.indexOf(v) === i)
    .map((i) => `<text x="${x(i)}" y="${height - 10}" text-anchor="middle">${i} s</text>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="calls per second over the run" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">
${ticks}${xt}
${line('started', '#2f6fdf')}${line('answered', '#2e9e4f')}${line('failed', '#d33')}
<text x="${pad.l + 4}" y="${pad.t + 10}" fill="#2f6fdf">started</text><text x="${pad.l + 64}" y="${pad.t + 10}" fill="#2e9e4f">answered</text><text x="${pad.l + 134}" y="${pad.t + 10}" fill="#d33">failed</text>
</svg>`;
}

function row(name: string, p: Percentiles): string {
  const c = (v: number | null): string => `<td>${v ?? '–'}</td>`;
  return `<tr><th>${name}</th><td>${p.count}</td>${c(p.p50)}${c(p.p95)}${c(p.p99)}${c(p.max)}</tr>`;
}

/** The report as one self-contained HTML page (no script, no external resource). */
export function loadReportHtml(r: LoadReport): string {
  const f = r.figures;
  const failures = f.failedBy.map((x) => `<li>${x.count} × ${escapeXml(x.reason)}</li>`).join('') || '<li>none</li>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Load ${escapeXml(r.runId)}: ${r.ok ? 'PASS' : 'FAIL'}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:right}th{text-align:left}.pass{color:#2e9e4f}.fail{color:#d33}pre{background:#f6f6f6;padding:1em;white-space:pre-wrap}</style>
</head><body>
<h1>Load run <span class="${r.ok ? 'pass' : 'fail'}">${r.ok ? 'PASS' : 'FAIL'}</span></h1>
<p>${escapeXml(r.target)} · profile ${escapeXml(r.profile)} · ${escapeXml(r.transport)} · ${r.status}</p>
<p>Attempted <b>${f.attempted}</b>, answered <b>${f.answered}</b>, failed <b>${f.failed}</b>${f.open ? `, open ${f.open}` : ''}; <b>${f.callsPerSecond}</b> calls/s achieved (asked ${r.requested.rate}); peak ${f.peakConcurrent} at once.</p>
<h2>Failures</h2><ul>${failures}</ul>
<h2>Latency (ms)</h2>
<table><tr><th>mark</th><th>calls</th><th>p50</th><th>p95</th><th>p99</th><th>max</th></tr>
${row('INVITE→100', f.latency.invite_to_100)}${row('INVITE→180', f.latency.invite_to_180)}${row('INVITE→200', f.latency.invite_to_200)}</table>
<h2>Calls per second</h2>
${rateChartSvg(f.timeline)}
<h2>Text report</h2><pre>${escapeXml(formatLoadReport(r))}</pre>
</body></html>
`;
}

/**
 * The report as JUnit XML: one suite, test cases `calls answered`, `no failed call`, `rate
 * achieved` (≥ 90 % of the asked rate, a finding only when it fails), `no call left open`, and
 * `far-end contact ids` when known.
 */
export function loadReportJunit(r: LoadReport): string {
  const f = r.figures;
  const cases: { name: string; ok: boolean; detail: string }[] = [
    { name: 'calls answered', ok: f.attempted > 0 && f.answered === f.attempted, detail: `${f.answered} of ${f.attempted} answered` },
    { name: 'no failed call', ok: f.failed === 0, detail: f.failedBy.map((x) => `${x.count} × ${x.reason}`).join('; ') || 'none failed' },
    { name: 'no call left open', ok: f.open === 0, detail: `${f.open} open at the end` },
    { name: 'rate achieved', ok: f.attempted <= 1 || f.callsPerSecond >= r.requested.rate * 0.9, detail: `${f.callsPerSecond} of ${r.requested.rate} calls/s` },
  ];
  if (f.farVerdicts) cases.push({ name: 'far-end contact ids', ok: f.farVerdicts.failed === 0, detail: `${f.farVerdicts.ok} ok, ${f.farVerdicts.failed} failed, ${f.farVerdicts.unknown} unknown` });
  const failures = cases.filter((c) => !c.ok).length;
  const body = cases
    .map((c) => `    <testcase classname="load.${escapeXml(r.profile)}" name="${escapeXml(c.name)}">${c.ok ? '' : `<failure message="${escapeXml(c.detail)}">${escapeXml(c.detail)}</failure>`}<system-out>${escapeXml(c.detail)}</system-out></testcase>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="cxone-sip-lab load" tests="${cases.length}" failures="${failures}" errors="0" time="${(f.elapsedMs / 1000).toFixed(3)}">
  <testsuite name="load ${escapeXml(r.runId)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" time="${(f.elapsedMs / 1000).toFixed(3)}">
${body}
  </testsuite>
</testsuites>
`;
}
