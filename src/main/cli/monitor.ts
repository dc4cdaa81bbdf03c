/**
 * `lab monitor --every 5m --scenario handoff --profile kore [--transport tcp|udp] [--fault SPEC]…
 * [--runs N] [--db FILE] [--no-notify]`: the embedded handoff on a schedule, each run stored, its
 * verdict and the scenario's latency trend printed, a desktop notification when a run fails.
 * `lab monitor --every 5m <case|dir>... [--var k=v]... [--metrics-listen host:port]` (issue 13
 * item 7): test cases and suites on the schedule, with Prometheus figures on /metrics.
 */
import { parseFault, FAULT_SPECS } from '../emulator/faults';
import type { HistoryStore } from '../history/store';
import { parseInterval } from '../monitor/interval';
import type { MonitorRunResult } from '../monitor/monitor';
import type { MonitorReport, MonitorRunOptions } from '../runs/monitor';
import { runHeadless } from '../runtime/headless';
import { DesktopNotifier } from '../monitor/notifier';
import { MonitorMetrics, parseMetricsListen, serveMetrics, type MetricsServer } from '../monitor/metrics';
import { CaseFileError } from '../testcases/load';
import { collectCases } from '../testcases/suite';
import { formatTrend, scenarioTrends } from '../monitor/trend';
import { defaultDbFile } from '../paths';
import { asUsage, CliUsageError, parseCommandArgs } from './args';

/** Usage lines of the command, for the CLI's help. */
export const MONITOR_USAGE = `  monitor --every <30s|5m|1h> --scenario handoff --profile <name> [--transport tcp|udp]
          [--fault SPEC]... [--runs N] [--db FILE] [--no-notify]
      Runs the scenario on a schedule (until Ctrl-C, or N runs), keeps each run in history, prints
      its verdict and the scenario's verdict history and latency trend, and shows a desktop
      notification (notify-send) when a run fails. --fault injects a fault in the emulated CXone
      (${FAULT_SPECS.join(', ')}). Exit status 0 when every run passed, 1 when one failed.
  monitor --every <30s|5m|1h> <case.yaml|folder>... [--var k=v]... [--runs N] [--db FILE] [--no-notify]
          [--metrics-listen host:port]
      Runs test cases and suites (as lab test) on the schedule; a failing case is notified. With
      --metrics-listen (loopback: 127.0.0.1:9464; a bare port binds 127.0.0.1), serves Prometheus
      figures on http://host:port/metrics: cxlab_case_runs_total{case,result}, cxlab_case_up,
      cxlab_case_duration_seconds, cxlab_case_latency_seconds{case,mark}.`;

function runLine(r: MonitorRunResult): string {
  const l = r.latency;
  const marks = `invite_to_200=${l.invite_to_200 ?? '-'} signal_http_ms=${l.signal_http_ms ?? '-'} signal_to_bye_ms=${l.signal_to_bye_ms ?? '-'}`;
  const why = r.error ?? r.failedChecks.map((k) => `${k.name}: ${k.detail}`).join('; ');
  const note = r.notified ? ' (notified)' : r.notifyError ? ` (notification failed: ${r.notifyError})` : '';
  return `run ${r.index} ${new Date(r.startedWallMs).toISOString().slice(0, 19).replace('T', ' ')}  ${r.ok ? 'PASS' : 'FAIL'}  ${marks}${r.ok ? '' : `\n  ${why}`}${note}`;
}

/**
 * Runs `lab monitor`.
 * @returns 0 when every run passed, 1 when one failed.
 * @throws CliUsageError on a usage mistake.
 */
export async function monitorCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
    every: { type: 'string' },
    scenario: { type: 'string', default: 'handoff' },
    profile: { type: 'string' },
    transport: { type: 'string', default: 'tcp' },
    fault: { type: 'string', multiple: true },
    runs: { type: 'string' },
    db: { type: 'string' },
    'no-notify': { type: 'boolean' },
    'drop-wait': { type: 'string' },
    var: { type: 'string', multiple: true },
    'metrics-listen': { type: 'string' },
    },
    true,
  );
  if (!values.every) throw new CliUsageError('--every is required, e.g. --every 5m');
  const everyMs = asUsage(() => parseInterval(values.every!));
  const metricsAt = values['metrics-listen'] === undefined ? null : asUsage(() => parseMetricsListen(values['metrics-listen']!));
  if (positionals.length > 0) return monitorCases(positionals, values, everyMs, metricsAt);
  if (metricsAt) throw new CliUsageError('--metrics-listen goes with test cases: lab monitor --every 5m examples/tests --metrics-listen 127.0.0.1:9464');
  if (values.scenario !== 'handoff') throw new CliUsageError(`--scenario "${values.scenario}": the monitor runs "handoff" (the embedded default)`);
  if (!values.profile) throw new CliUsageError('--profile is required');
  const transport = values.transport;
  if (transport !== 'tcp' && transport !== 'udp') throw new CliUsageError(`--transport "${transport}": tcp or udp`);
  const faults = asUsage(() => (values.fault ?? []).map(parseFault));
  const runs = values.runs === undefined ? undefined : Number(values.runs);
  if (runs !== undefined && (!Number.isInteger(runs) || runs < 1)) throw new CliUsageError(`--runs "${values.runs}": a whole number ≥ 1`);
  const dropWaitMs = values['drop-wait'] === undefined ? undefined : Number(values['drop-wait']);
  const dbFile = values.db ?? defaultDbFile();
  const ac = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('interrupted: stopping after the run in progress\n');
    ac.abort();
  });
  console.log(`monitoring ${values.scenario} ${values.profile} (${transport}) every ${values.every}${runs ? `, ${runs} run(s)` : ''}; history ${dbFile}`);
  let store: HistoryStore | null = null;
  const options: MonitorRunOptions = {
    scenario: 'handoff',
    profile: values.profile,
    transport,
    everyMs,
    runs,
    faults,
    notifier: values['no-notify'] ? null : new DesktopNotifier(),
    handoff: dropWaitMs === undefined ? undefined : { dropWaitMs },
    onRun: (r) => {
      console.log(runLine(r));
      // The trend reads the runtime's own connection: one SQLite connection per process.
      if (store) for (const t of scenarioTrends(store, { kind: 'handoff', profile: values.profile!, transport })) console.log(formatTrend(t, 10));
    },
  };
  const summary = await runHeadless<MonitorReport>('monitor', options, {
    dbFile,
    signal: ac.signal,
    onRuntime: (rt) => (store = rt.store),
    log: (level, msg) => {
      if (level === 'warn' || level === 'error') process.stderr.write(`[${level}] ${msg}\n`);
    },
  });
  console.log(`${summary.runs.length} run(s): ${summary.passed} passed, ${summary.failed} failed`);
  return summary.failed === 0 ? 0 : 1;
}

