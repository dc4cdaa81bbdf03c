/**
 * @deprecated The embedded handoff now lives in `runs/handoff.ts` and runs on a LabRuntime; this
 * keeps the old entry point (`runHandoff(options)` with `dbFile` and `log`) for scripts and tests.
 */
import type { RunReport } from './run-report';
import type { RecorderLog } from './call-recorder';
import type { HandoffRunOptions } from '../runs/handoff';
import { runHeadless } from '../runtime/headless';

export { cxoneSideChecks, EMULATED_PSEUDO_NUMBER } from '../runs/handoff-checks';

/** Options of {@link runHandoff}: the run's options plus where history goes and the log. */
export type HandoffOptions = HandoffRunOptions & { dbFile?: string | null; log?: RecorderLog };

/**
 * Runs one emulated handoff end to end on a runtime of its own.
 * @returns the run's report; `ok` is true only when every check passed.
 * @throws Error for an unknown profile or when a listener cannot be opened; check failures are in the report.
 */
export function runHandoff(opts: HandoffOptions): Promise<RunReport> {
  const { dbFile, log, ...options } = opts;
  return runHeadless<RunReport>('handoff', options, { dbFile, log });
}
