/**
 * @deprecated `lab emulate` now lives in `runs/emulate.ts` and runs on a LabRuntime; this keeps the
 * old entry point (`runEmulate(options)` with `dbFile`, `log` and `abort`) for scripts and tests.
 */
import type { EmulateRunOptions } from '../runs/emulate';
import { runHeadless } from '../runtime/headless';
import type { RecorderLog } from './call-recorder';
import type { RunReport } from './run-report';

export type { EmulateReady, EmulatorCredentials } from '../runs/emulate';

/** Options of {@link runEmulate}: the run's options plus history, log and the abort signal. */
export type EmulateOptions = EmulateRunOptions & { dbFile?: string | null; log?: RecorderLog; abort?: AbortSignal };

/**
 * Runs one emulated CXone call against a real bot, on a runtime of its own.
 * @returns the run report (`kind: 'emulate'`); `ok` only when every check passed.
 * @throws Error for an unknown profile, a target that is not a SIP URI, or a listener that cannot
 *   be opened (EADDRINUSE…); everything the bot does wrong is in the report instead.
 */
export function runEmulate(opts: EmulateOptions): Promise<RunReport> {
  const { dbFile, log, abort, ...options } = opts;
  return runHeadless<RunReport>('emulate', options, { dbFile, log, signal: abort });
}
