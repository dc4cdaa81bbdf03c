import type { ScenarioTrendView } from '../../../shared/contract';
import type { LatencyMarkName } from '../../../shared/types';
import { fmtDateTime, fmtMs } from '../format';

/** Marks shown on a trend card, in order. */
const TREND_MARKS: LatencyMarkName[] = ['invite_to_200', 'signal_http_ms', 'signal_to_bye_ms'];
const W = 240;
const H = 40;

/** A small line of one mark over the runs (oldest left); gaps where a run has no value. */
function Sparkline({ values }: { values: Array<number | null> }) {
  const nums = values.filter((v): v is number => v !== null);
  if (nums.length < 2) return null;
  const max = Math.max(...nums) || 1;
  const step = W / Math.max(values.length - 1, 1);
  const pts = values.map((v, i) => (v === null ? null : `${(i * step).toFixed(1)},${(H - 2 - (v / max) * (H - 4)).toFixed(1)}`)).filter(Boolean);
  return (
    <svg className="sparkline" width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label="latency trend">
      <polyline points={pts.join(' ')} fill="none" stroke="currentColor" strokeWidth="1.5" />
    </svg>
  );
}

/** The verdict history (one square per run, oldest first) and latency trend of one scenario. */
export function TrendCard({ trend }: { trend: ScenarioTrendView }) {
  const last = trend.points.slice(-40);
  return (
    <figure className="trend-card" data-testid="trend-card" data-profile={trend.profile} data-transport={trend.transport}>
      <figcaption>
        <strong>
          {trend.kind} · {trend.profile} · {trend.transport.toUpperCase()}
        </strong>{' '}
        <span className="muted" data-testid="trend-counts">
          {trend.passed} passed · {trend.failed} failed
        </span>
      </figcaption>
      <div className="verdict-strip" aria-label="verdict history, oldest first">
        {last.map((p) => (
          <span
            key={p.runId}
            className={p.ok === null ? 'vsq vsq-none' : p.ok ? 'vsq vsq-ok' : 'vsq vsq-fail'}
            title={`${fmtDateTime(p.startedWallMs)} ${p.ok ? 'passed' : 'FAILED'}${p.faults.length ? ` (faults ${p.faults.join(', ')})` : ''}${p.failedChecks.length ? `: ${p.failedChecks.join(', ')}` : ''}`}
          />
        ))}
      </div>
      <table className="trend-marks">
        <thead>
          <tr>
            <th>mark</th>
            <th>median</th>
            <th>p95</th>
            <th>last</th>
          </tr>
        </thead>
        <tbody>
          {TREND_MARKS.map((m) => {
            const s = trend.marks[m];
            return (
              <tr key={m}>
                <td>{m}</td>
                <td className="num">{fmtMs(s?.median)}</td>
                <td className="num">{fmtMs(s?.p95)}</td>
                <td className="num">{fmtMs(s?.last)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <Sparkline values={last.map((p) => p.latency.invite_to_200 ?? null)} />
    </figure>
  );
}
