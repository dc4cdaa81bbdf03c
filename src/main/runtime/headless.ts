/**
 * One run on a runtime of its own, for callers that run a single kind and exit (the CLI commands,
 * scripts, tests): opens the runtime on `dbFile`, runs, closes. Front-ends that live longer (the
 * dashboard, a monitor) share one {@link LabRuntime} instead.
 */
import type { RunKind, RunOutcome } from '../runs/types';
import type { RecorderLog } from '../scenarios/call-recorder';
import { LabRuntime } from './lab-runtime';

/** Where the one-shot runtime keeps history and logs. */
export interface HeadlessOptions {
  /** SQLite file to keep the run in; null or undefined keeps nothing. */
  dbFile?: string | null;
  log?: RecorderLog;
  /** Aborts the run (Ctrl-C). */
  signal?: AbortSignal;
  /** Called with the runtime once open (to subscribe to its events before the run starts). */
  onRuntime?: (runtime: LabRuntime) => void;
}

/**
 * Runs `kind` with `options` on a fresh runtime and closes it.
 * @returns the kind's report. @throws what the run throws (LabError for usage and storage).
 */
export async function runHeadless<R = RunOutcome>(kind: RunKind, options: unknown, opts: HeadlessOptions = {}): Promise<R> {
  const runtime = LabRuntime.open({ dbFile: opts.dbFile ?? null, log: opts.log });
  const marked = runtime.store?.interruptedAtOpen.calls ?? 0;
  if (marked > 0) opts.log?.('warn', `history: ${marked} call(s) left open by a stopped process marked interrupted (history/interrupted.ts)`);
  try {
    opts.onRuntime?.(runtime);
    return await runtime.run<R>(kind, options, { signal: opts.signal });
  } finally {
    await runtime.close();
  }
}
