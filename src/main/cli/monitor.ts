/**
 * `lab monitor --every 5m --scenario handoff --profile kore [--transport tcp|udp] [--fault SPEC]…
 * [--runs N] [--db FILE] [--no-notify]`: the embedded handoff on a schedule, each run stored, its
 * verdict and the scenario's latency trend printed, a desktop notification when a run fails.
 */
import { parseFault, FAULT_SPECS } from '../emulator/faults';
import type { HistoryStore } from '../history/store';
import { parseInterval } from '../monitor/interval';
import type { MonitorRunResult } from '../monitor/monitor';
import type { MonitorReport, MonitorRunOptions } from '../runs/monitor';
import { runHeadless } from '../runtime/headless';
import { DesktopNotifier } from '../monitor/notifier';
import { formatTrend, scenarioTrends } from '../monitor/trend';
import { defaultDbFile } from '../paths';
import { asUsage, CliUsageError, parseCommandArgs } from './args';

/** Usage lines of the command, for the CLI's help. */
export const MONITOR_USAGE = `  monitor --every <30s|5m|1h> --scenario handoff --profile <name> [--transport tcp|udp]
          [--fault SPEC]... [--runs N] [--db FILE] [--no-notify]
      Runs the scenario on a schedule (until Ctrl-C, or N runs), keeps each run in history, prints
      its verdict and the scenario's verdict history and latency trend, and shows a desktop
      notification (notify-send) when a run fails. --fault injects a fault in the emulated CXone
      (${FAULT_SPECS.join(', ')}). Exit status 0 when every run passed, 1 when one failed.`;

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
  const { values } = parseCommandArgs(args, {
    every: { type: 'string' },
    scenario: { type: 'string', default: 'handoff' },
    profile: { type: 'string' },
    transport: { type: 'string', default: 'tcp' },
    fault: { type: 'string', multiple: true },
    runs: { type: 'string' },
    db: { type: 'string' },
    'no-notify': { type: 'boolean' },
    'drop-wait': { type: 'string' },
  });
  if (!values.every) throw new CliUsageError('--every is required, e.g. --every 5m');
  const everyMs = asUsage(() => parseInterval(values.every!));
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
