/**
 * The monitor as a run kind (issue 6, issue 11, issue 13 item 7): a run that schedules runs on the
 * same runtime — the embedded handoff, or test cases and suites (`scenario: 'test'` with `paths`)
 * — so each run is kept in the runtime's one history connection and its calls reach every
 * front-end live. The schedule, verdicts and notifications are monitor/monitor.ts's; the
 * Prometheus figures monitor/metrics.ts's.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { MonitorMetrics } from '../monitor/metrics';
import { runSchedule, type MonitorRunReport, type MonitorRunResult, type MonitorSummary } from '../monitor/schedule';
import type { Notifier } from '../monitor/notifier';
import type { RunReport } from '../scenarios/run-report';
import { handoffOptionsSchema } from './handoff';
import { callback, faultsOption, loopbackTransport } from './schemas';
import type { TestRunReport } from './test-case';
import { defineRun, type RunContext } from './types';

/** Options of a monitor run. */
export const monitorOptionsSchema = z
  .object({
    /** The scenario run on each tick: the embedded handoff, or test cases (`paths`). */
    scenario: z.enum(['handoff', 'test']),
    /** The handoff's profile (required for `handoff`). */
    profile: z.string().min(1).optional(),
    /** The handoff's transport (required for `handoff`). */
    transport: loopbackTransport.optional(),
    /** `test`: case files, suite folders or suite.yaml files. */
    paths: z.array(z.string().min(1)).default([]),
    /** `test`: cases given as text (a dashboard monitor of the editor's case). */
    inline: z.array(z.object({ text: z.string().min(1), file: z.string().optional() })).default([]),
    /** `test`: `--var` values. */
    vars: z.record(z.string(), z.string()).default({}),
    /** Time between the starts of two runs (ms). */
    everyMs: z.number().positive(),
    /** Stop after this many runs; absent: until the run is aborted (Ctrl-C, the dashboard's stop). */
    runs: z.number().int().min(1).optional(),
    faults: faultsOption.optional(),
    /** Told when a run fails and when the scenario recovers; null or absent: no notification. */
    notifier: z.custom<Notifier>().nullable().optional(),
    /** Prometheus figures of each run (monitor/metrics.ts); absent: none. */
    metrics: z.custom<MonitorMetrics>((v) => typeof v === 'object' && v !== null).optional(),
    /** Called after each run. */
    onRun: callback<(r: MonitorRunResult) => void>().optional(),
    /** Extra options of each handoff run (drop wait, greeting…). */
    handoff: handoffOptionsSchema.omit({ profile: true, transport: true, faults: true }).partial().optional(),
  })
  .superRefine((o, ctx) => {
    if (o.scenario === 'handoff' && (!o.profile || !o.transport)) ctx.addIssue({ code: 'custom', message: 'the handoff monitor needs a profile and a transport' });
    if (o.scenario === 'test' && o.paths.length === 0 && o.inline.length === 0) ctx.addIssue({ code: 'custom', message: 'the test monitor needs case files or folders' });
  });

/** Options of a monitor run as given. */
export type MonitorRunOptions = z.input<typeof monitorOptionsSchema>;

/** A monitor run's report: the summary of its runs; `ok` when every run passed (and one ran). */
export type MonitorReport = MonitorSummary & { ok: boolean; runId: string; kind: 'monitor' };

/** A test run as the monitor reads it: each case a "call" with its failed steps and expectations as checks. */
export function testMonitorReport(r: TestRunReport): MonitorRunReport {
  return {
    ok: r.ok,
    runId: r.runId,
    calls: r.cases.map((c) => ({
      name: c.name,
      ok: c.ok,
      durationMs: c.duration_ms,
      latency: c.latency,
      checks: [
        ...(c.error ? [{ name: 'set-up', ok: false, detail: c.error }] : []),
        ...c.steps.filter((s) => s.status === 'failed').map((s) => ({ name: `${c.name}: step ${s.index + 1} ${s.kind}`, ok: false, detail: `${s.label}: ${s.detail}` })),
        ...c.expectations.map((k) => ({ ...k, name: `${c.name}: ${k.name}` })),
      ],
    })),
  };
}

/** How a monitor names its scenario (notifications, metrics of a handoff). */
export function monitorLabel(o: { scenario: 'handoff' | 'test'; profile?: string; transport?: string; paths: readonly string[]; inline: readonly unknown[] }): string {
  if (o.scenario === 'handoff') return `handoff ${o.profile} (${o.transport})`;
  const what = [...o.paths, ...(o.inline.length ? [`${o.inline.length} case(s) from the editor`] : [])];
  return `test ${what.join(', ')}`;
}

/**
 * Runs the scenario on its schedule until `runs` runs were made or the run is aborted.
 * @returns every run's result. Never rejects for a failing run: it is reported in its result.
 * @throws LabError `usage` for an unknown profile (handoff) before the first run.
 */
export async function runMonitorOn(ctx: RunContext, opts: z.output<typeof monitorOptionsSchema>): Promise<MonitorReport> {
  if (opts.scenario === 'handoff') ctx.profile(opts.profile!); // unknown profile: a usage error now, not one failed run per tick
  const label = monitorLabel(opts);
  const runOnce =
    opts.scenario === 'test'
      ? async () => testMonitorReport((await ctx.run('test', { paths: opts.paths, inline: opts.inline, vars: opts.vars })) as TestRunReport)
      : () =>
          ctx.run('handoff', { ...opts.handoff, profile: opts.profile, transport: opts.transport, ...(opts.faults?.length ? { faults: opts.faults } : {}) }) as Promise<RunReport>;
  const summary = await runSchedule({
    scenario: opts.scenario,
    profile: opts.profile ?? '',
    transport: opts.transport ?? 'udp',
    label,
    everyMs: opts.everyMs,
    runs: opts.runs,
    dbFile: null,
    faults: opts.faults,
    notifier: opts.notifier ?? null,
    signal: ctx.signal,
    onRun: (r) => {
      opts.metrics?.observeRun(r, label, Date.now() - r.startedWallMs);
      opts.onRun?.(r);
    },
    log: ctx.log,
    runOnce,
  });
  return { ok: summary.runs.length > 0 && summary.failed === 0, runId: randomUUID(), kind: 'monitor', ...summary };
}

/** The `monitor` kind. */
export const monitorRun = defineRun({ kind: 'monitor', options: monitorOptionsSchema, run: runMonitorOn });
