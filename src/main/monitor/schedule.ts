/**
 * The monitor's schedule (issue 6): runs a scenario every `everyMs`, never overlapping (the next run
 * starts `everyMs` after the previous one started, or at once when that one took longer); each run's
 * verdict and latency reported, a notification when a run fails and when the scenario recovers. A
 * run that throws (a port that cannot be bound…) counts as failed. How a run runs is the caller's
 * (`runOnce`): the monitor run kind (runs/monitor.ts) runs it on its runtime.
 */
import type { CheckResult, LatencyMarks } from '../../shared/types';
import type { EmulatorFault } from '../emulator/faults';
import type { HandoffRunOptions } from '../runs/handoff';
import type { RecorderLog } from '../scenarios/call-recorder';
import type { CallReport, RunReport } from '../scenarios/run-report';
import { formatInterval } from './interval';
import type { Notifier } from './notifier';

/** Scenarios the monitor can run: the embedded handoff, or test cases and suites (issue 13 item 7). */
export type MonitorScenario = 'handoff' | 'test';

/**
 * What the monitor reads of a run: its verdict, its history id, and per call (a handoff's calls, a
 * test run's cases) the checks and latency marks; `name`, `ok` and `durationMs` name a test case.
 */
export interface MonitorRunReport {
  ok: boolean;
  runId: string;
  calls: Array<Pick<CallReport, 'checks' | 'latency'> & { name?: string; ok?: boolean; durationMs?: number }>;
}

/** Options of {@link runSchedule}. */
export interface MonitorOptions {
  scenario: MonitorScenario;
  profile: string;
  transport: 'udp' | 'tcp';
  /** Time between the starts of two runs (ms). */
  everyMs: number;
  /** Stop after this many runs; undefined: until aborted. */
  runs?: number;
  /** History file every run is stored in (null: none, the trend is then empty). */
  dbFile: string | null;
  faults?: EmulatorFault[];
  /** What notifications call the scenario; default `<scenario> <profile> (<transport>)`. */
  label?: string;
  /** Told when a run fails and when the scenario recovers; null: no notification. */
  notifier?: Notifier | null;
  /** Ends the monitor after the run in progress. */
  signal?: AbortSignal;
  /** Called after each run. */
  onRun?: (r: MonitorRunResult) => void;
  /** Extra options of each handoff run (drop wait, greeting…). */
  handoff?: Partial<Omit<HandoffRunOptions, 'profile' | 'transport' | 'faults'>>;
  log?: RecorderLog;
  /**
   * Runs the scenario once (the monitor run kind passes `ctx.run('handoff', …)`, so every run shares
   * the runtime's history and event stream). monitor.ts's `runMonitor` defaults it to a handoff on a
   * runtime of its own over `dbFile`.
   */
  runOnce: () => Promise<MonitorRunReport | RunReport>;
}

/** One run of the monitor. */
export interface MonitorRunResult {
  /** 1-based. */
  index: number;
  startedWallMs: number;
  ok: boolean;
  /** The run's report; null when it threw before reporting. */
  report: MonitorRunReport | null;
  /** Why the run could not run, when it threw. */
  error: string | null;
  failedChecks: CheckResult[];
  latency: LatencyMarks;
  /** Whether a notification was sent for this run, and why it could not be when it failed. */
  notified: boolean;
  notifyError: string | null;
}

/** What {@link runSchedule} did. */
export interface MonitorSummary {
  runs: MonitorRunResult[];
  passed: number;
  failed: number;
}

/** Waits `ms`, or less when `signal` aborts. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

async function runOnce(opts: MonitorOptions): Promise<{ report: MonitorRunReport | null; error: string | null }> {
  try {
    const report = await opts.runOnce();
    return { report, error: null };
  } catch (e) {
    return { report: null, error: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * Runs the scenario on its schedule until `runs` runs were made or `signal` aborts.
 * @returns every run's result. Never rejects: a failing run or notifier is reported in its result.
 */
export async function runSchedule(opts: MonitorOptions): Promise<MonitorSummary> {
  const results: MonitorRunResult[] = [];
  const label = opts.label ?? `${opts.scenario} ${opts.profile} (${opts.transport})`;
  let previousOk = true;
  for (let index = 1; opts.runs === undefined || index <= opts.runs; index++) {
    if (opts.signal?.aborted) break;
    const startedWallMs = Date.now();
    const started = performance.now();
    const { report, error } = await runOnce(opts);
    const call = report?.calls[0];
    const failedChecks = (report?.calls ?? []).flatMap((c) => c.checks.filter((k) => !k.ok));
    const ok = report?.ok ?? false;
    const r: MonitorRunResult = { index, startedWallMs, ok, report, error, failedChecks, latency: call?.latency ?? {}, notified: false, notifyError: null };
    const notification = !ok
      ? {
          title: `CXone SIP Lab: ${label} FAILED`,
          body: [
            error ? `the run could not run: ${error}` : failedChecks.slice(0, 4).map((k) => `✗ ${k.name}: ${k.detail}`).join('\n'),
            report ? `run ${report.runId}` : '',
            opts.faults?.length ? `(faults injected in the emulator)` : '',
          ].filter(Boolean).join('\n'),
          urgency: 'critical' as const,
        }
      : !previousOk
        ? { title: `CXone SIP Lab: ${label} recovered`, body: `run ${report?.runId ?? ''} passed again; checking every ${formatInterval(opts.everyMs)}`, urgency: 'normal' as const }
        : null;
    if (notification && opts.notifier) {
      try {
        await opts.notifier.notify(notification);
        r.notified = true;
      } catch (e) {
        r.notifyError = e instanceof Error ? e.message : String(e);
        opts.log?.('warn', `monitor: notification not shown: ${r.notifyError}`);
      }
    }
    previousOk = ok;
    results.push(r);
    try {
      opts.onRun?.(r);
    } catch (e) {
      opts.log?.('warn', `monitor: onRun threw: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (opts.runs !== undefined && index >= opts.runs) break;
    await pause(opts.everyMs - (performance.now() - started), opts.signal);
  }
  return { runs: results, passed: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length };
}

