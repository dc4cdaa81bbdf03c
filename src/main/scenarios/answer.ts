/**
 * @deprecated `lab answer` now lives in `runs/answer.ts` and runs on a LabRuntime; this keeps the
 * old entry point (`runAnswer(options)` with `dbFile`, `log` and `signal`) for scripts and tests.
 */
import type { AnswerReport, AnswerRunOptions } from '../runs/answer';
import { runHeadless } from '../runtime/headless';
import type { RecorderLog } from './call-recorder';

export { ANSWER_LINGER_MS, type CxoneApiTarget } from '../runs/answer';

/** Options of {@link runAnswer}: the run's options plus history, log and the abort signal. */
export type AnswerOptions = AnswerRunOptions & { dbFile?: string | null; log?: RecorderLog; signal?: AbortSignal };

/**
 * Answers `calls` calls on a runtime of its own and reports them.
 * @returns the run report (`ok` only when every check of every call passed and `calls` calls came).
 * @throws Error when the listener cannot be opened or the profile is unknown.
 */
export function runAnswer(opts: AnswerOptions): Promise<AnswerReport> {
  const { dbFile, log, signal, ...options } = opts;
  return runHeadless<AnswerReport>('answer', options, { dbFile, log, signal });
}
