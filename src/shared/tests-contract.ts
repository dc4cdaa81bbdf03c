/**
 * The Tests screen's part of the contract (issue 13 item 6): payload schemas and result types of
 * the `tests/*` methods and the `test/progress` event. contract.ts lists the methods; the handlers
 * are main/host/tests-handlers.ts. Paths are the main process's file paths (absolute, or relative
 * to its working folder).
 */
import { z } from 'zod';

const path = z.string().trim().min(1).max(4096);
/** Case text as the editor holds it (at most 512 kB). */
const caseText = z.string().max(512 * 1024);
/** `--var` values of a run. */
const vars = z.record(z.string().min(1).max(100), z.string().max(10_000));

/** `tests/list`: the cases of a folder; no `dir`: the examples folder (`examples/tests`) when there is one, else the working folder. */
export const testsListSchema = z.object({ dir: path.optional() }).strict();
/** `tests/read` / `tests/report` by path or run key. */
export const testsReadSchema = z.object({ path }).strict();
/** `tests/validate`: the editor's text, checked as if it were the file `path`. */
export const testsValidateSchema = z.object({ text: caseText, path: path.optional() }).strict();
/** `tests/save`: writes the text to a `.yaml`, `.yml` or `.json` file; `create`: only when no such file exists yet. */
export const testsSaveSchema = z.object({ path, text: caseText.min(1), create: z.boolean().optional() }).strict();
/** `tests/run`: case files or folders (a folder is a suite), or the editor's text as a case. */
export const testsRunSchema = z
  .object({
    paths: z.array(path).max(1000).default([]),
    inline: z.object({ text: caseText.min(1), path: path.optional() }).strict().optional(),
    vars: vars.default({}),
  })
  .strict();
/** `tests/history`: the runs of a case by its name. */
export const testsHistorySchema = z.object({ name: z.string().trim().min(1).max(500), limit: z.number().int().min(1).max(500).optional() }).strict();
/** `tests/report`: the HTML report of a run (a dashboard run's key, or a history run id). */
export const testsReportSchema = z.object({ run: z.string().trim().min(1).max(200) }).strict();

/** One case file of a folder, as listed. */
export interface TestCaseEntry {
  /** Absolute path. */
  path: string;
  /** Path relative to the listed folder (`vendors/kore.yaml`). */
  rel: string;
  /** The case's `name:`, or the file name when it does not load. */
  name: string;
  mode: string | null;
  profile: string | null;
  steps: number;
  /** What is wrong with it (`file:line:column: problem`), or null. */
  problem: string | null;
}

/** The cases of a folder (sub-folders included, in name order) and its suites (folders with a suite.yaml). */
export interface TestFolderView {
  dir: string;
  cases: TestCaseEntry[];
  /** Folders (absolute) holding a suite.yaml, and the folder itself: each runs as a suite. */
  suites: string[];
}

/** One step of a valid case, as the form shows it. */
export interface TestStepSummary {
  kind: string;
  label: string;
}

/** The live validation of the editor's text (testcases/load.ts checkCaseText). Line and column 1-based. */
export type TestValidation =
  | { ok: true; name: string; mode: string; profile: string; steps: TestStepSummary[] }
  | { ok: false; line: number | null; column: number | null; problem: string; message: string };

/** A step's live state in a dashboard run. */
export interface TestStepView {
  index: number;
  kind: string;
  label: string;
  status: 'pending' | 'running' | 'passed' | 'failed' | 'skipped';
  at_ms: number | null;
  duration_ms: number | null;
  detail: string;
}

/** One case of a dashboard run. */
export interface TestCaseRunView {
  name: string;
  file: string;
  state: 'running' | 'passed' | 'failed';
  steps: TestStepView[];
  durationMs: number | null;
  /** Set-up failure or failed expectations, one line each. */
  problems: string[];
  latency: Record<string, number>;
}

/** A dashboard run of cases: `key` names it in events and in `tests/report`. */
export interface TestRunView {
  key: string;
  /** The history run id, once written. */
  runId: string | null;
  state: 'running' | 'passed' | 'failed' | 'error';
  startedWallMs: number;
  cases: TestCaseRunView[];
  notRun: string[];
  /** Why the run could not run (a bad case file: file:line: what is wrong). */
  error: string | null;
}

/** One past run of a case (from history). */
export interface TestHistoryPoint {
  runId: string;
  startedWallMs: number;
  ok: boolean;
  /** The case's duration (ms) when known. */
  durationMs: number | null;
  /** The test call's latency marks (ms). */
  latency: Record<string, number>;
  detail: string;
}

/** A case's history: pass rate and latency trend, oldest run first. */
export interface TestHistoryView {
  name: string;
  runs: number;
  passed: number;
  /** passed / runs, 0..1; null without runs. */
  passRate: number | null;
  points: TestHistoryPoint[];
}

/** A run's HTML report (self-contained). */
export interface TestReportFile {
  fileName: string;
  html: string;
}

/** Payload of the `test/progress` event: the whole view of a dashboard run after each change. */
export type TestProgressEvent = TestRunView;
