/**
 * @deprecated `lab call` now lives in `runs/place-call.ts` (run kind `call`) and runs on a
 * LabRuntime; this keeps the old entry point (`runPlaceCall(options)` with `dbFile`, `log` and
 * `signal`) for scripts and tests.
 */
import type { PlaceCallRunOptions } from '../runs/place-call';
import { runHeadless } from '../runtime/headless';
import type { RecorderLog } from './call-recorder';
import type { PlaceCallRunReport } from './place-call-report';

/** Options of {@link runPlaceCall}: the run's options plus history, log and the abort signal. */
export type PlaceCallOptions = PlaceCallRunOptions & { dbFile?: string | null; log?: RecorderLog; signal?: AbortSignal };

/**
 * Places one call on a runtime of its own and reports it.
 * @returns the report; `ok` only when every check passed (registration, credentials, answer, headers, audio).
 * @throws Error on set-up problems: unknown profile, unusable target, listener not bound.
 */
export function runPlaceCall(opts: PlaceCallOptions): Promise<PlaceCallRunReport> {
  const { dbFile, log, signal, ...options } = opts;
  return runHeadless<PlaceCallRunReport>('call', options, { dbFile, log, signal });
}
