import { useState } from 'react';
import type { TestHistoryPoint } from '../../../shared/tests-contract';
import { VerdictMark } from '../components/verdict-mark';
import { fmtDateTime } from '../format';
import { openTestReport } from './open-report';
import { useTests } from './tests-model';

/** Marks the trend can draw, in the order offered. */
const TREND_MARKS = ['duration', 'invite_to_200', 'signal_http_ms', 'signal_to_bye_ms', 'time_to_greeting'] as const;
type TrendMark = (typeof TREND_MARKS)[number];

function valueOf(p: TestHistoryPoint, mark: TrendMark): number | null {
  const v = mark === 'duration' ? p.durationMs : p.latency[mark];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

const W = 520;
const H = 90;
const PAD = 6;

/** The trend of one mark over the runs (oldest left), failed runs as red dots; an SVG (no inline style: the CSP). */
function Sparkline({ points, mark }: { points: TestHistoryPoint[]; mark: TrendMark }) {
  const vals = points.map((p) => valueOf(p, mark));
  const known = vals.filter((v): v is number => v !== null);
  if (known.length === 0) return <p className="hint muted">No {mark} measured in these runs.</p>;
  const max = Math.max(...known);
  const min = Math.min(...known);
  const x = (i: number): number => PAD + (points.length === 1 ? (W - 2 * PAD) / 2 : (i * (W - 2 * PAD)) / (points.length - 1));
  const y = (v: number): number => H - PAD - (max === min ? (H - 2 * PAD) / 2 : ((v - min) * (H - 2 * PAD)) / (max - min));
  const path = vals
    .map((v, i) => (v === null ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`))
    .filter(Boolean)
    .join(' ');
  return (
    <figure className="tests-trend">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${mark} over the last ${points.length} runs`} data-testid="tests-trend">
        <polyline points={path} fill="none" className="tests-trend-line" />
        {vals.map((v, i) =>
          v === null ? null : (
            <circle key={i} cx={x(i)} cy={y(v)} r={3.5} className={points[i]!.ok ? 'tests-trend-ok' : 'tests-trend-fail'}>
              <title>
                {fmtDateTime(points[i]!.startedWallMs)}: {Math.round(v)} ms {points[i]!.ok ? 'passed' : 'FAILED'}
              </title>
            </circle>
          ),
        )}
      </svg>
      <figcaption className="muted num">
        {mark} · min {Math.round(min)} ms · max {Math.round(max)} ms · last {Math.round(known[known.length - 1]!)} ms
      </figcaption>
    </figure>
  );
}

/** The selected case's history: pass rate, the latency trend, the last runs with their reports. */
export function CaseHistory() {
  const history = useTests((s) => s.history);
  const error = useTests((s) => s.historyError);
  const [mark, setMark] = useState<TrendMark>('invite_to_200');
  const [reportError, setReportError] = useState<string | null>(null);
  return (
    <section className="panel tests-history" aria-labelledby="tests-history-title">
      <div className="tests-editor-head">
        <h2 id="tests-history-title">History</h2>
        {history && history.passRate !== null && (
          <span className={history.passed === history.runs ? 'pill pill-ok' : 'pill pill-fail'} data-testid="tests-pass-rate">
            {Math.round(history.passRate * 100)}% passed ({history.passed}/{history.runs})
          </span>
        )}
        <span className="spacer" />
        {history && history.runs > 0 && (
          <select aria-label="Trend of" value={mark} onChange={(e) => setMark(e.target.value as TrendMark)}>
            {TREND_MARKS.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        )}
      </div>
      {error && <div className="inline-error">tests/history: {error}</div>}
      {reportError && <div className="inline-error">{reportError}</div>}
      {!history ? (
        <p className="empty">Open a case to see its runs.</p>
      ) : history.runs === 0 ? (
        <p className="empty">“{history.name}” has not run yet (runs of lab test, lab monitor and this screen are kept in history).</p>
      ) : (
        <>
          <Sparkline points={history.points} mark={mark} />
          <ul className="tests-history-runs">
            {[...history.points].reverse().slice(0, 12).map((p) => (
              <li key={p.runId} className="setting-line">
                <VerdictMark ok={p.ok} />
                <span className="num">{fmtDateTime(p.startedWallMs)}</span>
                <span className="muted tests-history-detail">{p.detail}</span>
                <span className="spacer" />
                <button type="button" className="link-button" onClick={() => void openTestReport(p.runId).then(setReportError)}>
                  report
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
