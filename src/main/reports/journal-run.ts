/**
 * A command's reports written as its run goes (issue 12 §3): the `--json` file replaced atomically
 * as calls end, the `--journal` JSON-lines file appended per call, the interruption (SIGINT,
 * SIGTERM) recorded, and an `exit` hook that leaves a complete file even when the process dies of
 * an uncaught error. Used by `lab answer` and `lab load`.
 */
import { AtomicJsonReport, JsonLinesJournal, type RunStatus } from './journal';

/** How a run was stopped by a signal: which, and how many calls were still open then. */
export interface RunInterruption {
  signal: NodeJS.Signals;
  /** Calls started but not ended when the signal came (they were then hung up: BYE, CANCEL or 486). */
  openCalls: number;
  /** Unix ms of the signal. */
  atWallMs: number;
}

/** Options of {@link LiveRunReport}. */
export interface LiveRunReportOptions {
  /** `--json` path; `-` (standard output) or absent: nothing is written while the run goes. */
  json?: string;
  /** `--journal` path (JSON lines). */
  journal?: string;
  /** The report's fields known at the start (kind, profile, transport, db…); no secret. */
  base: Record<string, unknown>;
  /** Least time between two rewrites of the JSON file (ms); default 200. */
  minIntervalMs?: number;
  /** false: calls go to the journal only and the JSON is a summary kept by `update` (a load run). Default true. */
  jsonCalls?: boolean;
}

/**
 * The live reports of one run. Create it before the first call; `call()` each call as it ends;
 * `finish()` once with the final report.
 */
export class LiveRunReport {
  private readonly json: AtomicJsonReport | null;
  private readonly journal: JsonLinesJournal | null;
  private interruption: RunInterruption | null = null;
  private finished = false;
  private count = 0;
  private readonly onExit = (code: number): void => this.crashed(code);

  /** @throws the open/write error of either file (a set-up error of the command). */
  constructor(private readonly opts: LiveRunReportOptions) {
    const base = { ok: false, status: 'running' satisfies RunStatus, ...opts.base };
    this.json = opts.json && opts.json !== '-' ? new AtomicJsonReport(opts.json, base, { minIntervalMs: opts.minIntervalMs, withCalls: opts.jsonCalls }) : null;
    this.journal = opts.journal ? new JsonLinesJournal(opts.journal, opts.base) : null;
    process.on('exit', this.onExit);
  }

  /** Records one ended call in both files. Never throws. */
  call(report: unknown): void {
    this.count += 1;
    this.journal?.call(report);
    this.json?.addCall(report);
  }

  /** Calls recorded so far. */
  get callsSoFar(): number {
    return this.count;
  }

  /** Replaces fields of the JSON's base while running (e.g. live counters of a load run). */
  update(fields: Record<string, unknown>): void {
    this.json?.update(fields);
  }

  /** Notes that a signal stopped the run (the first one counts); written now and in the final report. */
  interrupted(signal: NodeJS.Signals, openCalls: number): void {
    if (this.interruption) return;
    this.interruption = { signal, openCalls, atWallMs: Date.now() };
    this.json?.update({ status: 'interrupted', interrupted: this.interruption });
    this.json?.flush();
  }

  /** The interruption, if a signal came. */
  get interruptedBy(): RunInterruption | null {
    return this.interruption;
  }

  /**
   * Writes the final report: the JSON file replaced by `report` (with `interrupted` added when a
   * signal stopped the run) and the journal's summary line.
   * @returns the report as written. @throws the JSON file's write error.
   */
  finish<R extends { ok: boolean }>(report: R, summary: Record<string, unknown> = {}): R & { interrupted?: RunInterruption } {
    this.finished = true;
    process.off('exit', this.onExit);
    const out = this.interruption ? { ...report, interrupted: this.interruption } : report;
    this.journal?.finish(this.interruption ? 'interrupted' : 'complete', { ok: report.ok, ...summary, ...(this.interruption ? { interrupted: this.interruption } : {}) });
    this.json?.finish(out as Record<string, unknown>);
    return out;
  }

  /** The process exits without finish() (an uncaught error, process.exit): leave complete files. */
  private crashed(code: number): void {
    if (this.finished) return;
    this.finished = true;
    const status: RunStatus = this.interruption ? 'interrupted' : 'crashed';
    this.json?.update({ status, exitCode: code });
    this.json?.flush();
    this.journal?.finish(status, { ok: false, exitCode: code });
  }
}
