/**
 * Handlers of the `tests/*` methods (issue 13 item 6; shared/tests-contract.ts): list a folder's
 * cases, read and save a case file, validate the editor's text live with the test-case loader (so
 * a problem carries the line and column), run cases on the runtime (tests-runs.ts), a case's
 * history (pass rate, latency trend) and a run's HTML report.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname, join, relative, resolve } from 'node:path';
import type { LabHandlers } from '../../shared/contract';
import type { TestCaseEntry, TestFolderView, TestHistoryPoint, TestHistoryView, TestValidation } from '../../shared/tests-contract';
import { LabError } from '../../shared/errors';
import { guard } from './guard';
import type { HistoryStore } from '../history/store';
import { renderTestHtml } from '../reports/test-html';
import { checkCaseText, loadCaseFile, CaseFileError } from '../testcases/load';
import { stepLabel } from '../testcases/engine';
import { SUITE_FILE } from '../testcases/suite';
import type { DashboardTestRuns } from './tests-runs';

type TestsMethod = 'tests/list' | 'tests/read' | 'tests/validate' | 'tests/save' | 'tests/run' | 'tests/history' | 'tests/report';

const CASE_EXT = /\.(ya?ml|json)$/i;
/** Cases listed per folder at most (a wrong folder such as `/` must not walk the disk). */
export const MAX_LISTED_CASES = 2000;


/** The folder `tests/list` shows without one: `examples/tests` under the working folder; null when there is none. */
export function defaultTestsDir(cwd = process.cwd()): string | null {
  const ex = join(cwd, 'examples', 'tests');
  return existsSync(ex) ? ex : null;
}

/**
 * Lists a folder's case files (sub-folders included, name order, dot-files and node_modules left out), each loaded to show its name or its problem.
 * @throws LabError `usage` when `dir` is not a folder.
 */
export function listTestFolder(dir: string): TestFolderView {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new LabError('usage', `${root} is not a folder`, 'give a folder of .yaml test cases');
  const cases: TestCaseEntry[] = [];
  const suites: string[] = [root];
  const walk = (d: string, depth: number): void => {
    if (depth > 6 || cases.length >= MAX_LISTED_CASES) return;
    const names = readdirSync(d, { withFileTypes: true })
      .filter((e) => !e.name.startsWith('.') && e.name !== 'node_modules')
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of names) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p, depth + 1);
      else if (e.name === SUITE_FILE) {
        if (d !== root) suites.push(d);
      } else if (CASE_EXT.test(e.name) && cases.length < MAX_LISTED_CASES) cases.push(entryOf(root, p));
    }
  };
  walk(root, 0);
  return { dir: root, cases, suites };
}

function entryOf(root: string, file: string): TestCaseEntry {
  const rel = relative(root, file);
  try {
    const c = loadCaseFile(file).case;
    return { path: file, rel, name: c.name, mode: c.mode, profile: c.profile, steps: c.steps.length, problem: null };
  } catch (e) {
    return { path: file, rel, name: basename(file), mode: null, profile: null, steps: 0, problem: e instanceof CaseFileError ? e.message : (e as Error).message };
  }
}

/** Validates case text (testcases/load.ts); the file name only names it in the message. */
export function validateCase(text: string, file = 'case.yaml'): TestValidation {
  const c = checkCaseText(text, file);
  if (!c.ok) return { ok: false, line: c.line, column: c.column, problem: c.problem, message: c.message };
  return { ok: true, name: c.case.name, mode: c.case.mode, profile: c.case.profile, steps: c.case.steps.map((s) => ({ kind: s.kind, label: stepLabel(s) })) };
}

function assertCaseFile(path: string): string {
  const p = resolve(path);
  if (!CASE_EXT.test(extname(p))) throw new LabError('usage', `${p}: a test case file ends in .yaml, .yml or .json`);
  return p;
}

const DURATION_IN_DETAIL = /passed in (\d+(?:\.\d+)?) s/;

/**
 * A case's history from the runs of kind `test`: each run's `case <name>` check (its verdict), and
 * the test call's latency marks. A case's call is the run's call that carries step checks, in
 * order (runs of several cases in parallel or with retries: the marks are left out).
 */
export function caseHistory(store: HistoryStore, name: string, limit = 50): TestHistoryView {
  const points: TestHistoryPoint[] = [];
  const want = `case ${name}`;
  for (const run of store.listRuns({ limit: 1000 })) {
    if (run.kind !== 'test' || points.length >= limit) continue;
    const check = run.checks.find((k) => k.name === want);
    if (!check) continue;
    const caseChecks = run.checks.filter((k) => k.name.startsWith('case '));
    // The test calls: those that carry step checks, one per case in order (the bot's leg carries none).
    const testCalls = run.callIds.map((id) => store.getCall(id)).filter((c) => c?.checks.some((k) => k.name.startsWith('step ')));
    const call = testCalls.length === caseChecks.length ? testCalls[caseChecks.indexOf(check)] : null;
    const secs = DURATION_IN_DETAIL.exec(check.detail)?.[1];
    points.push({
      runId: run.id,
      startedWallMs: run.startedWallMs,
      ok: check.ok,
      durationMs: secs !== undefined ? Math.round(Number(secs) * 1000) : null,
      latency: { ...((call?.latency ?? {}) as Record<string, number>) },
      detail: check.detail,
    });
  }
  points.reverse();
  const passed = points.filter((p) => p.ok).length;
  return { name, runs: points.length, passed, passRate: points.length ? passed / points.length : null, points };
}

/** The handlers of the `tests/*` methods. */
export function makeTestsHandlers(store: HistoryStore, runs: DashboardTestRuns): Pick<LabHandlers, TestsMethod> {
  return {
    'tests/list': guard((p) => {
      const dir = p.dir ?? defaultTestsDir();
      // No folder given and no examples here (an installed app's working folder may be /): nothing is walked.
      return dir ? listTestFolder(dir) : { dir: process.cwd(), cases: [], suites: [] };
    }),
    'tests/read': guard((p) => {
      const path = assertCaseFile(p.path);
      return { path, text: readFileSync(path, 'utf8') };
    }),
    'tests/validate': guard((p) => validateCase(p.text, p.path ? resolve(p.path) : undefined)),
    'tests/save': guard((p) => {
      const path = assertCaseFile(p.path);
      try {
        writeFileSync(path, p.text, { flag: p.create ? 'wx' : 'w' });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new LabError('usage', `${path} exists already`, 'pick another file name');
        throw e;
      }
      return validateCase(p.text, path);
    }),
    'tests/run': guard((p) => {
      if (p.paths.length === 0 && !p.inline) throw new LabError('usage', 'nothing to run: give case files, a folder or the case text');
      return runs.start({
        paths: p.paths.map((x) => resolve(x)),
        ...(p.inline ? { inline: { text: p.inline.text, ...(p.inline.path ? { file: resolve(p.inline.path) } : {}) } } : {}),
        vars: p.vars,
      });
    }),
    'tests/history': guard((p) => caseHistory(store, p.name, p.limit)),
    'tests/report': guard((p) => {
      const report = runs.report(p.run);
      if (!report) throw new LabError('usage', `the report of run ${p.run} is not kept (the last dashboard runs are)`, 'export a history run from the History screen');
      return { fileName: `test-report-${(report.runId || p.run).slice(0, 8)}.html`, html: renderTestHtml(report) };
    }),
  };
}
