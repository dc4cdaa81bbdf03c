/**
 * The JUnit XML report (issue 6), so that CI shows each check of a run as a test case: one
 * `<testsuite>` per call (and one for the run's own checks), one `<testcase>` per check, a
 * `<failure>` with the check's detail when it failed. A call whose checks do not include the
 * contact-id verdict gets it as a test case of its own.
 *
 * @remarks Valid against the Apache Ant JUnit schema (windyroad JUnit.xsd, test/fixtures/junit/):
 * `<testsuites>` without attributes; each suite with package, id, name, timestamp (no time zone),
 * hostname, tests, failures, errors, time, then properties, testcases, system-out, system-err.
 */
import { hostname } from 'node:os';
import { formatRuleSource } from '../../shared/profile';
import type { CallDetail, CheckResult } from '../../shared/types';
import { escapeXml as e } from './escape';
import type { ReportDocument } from './report-document';

interface Suite {
  name: string;
  classname: string;
  startedWallMs: number;
  seconds: number;
  properties: [string, string][];
  checks: CheckResult[];
  out: string;
}

/** `YYYY-MM-DDTHH:MM:SS` in UTC (the schema's timestamp has no zone). */
const stamp = (ms: number): string => new Date(ms).toISOString().slice(0, 19);
/** A one-line token (the schema's names are xs:token). */
const token = (s: string): string => s.replace(/\s+/g, ' ').trim() || '-';
const seconds = (ms: number): string => (Math.max(0, ms) / 1000).toFixed(3);

function callChecks(c: CallDetail): CheckResult[] {
  const checks = [...c.checks];
  const v = c.verdict;
  if (v && !checks.some((k) => k.name === 'contact-id')) {
    checks.unshift({ name: 'contact-id', ok: v.ok, detail: v.ok ? `${v.header} = ${v.value}` : v.problems.join('; ') || 'no usable contact id' });
  }
  return checks;
}

function callOut(c: CallDetail): string {
  const lat = Object.entries(c.latency).map(([k, v]) => `${k}=${v} ms`).join(' ');
  return [
    `Call-ID ${c.callId} (${c.role}, ${c.transport}, profile ${c.profile}), ${c.state}${c.end ? `, ended by ${c.end.by}: ${c.end.reason}` : ''}`,
    `Request-URI ${c.requestUri}`,
    `From ${c.from}`,
    `To ${c.to}`,
    `contact id ${c.verdict ? `${c.verdict.ok ? 'ok' : 'FAILED'} ${c.verdict.header ?? '(no header)'} = ${c.verdict.value ?? '(none)'}` : '—'}`,
    `latency ${lat || '(none)'}`,
    ...c.signals.map((s) => `Signal ${s.status ?? 'no response'} in ${s.ms === null ? '-' : Math.round(s.ms * 10) / 10} ms: ${s.message}`),
  ].join('\n');
}

/**
 * Renders the JUnit XML of a report.
 * @param host - the `hostname` attribute; default this machine's name.
 * @returns UTF-8 XML text.
 */
export function renderJunitReport(doc: ReportDocument, host: string = hostname() || 'localhost'): string {
  const pkg = `cxone-sip-lab.${doc.run?.kind ?? 'calls'}`;
  const suites: Suite[] = [];
  const run = doc.run;
  if (run && run.checks.length > 0) {
    suites.push({
      name: `run ${run.id}`,
      classname: `${pkg}.run`,
      startedWallMs: run.startedWallMs,
      seconds: (run.endedWallMs ?? run.startedWallMs) - run.startedWallMs,
      properties: [['run', run.id], ['profile', run.profile], ['transport', run.transport]],
      checks: run.checks,
      out: doc.title,
    });
  }
  doc.calls.forEach((c, i) => {
    const checks = callChecks(c);
    if (checks.length === 0) return;
    suites.push({
      name: `call ${i + 1} ${c.callId} (${c.role === 'uas' ? 'bot side' : 'CXone side'})`,
      classname: `${pkg}.${c.profile}.call${i + 1}`,
      startedWallMs: c.startedWallMs,
      seconds: (c.endedWallMs ?? c.startedWallMs) - c.startedWallMs,
      properties: [
        ['Call-ID', c.callId],
        ['profile', c.profile],
        ['transport', c.transport],
        ['contactId', c.contactId ?? ''],
        ...(run ? ([['run', run.id]] as [string, string][]) : []),
      ],
      checks,
      out: callOut(c),
    });
  });
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites>'];
  suites.forEach((s, id) => {
    const failures = s.checks.filter((k) => !k.ok).length;
    lines.push(
      `  <testsuite package="${e(token(pkg))}" id="${id}" name="${e(token(s.name))}" timestamp="${stamp(s.startedWallMs)}" hostname="${e(token(host))}"` +
        ` tests="${s.checks.length}" failures="${failures}" errors="0" skipped="0" time="${seconds(s.seconds)}">`,
      '    <properties>',
      ...s.properties.map(([n, v]) => `      <property name="${e(token(n))}" value="${e(v)}"/>`),
      '    </properties>',
    );
    for (const k of s.checks) {
      const open = `    <testcase name="${e(token(k.name))}" classname="${e(token(s.classname))}" time="0.000"`;
      if (k.ok) lines.push(`${open}/>`);
      else lines.push(`${open}>`, `      <failure message="${e(token(k.detail).slice(0, 500))}" type="${e(token(k.name))}">${e(k.detail)}</failure>`, '    </testcase>');
    }
    // Warnings (issue 14: checks built on an assumption) pass, so JUnit has no element for them:
    // they are written in system-out with the rule's source, where CI systems show the suite's output.
    const warnings = s.checks
      .filter((k) => k.warn)
      .map((k) => `warning ${k.name}: ${k.detail}${k.source ? ` [source: ${formatRuleSource(k.source)}]` : ''}`);
    const out = [...warnings, s.out].filter(Boolean).join('\n');
    lines.push(`    <system-out>${e(out)}</system-out>`, '    <system-err></system-err>', '  </testsuite>');
  });
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
