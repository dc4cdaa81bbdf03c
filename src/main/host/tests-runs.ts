/**
 * The dashboard's test runs (issue 13 item 6): `tests/run` starts a `test` run on the process's
 * runtime (runs/test-case.ts) with a step listener, keeps a {@link TestRunView} per run and sends
 * the whole view as `test/progress` after each change (a case began, a step began or ended, a case
 * or the run ended), so the Tests screen ticks the steps live. The last runs' results (with their
 * ladders and audio) stay in memory for `tests/report`; history keeps every run.
 */
import { randomUUID } from 'node:crypto';
import type { TestCaseRunView, TestRunView, TestStepView } from '../../shared/tests-contract';
import { toLabError } from '../../shared/errors';
import type { TestRunReport } from '../runs/test-case';
import type { LabRuntime } from '../runtime/lab-runtime';
import type { StepResult } from '../testcases/types';

/** Runs whose results (with audio) are kept for their HTML report; older ones drop out. */
export const KEPT_TEST_RUNS = 10;

/** What a run needs to start. */
export interface TestRunRequest {
  paths: string[];
  inline?: { text: string; file?: string };
  vars: Record<string, string>;
}

/** A step result as the screen shows it. */
export function stepView(s: StepResult): TestStepView {
  return { index: s.index, kind: s.kind, label: s.label, status: s.status, at_ms: s.at_ms, duration_ms: s.duration_ms, detail: s.detail };
}

/** The dashboard's test runs over one runtime; `announce` sends `test/progress`. */
export class DashboardTestRuns {
  private readonly views = new Map<string, { view: TestRunView; report: TestRunReport | null }>();

  constructor(
    private readonly runtime: LabRuntime,
    private readonly announce: (view: TestRunView) => void,
  ) {}

  /**
   * Starts a run; resolves at once with its first view (state `running`). A bad case file ends
   * the run in state `error` with the file, line and what is wrong (announced like any change).
   */
  start(req: TestRunRequest): TestRunView {
    const view: TestRunView = { key: randomUUID(), runId: null, state: 'running', startedWallMs: Date.now(), cases: [], notRun: [], error: null };
    const entry = { view, report: null as TestRunReport | null };
    this.views.set(view.key, entry);
    while (this.views.size > KEPT_TEST_RUNS) this.views.delete(this.views.keys().next().value!);
    let current: TestCaseRunView | null = null;
    const changed = (): void => this.announce(structuredClone(view));
    const stopRunRun = this.runtime.events.on('run/started', (e) => {
      if (e.kind === 'test' && view.runId === null) view.runId = e.runId;
    });
    const listener = {
      onCaseBegin: (name: string) => {
        current = { name, file: '', state: 'running', steps: [], durationMs: null, problems: [], latency: {} };
        view.cases.push(current);
        changed();
      },
      onStepBegin: (st: StepResult) => {
        if (!current) return;
        current.steps[st.index] = stepView(st);
        changed();
      },
      onStepEnd: (st: StepResult) => {
        if (!current) return;
        current.steps[st.index] = stepView(st);
        changed();
      },
    };
    const handle = this.runtime.start<TestRunReport>('test', {
      paths: req.paths,
      inline: req.inline ? [req.inline] : [],
      vars: req.vars,
      keepMedia: true,
      listener,
    });
    void handle.done.then(
      (report) => {
        stopRunRun();
        entry.report = report;
        view.runId = report.runId;
        // The final results are the truth: retries and parallel cases make the live list approximate.
        view.cases = report.cases.map((c) => ({
          name: c.name,
          file: c.file,
          state: c.ok ? 'passed' : 'failed',
          steps: c.steps.map(stepView),
          durationMs: c.duration_ms,
          problems: [...(c.error ? [c.error] : []), ...c.expectations.filter((k) => !k.ok).map((k) => `${k.name}: ${k.detail}`)],
          latency: { ...(c.latency as Record<string, number>) },
        }));
        view.notRun = report.not_run;
        view.state = report.ok ? 'passed' : 'failed';
        changed();
      },
      (e: unknown) => {
        stopRunRun();
        const info = toLabError(e);
        view.state = 'error';
        view.error = info.hint ? `${info.message} (${info.hint})` : info.message;
        changed();
      },
    );
    return structuredClone(view);
  }

  /** A kept run's full report (with its ladders and audio), by key or history run id; null when not kept. */
  report(run: string): TestRunReport | null {
    for (const { view, report } of this.views.values()) if (report && (view.key === run || view.runId === run)) return report;
    return null;
  }

  /** Runs in progress and kept, newest last. */
  list(): TestRunView[] {
    return [...this.views.values()].map((e) => structuredClone(e.view));
  }
}
