/**
 * The JSON report of a test run (issue 13 item 2): `ok`, `cases[]`, each with `name`, `ok` and
 * `steps[]` (`kind`, `ok`, `at_ms` from the INVITE, `detail`, …), the case-level expectations and
 * latency. Audio and SIP messages stay out (the HTML report has them). Secrets never reach it: step
 * details are scrubbed when the case runs, and the case file's `${env:…}`/`${keychain:…}` are not
 * resolved in anything reported.
 */
import type { CaseResult, TestRunResult } from '../testcases/types';

/** The JSON report's shape (also `lab test --json`). */
export interface TestJsonReport {
  ok: boolean;
  /** Counts, for a glance. */
  summary: { cases: number; passed: number; failed: number; not_run: number };
  cases: Omit<CaseResult, 'media'>[];
  not_run: string[];
  started_wall_ms: number;
  duration_ms: number;
  runId?: string;
}

/** Builds the JSON report of a run (drops the media the HTML report uses). */
export function testJsonReport(r: TestRunResult & { not_run?: string[]; runId?: string }): TestJsonReport {
  const cases = r.cases.map(({ media: _m, ...c }) => c);
  const notRun = r.not_run ?? [];
  return {
    ok: r.ok,
    summary: { cases: cases.length, passed: cases.filter((c) => c.ok).length, failed: cases.filter((c) => !c.ok).length, not_run: notRun.length },
    cases,
    not_run: notRun,
    started_wall_ms: r.started_wall_ms,
    duration_ms: r.duration_ms,
    ...(r.runId ? { runId: r.runId } : {}),
  };
}

/** The JSON report as text (2-space indent, trailing newline). */
export function renderTestJson(r: TestRunResult & { not_run?: string[]; runId?: string }): string {
  return `${JSON.stringify(testJsonReport(r), null, 2)}\n`;
}
