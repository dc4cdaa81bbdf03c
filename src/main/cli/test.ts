/**
 * `lab test <file|dir>... [--json FILE] [--junit FILE] [--html FILE] [--var k=v]... [--parallel N]
 * [--bail] [--db FILE] [--schema]` (issue 13 item 2): runs test cases and suites on the runtime
 * (kind `test`), prints each case's verdict as it ends, writes the reports.
 * Exit status: 0 all passed, 1 a case failed, 2 a usage or set-up error (a bad case file: the file,
 * line and what is wrong; a case that could not be set up: a port in use, a missing secret).
 */
import { writeFileSync } from 'node:fs';
import { LabError } from '../../shared/errors';
import { renderTestHtml } from '../reports/test-html';
import { renderTestJson } from '../reports/test-json';
import { renderTestJunit } from '../reports/test-junit';
import { runHeadless } from '../runtime/headless';
import type { TestRunReport } from '../runs/test-case';
import type { RecorderLog } from '../scenarios/call-recorder';
import { CaseFileError } from '../testcases/load';
import { caseJsonSchema } from '../testcases/schema';
import { collectCases } from '../testcases/suite';
import type { CaseResult, StepResult } from '../testcases/types';
import { CliUsageError, parseCommandArgs, sayFor } from './args';

/** Usage lines of the command, for the CLI's help. */
export const TEST_USAGE = `  test <case.yaml|folder>... [--json FILE] [--junit FILE] [--html FILE] [--var k=v]...
       [--parallel N] [--bail] [--db FILE]        |  test --schema
      Runs scripted test cases (YAML or JSON; a folder is a suite in name order, or as its
      suite.yaml lists, with a matrix of variables): each step (say, play, dtmf, expect_speech,
      wait_silence, expect_signal, expect_hangup…) gets its own verdict and time from the INVITE.
      --var sets \${name} variables; --parallel runs N cases at once; --bail stops after a failure.
      --json/--junit/--html write the reports ('-' for JSON on standard output); --schema prints
      the case file's JSON Schema for editors. Exit 0 all passed, 1 a case failed, 2 a bad case file or a case that could not be set up.`;

/** One line per case: PASS/FAIL, name, duration, and the failing step. */
export function caseLine(c: Omit<CaseResult, 'media'>): string {
  const head = `${c.ok ? 'PASS' : 'FAIL'}  ${c.name}  (${c.mode}, ${(c.duration_ms / 1000).toFixed(1)} s${c.attempts > 1 ? `, attempt ${c.attempts}` : ''})`;
  if (c.ok) return head;
  const failed = c.steps.find((s) => s.status === 'failed');
  const lines = [head];
  if (failed) lines.push(`      step ${failed.index + 1} ${failed.label}${failed.at_ms !== null ? ` at ${failed.at_ms} ms` : ''}: ${failed.detail}`);
  for (const k of c.expectations.filter((x) => !x.ok)) lines.push(`      expect ${k.name}: ${k.detail}`);
  if (c.error && !failed) lines.push(`      set-up: ${c.error}`);
  return lines.join('\n');
}

/**
 * Runs `lab test`.
 * @returns 0 when every case passed, 1 when one failed.
 * @throws CliUsageError on a usage mistake or a bad case file (exit status 2).
 */
export async function testCommand(args: string[], log: RecorderLog = () => {}): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      json: { type: 'string' },
      junit: { type: 'string' },
      html: { type: 'string' },
      var: { type: 'string', multiple: true },
      parallel: { type: 'string' },
      bail: { type: 'boolean' },
      db: { type: 'string' },
      schema: { type: 'boolean' },
    },
    true,
  );
  if (values.schema) {
    process.stdout.write(`${JSON.stringify(caseJsonSchema(), null, 2)}\n`);
    return 0;
  }
  if (positionals.length === 0) throw new CliUsageError('give at least one case file or folder: lab test examples/tests');
  const vars: Record<string, string> = {};
  for (const v of values.var ?? []) {
    const m = /^([A-Za-z_][\w.-]*)=(.*)$/s.exec(v);
    if (!m) throw new CliUsageError(`--var "${v}": expected name=value`);
    vars[m[1]!] = m[2]!;
  }
  const parallel = values.parallel === undefined ? 1 : Number(values.parallel);
  if (!Number.isInteger(parallel) || parallel < 1 || parallel > 32) throw new CliUsageError(`--parallel "${values.parallel}": a whole number 1..32`);
  // Validate every case first: a bad file is exit 2 with file:line before anything runs.
  try {
    collectCases(positionals, vars);
  } catch (e) {
    if (e instanceof CaseFileError) throw new CliUsageError(e.message);
    throw e;
  }
  const say = sayFor(values.json);
  const abort = new AbortController();
  const onSigint = (): void => abort.abort();
  process.once('SIGINT', onSigint);
  let report: TestRunReport;
  try {
    report = await runHeadless<TestRunReport>(
      'test',
      {
        paths: positionals,
        vars,
        parallel,
        bail: values.bail ?? false,
        keepMedia: values.html !== undefined,
        // The case's name, then its steps as they end (one case at a time: with --parallel the lines of cases would mix).
        ...(parallel === 1
          ? {
              listener: {
                onCaseBegin: (name: string) => say(`---- ${name}`),
                onStepEnd: (st: StepResult) =>
                  st.status !== 'skipped' && say(`   ${st.status === 'passed' ? 'ok  ' : 'FAIL'} ${st.index + 1}. ${st.label}${st.at_ms !== null ? ` at ${st.at_ms} ms` : ''}: ${st.detail}`),
              },
            }
          : {}),
      },
      {
        dbFile: values.db ?? null,
        log,
        signal: abort.signal,
        onRuntime: (rt) => rt.events.on('run/call', (e) => e.kind === 'test' && say(caseLine(e.report as CaseResult))),
      },
    );
  } catch (e) {
    if (e instanceof LabError && e.kind === 'usage') throw new CliUsageError(e.message);
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
  }
  const passed = report.cases.filter((c) => c.ok).length;
  say(`${report.ok ? 'PASS' : 'FAIL'}: ${passed}/${report.cases.length} cases passed${report.not_run.length ? `, ${report.not_run.length} not run (--bail)` : ''} in ${(report.duration_ms / 1000).toFixed(1)} s`);
  if (values.json === '-') process.stdout.write(renderTestJson(report));
  else if (values.json) writeFileSync(values.json, renderTestJson(report));
  if (values.junit) writeFileSync(values.junit, renderTestJunit(report));
  if (values.html) writeFileSync(values.html, renderTestHtml(report));
  // A case that could not be set up (a port in use, a missing secret) is a set-up error: exit 2.
  const setup = report.cases.filter((c) => c.error !== null);
  if (setup.length) {
    for (const c of setup) process.stderr.write(`error: ${c.name}: ${c.error}\n`);
    return 2;
  }
  return report.ok ? 0 : 1;
}
