import { useState } from 'react';
import type { TestCaseRunView, TestStepView } from '../../../shared/tests-contract';
import { openTestReport } from './open-report';
import { useTests } from './tests-model';

/** A time from the INVITE: ms below a second, else seconds. */
export function fmtAt(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

const STEP_MARK: Record<TestStepView['status'], string> = { pending: '○', running: '◐', passed: '✓', failed: '✗', skipped: '–' };

/** One step as it ticks: its mark, label, time from the INVITE and what happened. */
function StepRow({ s }: { s: TestStepView }) {
  return (
    <li className={`tests-step tests-step-${s.status}`} data-testid="tests-step" data-status={s.status}>
      <span className="tests-step-mark" aria-label={s.status}>
        {STEP_MARK[s.status]}
      </span>
      <span className="tests-step-label">
        {s.index + 1}. <code>{s.label}</code>
      </span>
      <span className="tests-step-at num">{s.at_ms !== null ? `at ${fmtAt(s.at_ms)}` : s.status === 'running' ? 'running…' : ''}</span>
      {s.detail && <span className="tests-step-detail">{s.detail}</span>}
    </li>
  );
}

function CaseRun({ c }: { c: TestCaseRunView }) {
  return (
    <li className="tests-run-case" data-testid="tests-run-case" data-state={c.state}>
      <div className="setting-line">
        <span className={c.state === 'passed' ? 'pill pill-ok' : c.state === 'failed' ? 'pill pill-fail' : 'pill'}>{c.state === 'running' ? 'running' : c.state === 'passed' ? 'PASS' : 'FAIL'}</span>
        <strong>{c.name}</strong>
        {c.durationMs !== null && <span className="muted num">{(c.durationMs / 1000).toFixed(1)} s</span>}
      </div>
      <ol className="tests-steps">
        {c.steps.filter(Boolean).map((s) => (
          <StepRow key={s.index} s={s} />
        ))}
      </ol>
      {c.problems.length > 0 && (
        <ul className="tests-problems">
          {c.problems.map((p, i) => (
            <li key={i} className="fail-text">
              ✗ {p}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

/** The shown run: each case with its steps ticking live, the verdict, and Open report once done. */
export function RunView() {
  const runs = useTests((s) => s.runs);
  const shown = useTests((s) => s.shownRun);
  const runError = useTests((s) => s.runError);
  const [reportError, setReportError] = useState<string | null>(null);
  const run = shown ? runs[shown] : undefined;
  const keys = Object.keys(runs);
  return (
    <section className="panel tests-run" aria-labelledby="tests-run-title">
      <div className="tests-editor-head">
        <h2 id="tests-run-title">Run</h2>
        {run && (
          <span className={run.state === 'passed' ? 'pill pill-ok' : run.state === 'running' ? 'pill' : 'pill pill-fail'} data-testid="tests-run-state" data-state={run.state}>
            {run.state === 'running' ? 'running…' : run.state === 'passed' ? 'passed' : run.state === 'failed' ? 'FAILED' : 'could not run'}
          </span>
        )}
        {run && run.cases.length > 0 && (
          <span className="muted">
            {run.cases.filter((c) => c.state === 'passed').length}/{run.cases.length} case(s) passed{run.notRun.length ? `, ${run.notRun.length} not run` : ''}
          </span>
        )}
        <span className="spacer" />
        {keys.length > 1 && (
          <select aria-label="Shown run" value={shown ?? ''} onChange={(e) => useTests.setState({ shownRun: e.target.value })}>
            {keys.map((k) => (
              <option key={k} value={k}>
                {new Date(runs[k]!.startedWallMs).toLocaleTimeString()} · {runs[k]!.cases[0]?.name ?? 'run'}
                {runs[k]!.cases.length > 1 ? ` +${runs[k]!.cases.length - 1}` : ''}
              </option>
            ))}
          </select>
        )}
        {run && run.state !== 'running' && run.runId && (
          <button type="button" data-testid="tests-open-report" onClick={() => void openTestReport(run.key).then(setReportError)}>
            Save report (HTML)
          </button>
        )}
      </div>
      {runError && <div className="inline-error">tests/run: {runError}</div>}
      {reportError && <div className="inline-error">{reportError}</div>}
      {!run ? (
        <p className="empty">Run a case or a suite: its steps tick here as they pass or fail.</p>
      ) : run.error ? (
        <div className="inline-error" data-testid="tests-run-error">
          {run.error}
        </div>
      ) : (
        <ul className="tests-run-cases">
          {run.cases.map((c, i) => (
            <CaseRun key={`${i}-${c.name}`} c={c} />
          ))}
          {run.state === 'running' && run.cases.length === 0 && <li className="muted">starting…</li>}
        </ul>
      )}
    </section>
  );
}
