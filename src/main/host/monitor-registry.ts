/**
 * The dashboard's monitors (issue 6, monitoring): monitor runs on the process's runtime (issue 11),
 * started and stopped from the Monitor screen; each handoff they schedule is kept in the runtime's
 * one history connection and reaches the dashboard live, every change of a monitor goes out as a
 * `monitor/updated` event on the runtime's stream, and a failing run told to the notifier the Lab was given (Electron's
 * `Notification`; none in the browser host, where the renderer shows an in-app alert instead).
 */
import { randomUUID } from 'node:crypto';
import type { MonitorStartRequest, MonitorView } from '../../shared/contract';
import { resolve } from 'node:path';
import { LabError } from '../../shared/errors';
import { parseFault } from '../emulator/faults';
import { CaseFileError } from '../testcases/load';
import { collectCases } from '../testcases/suite';
import type { MonitorRunResult } from '../monitor/monitor';
import type { Notifier } from '../monitor/notifier';
import type { MonitorReport, MonitorRunOptions } from '../runs/monitor';
import type { LabRuntime, RunHandle } from '../runtime/lab-runtime';
import type { RecorderLog } from '../scenarios/call-recorder';

/** Runs kept per monitor view (the oldest are dropped; history keeps them all). */
export const MONITOR_VIEW_RUNS = 20;

/** Dependencies of a {@link MonitorRegistry}. */
export interface MonitorRegistryOptions {
  /** The runtime the monitor runs on: its history, its event stream (each change goes out as `monitor/updated`). */
  runtime: LabRuntime;
  notifier: Notifier | null;
  log?: RecorderLog;
  /** Extra options of each handoff run (tests shorten the drop wait). Test monitors run the cases as written. */
  handoff?: MonitorRunOptions['handoff'];
}

/** One run as the dashboard shows it. */
export function runView(r: MonitorRunResult): MonitorView['runs'][number] {
  return {
    index: r.index,
    startedWallMs: r.startedWallMs,
    ok: r.ok,
    runId: r.report?.runId ?? null,
    problems: r.error ? [`the run could not run: ${r.error}`] : r.failedChecks.map((k) => `${k.name}: ${k.detail}`),
    inviteTo200Ms: r.latency.invite_to_200 ?? null,
  };
}

/** The monitors started from the dashboard, by id. */
export class MonitorRegistry {
  private readonly monitors = new Map<string, { view: MonitorView; handle: RunHandle<MonitorReport> }>();

  constructor(private readonly opts: MonitorRegistryOptions) {}

  /**
   * Starts a monitor (the handoff, or test cases: issue 13 item 7); its first run starts at once.
   * @throws Error for an unknown (built-in) profile or an invalid fault spec, naming the valid ones;
   *   LabError `usage` (file:line: what is wrong) for a bad case file of a test monitor.
   */
  start(req: MonitorStartRequest): MonitorView {
    const test = req.scenario === 'test';
    if (test && !req.paths?.length) throw new LabError('usage', 'a test monitor needs case files or folders', 'give the folder of the Tests screen, e.g. examples/tests');
    if (test) {
      try {
        collectCases(req.paths!); // a bad case file: file:line now, not one failed run per tick
      } catch (e) {
        if (e instanceof CaseFileError) throw new LabError('usage', e.message, 'fix the case file on the Tests screen');
        throw e;
      }
    }
    else this.opts.runtime.profile(req.profile);
    const faults = test ? [] : req.faults.map(parseFault);
    const view: MonitorView = {
      id: randomUUID(),
      scenario: req.scenario,
      ...(test ? { paths: req.paths!.map((p) => resolve(p)) } : {}),
      profile: req.profile,
      transport: req.transport,
      everyMs: req.everyMs,
      faults: req.faults.map((f) => f.trim().toLowerCase()),
      state: 'running',
      startedWallMs: Date.now(),
      passed: 0,
      failed: 0,
      runs: [],
    };
    const handle = this.opts.runtime.start<MonitorReport>('monitor', {
      scenario: req.scenario,
      ...(test ? { paths: view.paths } : { profile: req.profile, transport: req.transport, faults, handoff: this.opts.handoff }),
      everyMs: req.everyMs,
      notifier: this.opts.notifier,
      onRun: (r: MonitorRunResult) => {
        if (r.ok) view.passed++;
        else view.failed++;
        view.runs = [...view.runs, runView(r)].slice(-MONITOR_VIEW_RUNS);
        this.changed(view);
      },
    });
    this.monitors.set(view.id, { view, handle });
    void handle.done.then(
      () => {
        view.state = 'stopped';
        this.changed(view);
      },
      () => {
        view.state = 'stopped';
        this.changed(view);
      },
    );
    this.changed(view);
    return { ...view };
  }

  /**
   * Stops a monitor after its run in progress.
   * @returns its final view. @throws Error when there is no monitor with that id.
   */
  async stop(id: string): Promise<MonitorView> {
    const m = this.monitors.get(id);
    if (!m) throw new Error(`no monitor ${id}`);
    if (m.view.state === 'running') {
      m.view.state = 'stopping';
      this.changed(m.view);
    }
    await m.handle.stop();
    m.view.state = 'stopped';
    return { ...m.view };
  }

  /** Every monitor, newest first. */
  list(): MonitorView[] {
    return [...this.monitors.values()].map((m) => ({ ...m.view })).sort((a, b) => b.startedWallMs - a.startedWallMs);
  }

  /** Stops every monitor (the Lab is stopping). */
  async stopAll(): Promise<void> {
    await Promise.allSettled([...this.monitors.values()].map((m) => m.handle.stop()));
  }

  private changed(view: MonitorView): void {
    this.opts.runtime.events.emit('monitor/updated', { ...view });
  }
}
