/**
 * Monitoring (issue 6): a scenario run on a schedule (monitor/schedule.ts) — the embedded handoff,
 * with faults injected in the emulator when asked — each run stored in history, its verdict and
 * latency reported, and a desktop notification when a run fails (and when the scenario recovers).
 * This module keeps the entry points that run it without a runtime at hand: each handoff then
 * runs on a runtime of its own over `dbFile`. The monitor run kind (runs/monitor.ts) uses the
 * schedule directly on its runtime.
 */
import { runHandoff } from '../scenarios/handoff';
import { runSchedule, type MonitorOptions as ScheduleOptions, type MonitorSummary } from './schedule';

export * from './schedule';

/** Options of {@link runMonitor}: the schedule's, with `runOnce` optional (default: a handoff over `dbFile`). */
export type MonitorOptions = Omit<ScheduleOptions, 'runOnce'> & Partial<Pick<ScheduleOptions, 'runOnce'>>;

/**
 * Runs the scenario on its schedule until `runs` runs were made or `signal` aborts.
 * @returns every run's result. Never rejects: a failing run or notifier is reported in its result.
 */
export function runMonitor(opts: MonitorOptions): Promise<MonitorSummary> {
  return runSchedule({
    ...opts,
    runOnce: opts.runOnce ?? (() => runHandoff({ ...opts.handoff, profile: opts.profile, transport: opts.transport, dbFile: opts.dbFile, faults: opts.faults, log: opts.log })),
  });
}

/** A monitor running in the background (the dashboard's). */
export interface MonitorHandle {
  /** Resolves when the monitor ends. */
  done: Promise<MonitorSummary>;
  /** Ends it after the run in progress; resolves with the summary. */
  stop(): Promise<MonitorSummary>;
}

/** Starts {@link runMonitor} in the background (the options' `signal` is replaced by the handle's). */
export function startMonitor(opts: Omit<MonitorOptions, 'signal'>): MonitorHandle {
  const ac = new AbortController();
  const done = runMonitor({ ...opts, signal: ac.signal });
  return {
    done,
    stop: () => {
      ac.abort();
      return done;
    },
  };
}
