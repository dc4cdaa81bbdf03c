/**
 * The monitor as a run kind (issue 6, issue 11): a run that schedules handoff runs on the same
 * runtime, so each run is kept in the runtime's one history connection and its calls reach every
 * front-end live. The schedule, verdicts and notifications are monitor/monitor.ts's.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { runMonitor, type MonitorRunResult, type MonitorSummary } from '../monitor/monitor';
import type { Notifier } from '../monitor/notifier';
import type { RunReport } from '../scenarios/run-report';
import { handoffOptionsSchema } from './handoff';
import { callback, faultsOption, loopbackTransport } from './schemas';
import { defineRun, type RunContext } from './types';

/** Options of a monitor run. */
export const monitorOptionsSchema = z.object({
  /** The scenario run on each tick (the embedded handoff). */
  scenario: z.literal('handoff'),
  profile: z.string().min(1),
  transport: loopbackTransport,
  /** Time between the starts of two runs (ms). */
  everyMs: z.number().positive(),
  /** Stop after this many runs; absent: until the run is aborted (Ctrl-C, the dashboard's stop). */
  runs: z.number().int().min(1).optional(),
  faults: faultsOption.optional(),
  /** Told when a run fails and when the scenario recovers; null or absent: no notification. */
  notifier: z.custom<Notifier>().nullable().optional(),
  /** Called after each run. */
  onRun: callback<(r: MonitorRunResult) => void>().optional(),
  /** Extra options of each handoff run (drop wait, greeting…). */
  handoff: handoffOptionsSchema.omit({ profile: true, transport: true, faults: true }).partial().optional(),
});

/** Options of a monitor run as given. */
export type MonitorRunOptions = z.input<typeof monitorOptionsSchema>;

/** A monitor run's report: the summary of its runs; `ok` when every run passed (and one ran). */
export type MonitorReport = MonitorSummary & { ok: boolean; runId: string; kind: 'monitor' };

/**
 * Runs the scenario on its schedule until `runs` runs were made or the run is aborted.
 * @returns every run's result. Never rejects for a failing run: it is reported in its result.
 */
export async function runMonitorOn(ctx: RunContext, opts: z.output<typeof monitorOptionsSchema>): Promise<MonitorReport> {
  ctx.profile(opts.profile); // unknown profile: a usage error now, not one failed run per tick
  const summary = await runMonitor({
    scenario: opts.scenario,
    profile: opts.profile,
    transport: opts.transport,
    everyMs: opts.everyMs,
    runs: opts.runs,
    dbFile: null,
    faults: opts.faults,
    notifier: opts.notifier ?? null,
    signal: ctx.signal,
    onRun: opts.onRun,
    log: ctx.log,
    runOnce: () =>
      ctx.run('handoff', { ...opts.handoff, profile: opts.profile, transport: opts.transport, ...(opts.faults?.length ? { faults: opts.faults } : {}) }) as Promise<RunReport>,
  });
  return { ok: summary.runs.length > 0 && summary.failed === 0, runId: randomUUID(), kind: 'monitor', ...summary };
}

/** The `monitor` kind. */
export const monitorRun = defineRun({ kind: 'monitor', options: monitorOptionsSchema, run: runMonitorOn });
