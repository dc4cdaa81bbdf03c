// The text formats made from one report document: the Markdown summary renders as tables (checked
// with the marked library), the JUnit XML has a test case per check with failures where checks
// failed, and the HTML page is self-contained (no script, nothing fetched) with a ladder per call.
import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../../src/main/reports/html-report';
import { renderJunitReport } from '../../../src/main/reports/junit-report';
import { renderMarkdownReport } from '../../../src/main/reports/markdown-report';
import { makeReportDocument } from '../../../src/main/reports/report-document';
import type { RunRecord } from '../../../src/main/history/store';
import { sampleCall, T0 } from '../../helpers/reports/sample-calls';

const run: RunRecord = {
  id: 'run-1234567890', kind: 'answer', profile: 'watson', transport: 'udp', options: { listen: 'udp:0.0.0.0:5070', accessKeySecret: 'x' },
  startedWallMs: T0, endedWallMs: T0 + 20_000, ok: false, callIds: ['c1', 'c2'], checks: [{ name: 'listener', ok: true, detail: 'bound' }],
};
const calls = [sampleCall('c1'), sampleCall('c2', { ok: false, startMs: 10_000, xHeaders: [{ name: 'X-Contact-ID', value: 'a|b' }] })];
calls[1]!.verdict = { ...calls[1]!.verdict!, ok: false, header: null, value: null, problems: ['no contact-id header: looked for "X-ContactID"'] };
calls[1]!.checks[0] = { name: 'contact-id', ok: false, detail: 'no contact-id header: looked for "X-ContactID"' };
const doc = makeReportDocument(run, calls, { now: () => T0 + 60_000 });

describe('report document', () => {
  it('sums up checks and verdicts, keeps the run outcome, empties secret options', () => {
    expect(doc.ok).toBe(false);
    expect(doc.totals).toEqual({ calls: 2, checks: 5, failedChecks: 2, verdictsOk: 1, verdictsFailed: 1 });
    expect(doc.run!.options).toEqual({ listen: 'udp:0.0.0.0:5070', accessKeySecret: '[redacted]' });
  });
});

describe('Markdown summary', () => {
  it('renders as tables: calls, failed checks, latency', () => {
    const md = renderMarkdownReport(doc);
    const html = marked.parse(md, { async: false, gfm: true });
    expect((html.match(/<table>/g) ?? []).length).toBe(3);
    expect(html).toContain('<th>contact id</th>');
    expect(html).toContain('X-ContactID = 701234567890');
    // A pipe inside a value does not break the table: one row per call, ten cells each.
    const rows = html.split('<tbody>')[1]!.split('</tbody>')[0]!.match(/<tr>/g) ?? [];
    expect(rows).toHaveLength(2);
    expect(md).toMatch(/^## ❌ FAIL/);
    expect(md).toContain('| 2 | contact-id | no contact-id header');
  });
});

describe('JUnit XML', () => {
  it('one suite per call and one for the run, one test case per check, failures with their detail', () => {
    const xml = renderJunitReport(doc, 'lab-host');
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>')).toBe(true);
    expect(xml.match(/<testsuite /g)).toHaveLength(3);
    expect(xml.match(/<testcase /g)).toHaveLength(5);
    expect(xml.match(/<failure /g)).toHaveLength(2);
    expect(xml).toContain('tests="2" failures="2" errors="0"');
    expect(xml).toContain('timestamp="2025-10-09T08:53:20"');
    expect(xml).toContain('<failure message="no contact-id header: looked for &quot;X-ContactID&quot;" type="contact-id">');
    expect(xml).not.toContain('secret-token-value');
  });

  it('a warning (a check built on an assumption) passes and is written in system-out with its source', () => {
    const warned = structuredClone(doc);
    warned.calls[0]!.checks.push({
      name: 'leg-dropped',
      ok: true,
      warn: true,
      detail: 'the leg was not dropped within 5 s',
      source: { kind: 'assumed', ref: 'CXone ends the bot leg', why: "PolyAI's guide does not say" },
    });
    const xml = renderJunitReport(warned, 'lab-host');
    expect(xml.match(/<failure /g)).toHaveLength(2);
    expect(xml).toContain('<testcase name="leg-dropped"');
    expect(xml).toMatch(/<system-out>warning leg-dropped: the leg was not dropped within 5 s \[source: assumed here[^\]]*\]/);
  });
});

describe('HTML report', () => {
  const html = renderHtmlReport(doc);

  it('is self-contained: no script, no external reference, a CSP that forbids fetching', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\b(src|href)="(?!#)/i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  });

  it('has each call with its ladder, verdict, checks, Signals, media and headers', () => {
    // One SIP ladder and one contact timeline (issue 15) per call.
    expect(html.match(/<svg [^>]*class="ladder"/g)).toHaveLength(2);
    expect(html.match(/<svg [^>]*class="timeline"/g)).toHaveLength(2);
    expect(html.match(/<section class="call"/g)).toHaveLength(2);
    for (const h of ['Contact id', 'Checks', 'Latency', 'Ladder', 'Signals', 'Media', 'INVITE headers', 'SIP messages (7)']) expect(html).toContain(`<h3>${h}</h3>`);
    expect(html).toContain('INVITE (SDP)');
    expect(html).toContain('X-Contact-ID');
    expect(html).toContain('no contact-id header: looked for &quot;X-ContactID&quot;');
    expect(html).not.toContain('secret-token-value');
  });
});
