/**
 * The dashboard's monitors (issue 6, monitoring): scheduled handoff runs started and stopped from
 * the Monitor screen, each run kept in the Lab's history, every change pushed as a
 * `monitor/updated` event, and a failing run told to the notifier the Lab was given (Electron's
 * `Notification`; none in the browser host, where the renderer shows an in-app alert instead).
 */
import { randomUUID } from 'node:crypto';
import type { MonitorStartRequest, MonitorView } from '../../shared/contract';
import { parseFault } from '../emulator/faults';
import { startMonitor, type MonitorHandle, type MonitorRunResult } from '../monitor/monitor';
import type { Notifier } from '../monitor/notifier';
import { getProfile } from '../profiles';
import type { HandoffOptions } from '../scenarios/handoff';
import type { RecorderLog } from '../scenarios/call-recorder';

/** Runs kept per monitor view (the oldest are dropped; history keeps them all). */
export const MONITOR_VIEW_RUNS = 20;

/** Dependencies of a {@link MonitorRegistry}. */
export interface MonitorRegistryOptions {
  /** History file the runs are kept in; null: none (in-memory history). */
  dbFile: string | null;
  notifier: Notifier | null;
  /** Told every change of a monitor. */
  onChange: (view: MonitorView) => void;
  log?: RecorderLog;
  /** Extra options of each handoff run (tests shorten the drop wait). */
  handoff?: Partial<Omit<HandoffOptions, 'profile' | 'transport' | 'dbFile' | 'faults'>>;
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
  private readonly monitors = new Map<string, { view: MonitorView; handle: MonitorHandle }>();

  constructor(private readonly opts: MonitorRegistryOptions) {}

  /**
   * Starts a monitor; its first run starts at once.
   * @throws Error for an unknown (built-in) profile or an invalid fault spec, naming the valid ones.
   */
  start(req: MonitorStartRequest): MonitorView {
    getProfile(req.profile);
    const faults = req.faults.map(parseFault);
    const view: MonitorView = {
      id: randomUUID(),
      scenario: req.scenario,
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
    const handle = startMonitor({
      scenario: req.scenario,
      profile: req.profile,
      transport: req.transport,
      everyMs: req.everyMs,
      dbFile: this.opts.dbFile,
      faults,
      notifier: this.opts.notifier,
      handoff: this.opts.handoff,
      log: this.opts.log,
      onRun: (r) => {
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
    try {
      this.opts.onChange({ ...view });
    } catch (e) {
      this.opts.log?.('warn', `monitor: change listener failed: ${(e as Error).message}`);
    }
  }
}
