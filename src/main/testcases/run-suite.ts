/**
 * Runs a list of case jobs (a suite): at most `parallel` at a time, in order of the list, stopping
 * to start new ones after the first failure with `bail` (those are listed as not run). Reporters
 * read the {@link TestRunResult}; live front-ends subscribe through the listener.
 */
import type { RecorderLog } from '../scenarios/call-recorder';
import { synthesize } from '../media/tts';
import type { CaseDeps } from './driver';
import { runCase, type RunCaseOptions } from './run-case';
import type { SpeechSource } from './steps';
import type { CaseJob } from './suite';
import type { CaseResult, TestRunResult } from './types';

/** Options of {@link runSuite}. */
export interface RunSuiteOptions extends RunCaseOptions {
  /** Cases run at the same time (default 1). */
  parallel?: number;
  /** Start no new case after one failed. */
  bail?: boolean;
  /** Called with each case's result as it completes. */
  onCaseEnd?: (r: CaseResult) => void;
}

/** The result of a suite, with the cases `--bail` kept from running. */
export interface SuiteResult extends TestRunResult {
  /** Names of cases not run (after a failure with `bail`, or when stopped). */
  not_run: string[];
}

/**
 * A {@link SpeechSource} over the offline TTS that keeps what it rendered (a suite says the same
 * sentences many times); at most `max` texts are kept.
 */
export function cachedSpeech(render: SpeechSource = (t) => synthesize(t), max = 64): SpeechSource {
  const cache = new Map<string, Promise<Int16Array>>();
  return (text) => {
    let p = cache.get(text);
    if (!p) {
      p = render(text);
      p.catch(() => cache.delete(text));
      cache.set(text, p);
      if (cache.size > max) cache.delete(cache.keys().next().value!);
    }
    return p;
  };
}

/**
 * Runs the jobs.
 * @returns every case's result in the jobs' order; never rejects for a case's failure.
 */
export async function runSuite(jobs: readonly CaseJob[], deps: CaseDeps, opts: RunSuiteOptions = {}): Promise<SuiteResult> {
  const started = Date.now();
  const t0 = performance.now();
  const results: (CaseResult | undefined)[] = new Array(jobs.length);
  let next = 0;
  let failed = false;
  const workers = Array.from({ length: Math.max(1, Math.min(opts.parallel ?? 1, jobs.length)) }, async () => {
    for (;;) {
      if ((opts.bail && failed) || opts.signal?.aborted) return;
      const i = next++;
      if (i >= jobs.length) return;
      let r = await runCase(jobs[i]!, deps, opts);
      for (let a = 1; !r.ok && a <= jobs[i]!.case.retries && !opts.signal?.aborted; a++) {
        deps.log('info', `test: ${jobs[i]!.displayName} failed; retry ${a} of ${jobs[i]!.case.retries}`);
        r = { ...(await runCase(jobs[i]!, deps, opts)), attempts: a + 1 };
      }
      results[i] = r;
      if (!r.ok) failed = true;
      opts.onCaseEnd?.(r);
    }
  });
  await Promise.all(workers);
  const cases = results.filter((r): r is CaseResult => r !== undefined);
  const notRun = jobs.filter((_, i) => results[i] === undefined).map((j) => j.displayName);
  return {
    ok: cases.every((c) => c.ok) && notRun.length === 0,
    cases,
    not_run: notRun,
    started_wall_ms: started,
    duration_ms: Math.round(performance.now() - t0),
  };
}

/** Logs nothing. */
export const quietLog: RecorderLog = () => {};
