/**
 * The `test` kind (issue 13): runs test case files and suites (testcases/) on the runtime. Options:
 * the paths (files or folders), `--var` values, parallelism and bail. The report is the suite's
 * result (`ok`, `cases[]` with their steps) plus the run's id; each case is announced as it
 * completes (`run/call`), so reports and screens follow the run.
 *
 * A bad case file is a `usage` error naming the file and line, before anything runs.
 */
import { z } from 'zod';
import { LabError } from '../../shared/errors';
import { resolve } from 'node:path';
import { CaseFileError, loadCaseText } from '../testcases/load';
import { cachedSpeech, runSuite, type RunSuiteOptions, type SuiteResult } from '../testcases/run-suite';
import { collectCases, type CaseJob } from '../testcases/suite';
import type { CaseResult } from '../testcases/types';
import { defineRun, type RunContext, type RunOutcome } from './types';

/** Options of a test run. */
export const testOptionsSchema = z.object({
  /** Case files, suite folders or suite.yaml files. */
  paths: z.array(z.string().min(1)).default([]),
  /**
   * Cases given as text (the dashboard's editor, a monitor's stored case): `file` names it in
   * messages and is where `play` paths are relative to (default `case.yaml` in the working folder).
   */
  inline: z.array(z.object({ text: z.string().min(1), file: z.string().optional() })).default([]),
  /** Variables (`--var k=v`), over the suites' vars and matrices. */
  vars: z.record(z.string(), z.string()).default({}),
  /** Cases at the same time. */
  parallel: z.number().int().min(1).max(32).default(1),
  /** Start no new case after a failure. */
  bail: z.boolean().default(false),
  /** Keep each case's ladder and audio for the HTML report. */
  keepMedia: z.boolean().default(false),
  /** Live progress of each case and step (the dashboard's ticking steps); in-process callers only. */
  listener: z.custom<NonNullable<RunSuiteOptions['listener']>>((v) => typeof v === 'object' && v !== null, 'a step listener').optional(),
});

/** The report of a test run. */
export type TestRunReport = RunOutcome & SuiteResult;

/**
 * Runs the cases on `ctx`.
 * @throws LabError `usage` for a missing path or a bad case/suite file (file:line: what is wrong).
 */
export async function runTestOn(ctx: RunContext, o: z.output<typeof testOptionsSchema>): Promise<TestRunReport> {
  let jobs: CaseJob[];
  try {
    jobs = [
      ...collectCases(o.paths, o.vars),
      ...o.inline.map((c) => {
        const loaded = loadCaseText(c.text, resolve(c.file ?? 'case.yaml'), o.vars);
        return { ...loaded, displayName: loaded.case.name };
      }),
    ];
  } catch (e) {
    if (e instanceof CaseFileError) throw new LabError('usage', e.message, 'fix the case file; `lab test --schema` prints the JSON Schema', { cause: e });
    throw e;
  }
  if (jobs.length === 0) throw new LabError('usage', o.paths.length ? `no test cases in ${o.paths.join(', ')}` : 'no test case given', 'a case is a .yaml, .yml or .json file');
  // Only the names of the variables are stored: a value may be a secret.
  const runId = ctx.createRun({ kind: 'test', profile: null, transport: null, options: { paths: o.paths, inline: o.inline.length, vars: Object.keys(o.vars), cases: jobs.length } });
  const result = await runSuite(
    jobs,
    { startEndpoint: ctx.startEndpoint, startCxone: ctx.startCxone, recorder: ctx.recorder, log: ctx.log, profile: (id) => ctx.profile(id), runId, speak: cachedSpeech() },
    {
      parallel: o.parallel,
      bail: o.bail,
      keepMedia: o.keepMedia,
      ...(o.listener ? { listener: o.listener } : {}),
      signal: ctx.signal,
      onCaseEnd: (r: CaseResult) => ctx.onCallReport(withoutMedia(r) as unknown as Record<string, unknown>),
    },
  );
  ctx.finishRun(runId, result.ok);
  return { ...result, runId, kind: 'test' };
}

/** A case result without its audio and ladder (what events and JSON carry). */
export function withoutMedia(r: CaseResult): Omit<CaseResult, 'media'> {
  const { media: _media, ...rest } = r;
  return rest;
}

/** The `test` kind. */
export const testRun = defineRun({ kind: 'test', options: testOptionsSchema, run: runTestOn });
