/**
 * The JUnit XML report of a test run (issue 13 item 2): one `<testsuite>` per case with one
 * `<testcase>` per step (a `<failure>` with the step's detail when it failed, `<skipped/>` when it
 * did not run); the case-level expectations in a `<testsuite>` of their own after it (when the case
 * declares them or one failed); a case that could not start has its set-up error as an `<error>`.
 *
 * @remarks Valid against the Apache Ant JUnit schema (windyroad JUnit.xsd, test/fixtures/junit/),
 * as junit-report.ts.
 */
import { hostname } from 'node:os';
import type { CaseResult, TestRunResult } from '../testcases/types';
import { escapeXml as e } from './escape';

const stamp = (ms: number): string => new Date(ms).toISOString().slice(0, 19);
const token = (s: string): string => s.replace(/\s+/g, ' ').trim() || '-';
const seconds = (ms: number | null): string => (Math.max(0, ms ?? 0) / 1000).toFixed(3);

interface Row {
  name: string;
  time: number | null;
  status: 'passed' | 'failed' | 'skipped';
  detail: string;
}

/** A case's steps, one row each (the case's suite has exactly one testcase per step). */
function stepRows(c: CaseResult): Row[] {
  const steps: Row[] = c.steps.map((s) => ({
    name: `${String(s.index + 1).padStart(2, '0')} ${s.name ? `${s.name}: ` : ''}${s.label}`,
    time: s.duration_ms,
    status: s.status === 'passed' ? 'passed' : s.status === 'failed' ? 'failed' : 'skipped',
    detail: `${s.at_ms !== null ? `at ${s.at_ms} ms: ` : ''}${s.detail}`,
  }));
  return steps;
}

/**
 * The case-level expectations, as a suite of their own beside the steps' (shown when the case
 * declares `expect:` or one failed, so a case without expectations has one testcase per step only).
 */
function expectationRows(c: CaseResult): Row[] {
  if (!c.expect_declared && c.expectations.every((k) => k.ok)) return [];
  return c.expectations.map((k) => ({ name: `expect ${k.name}`, time: 0, status: k.ok ? 'passed' : 'failed', detail: k.detail }));
}

function caseOut(c: CaseResult): string {
  const lat = Object.entries(c.latency).map(([k, v]) => `${k}=${v} ms`).join(' ');
  return [
    `${c.file} (${c.mode}, profile ${c.profile}, ${c.transport})`,
    `Call-ID ${c.call_id ?? '(none)'}`,
    `CXone outcome ${c.cxone_outcome ?? '-'}`,
    `latency ${lat || '(none)'}`,
    `far-end speech ${c.speech.map((s) => `${s.start_ms}-${s.end_ms ?? '…'} ms`).join(', ') || '(none)'}`,
    `digits received ${c.dtmf_received.map((d) => `${d.digit}@${d.at_ms} ms`).join(' ') || '(none)'}`,
    `digits sent ${(c.dtmf_sent ?? []).map((d) => `${d.digit}@${d.at_ms} ms`).join(' ') || '(none)'}`,
  ].join('\n');
}

/**
 * Renders the JUnit XML of a test run.
 * @param host - the `hostname` attribute; default this machine's name.
 */
export function renderTestJunit(r: TestRunResult, host: string = hostname() || 'localhost'): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites>'];
  let id = 0;
  const suite = (c: CaseResult, name: string, rs: Row[], error: string | null): void => {
    const classname = `cxone-sip-lab.test.${token(c.profile)}.${token(c.name).replace(/[^A-Za-z0-9_-]+/g, '_')}`;
    lines.push(
      `  <testsuite package="cxone-sip-lab.test" id="${id++}" name="${e(token(name))}" timestamp="${stamp(c.started_wall_ms)}" hostname="${e(token(host))}"` +
        ` tests="${rs.length + (error ? 1 : 0)}" failures="${rs.filter((x) => x.status === 'failed').length}" errors="${error ? 1 : 0}" skipped="${rs.filter((x) => x.status === 'skipped').length}" time="${seconds(c.duration_ms)}">`,
      '    <properties>',
      ...[
        ['file', c.file],
        ['mode', c.mode],
        ['profile', c.profile],
        ['transport', c.transport],
        ['Call-ID', c.call_id ?? ''],
        ['attempts', String(c.attempts ?? 1)],
      ].map(([n, v]) => `      <property name="${e(token(n!))}" value="${e(v!)}"/>`),
      '    </properties>',
    );
    if (error) {
      lines.push(`    <testcase name="set-up" classname="${e(classname)}" time="0.000">`, `      <error message="${e(token(error).slice(0, 500))}" type="setup">${e(error)}</error>`, '    </testcase>');
    }
    for (const x of rs) {
      const open = `    <testcase name="${e(token(x.name))}" classname="${e(classname)}" time="${seconds(x.time)}"`;
      if (x.status === 'passed') lines.push(`${open}/>`);
      else if (x.status === 'skipped') lines.push(`${open}>`, '      <skipped/>', '    </testcase>');
      else lines.push(`${open}>`, `      <failure message="${e(token(x.detail).slice(0, 500))}" type="step">${e(x.detail)}</failure>`, '    </testcase>');
    }
    lines.push(`    <system-out>${e(caseOut(c))}</system-out>`, '    <system-err></system-err>', '  </testsuite>');
  };
  for (const c of r.cases) {
    suite(c, c.name, stepRows(c), c.error);
    const exp = expectationRows(c);
    if (exp.length) suite(c, `${c.name} · expectations`, exp, null);
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