/** Flags of `lab monitor` that the test-case form reads. */
interface CaseMonitorFlags {
  every?: string;
  runs?: string;
  db?: string;
  'no-notify'?: boolean;
  var?: string[];
}

function caseRunLine(r: MonitorRunResult): string {
  const at = new Date(r.startedWallMs).toISOString().slice(0, 19).replace('T', ' ');
  const cases = r.report?.calls ?? [];
  const passed = cases.filter((c) => c.ok).length;
  const head = `run ${r.index} ${at}  ${r.ok ? 'PASS' : 'FAIL'}  ${passed}/${cases.length} case(s) passed`;
  const why = r.error ? [`  ${r.error}`] : r.failedChecks.slice(0, 8).map((k) => `  ✗ ${k.name}: ${k.detail}`);
  const note = r.notified ? ' (notified)' : r.notifyError ? ` (notification failed: ${r.notifyError})` : '';
  return [head + note, ...(r.ok ? [] : why)].join('\n');
}

/**
 * `lab monitor --every 5m <case|dir>...`: the cases on the schedule (issue 13 item 7).
 * @returns 0 when every run passed, 1 when one failed.
 * @throws CliUsageError on a usage mistake or a bad case file (file:line: what is wrong).
 */
async function monitorCases(paths: string[], values: CaseMonitorFlags, everyMs: number, metricsAt: { host: string; port: number } | null): Promise<number> {
  const vars: Record<string, string> = {};
  for (const v of values.var ?? []) {
    const m = /^([A-Za-z_][\w.-]*)=(.*)$/s.exec(v);
    if (!m) throw new CliUsageError(`--var "${v}": expected name=value`);
    vars[m[1]!] = m[2]!;
  }
  const runs = values.runs === undefined ? undefined : Number(values.runs);
  if (runs !== undefined && (!Number.isInteger(runs) || runs < 1)) throw new CliUsageError(`--runs "${values.runs}": a whole number ≥ 1`);
  let count: number;
  try {
    count = collectCases(paths, vars).length; // a bad case file: exit 2 before the first run
  } catch (e) {
    if (e instanceof CaseFileError) throw new CliUsageError(e.message);
    throw e;
  }
  const dbFile = values.db ?? defaultDbFile();
  const metrics = new MonitorMetrics();
  let server: MetricsServer | null = null;
  if (metricsAt) {
    try {
      server = await serveMetrics(metrics, metricsAt.port, metricsAt.host);
    } catch (e) {
      throw new CliUsageError(`--metrics-listen ${metricsAt.host}:${metricsAt.port}: ${(e as Error).message}`);
    }
  }
  const ac = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('interrupted: stopping after the run in progress\n');
    ac.abort();
  });
  console.log(`monitoring ${count} case(s) of ${paths.join(', ')} every ${values.every}${runs ? `, ${runs} run(s)` : ''}; history ${dbFile}${server ? `; metrics ${server.url}` : ''}`);
  try {
    const options: MonitorRunOptions = {
      scenario: 'test',
      paths,
      vars,
      everyMs,
      runs,
      metrics,
      notifier: values['no-notify'] ? null : new DesktopNotifier(),
      onRun: (r) => console.log(caseRunLine(r)),
    };
    const summary = await runHeadless<MonitorReport>('monitor', options, {
      dbFile,
      signal: ac.signal,
      log: (level, msg) => {
        if (level === 'warn' || level === 'error') process.stderr.write(`[${level}] ${msg}\n`);
      },
    });
    console.log(`${summary.runs.length} run(s): ${summary.passed} passed, ${summary.failed} failed`);
    return summary.failed === 0 ? 0 : 1;
  } finally {
    await server?.close();
  }
}
