import { useCallback, useEffect, useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { LatencyStats } from '../../../shared/contract';
import { LATENCY_MARK_NAMES, type LatencyMarkName } from '../../../shared/types';
import { useChartColors, type ChartColors } from '../chart-colors';
import { fmtDateTime, fmtMs } from '../format';
import { ProfileOptions } from '../components/profile-options';
import { labApi, useLab } from '../store';

const SAMPLE_SIZES = [200, 2000, 10_000] as const;

function axisProps(c: ChartColors) {
  return { stroke: c.axis, tick: { fill: c.axis, fontSize: 11 }, tickLine: false } as const;
}

/** Y ticks in ms without a unit (the caption says ms), compact: 1200 → 1.2k. */
const msTick = (v: number): string => (v >= 1000 ? `${(v / 1000).toFixed(v % 1000 ? 1 : 0)}k` : String(Math.round(v * 10) / 10));

/** The p50/p95 colour key, drawn with CSS classes (no inline style). */
function Key() {
  return (
    <span className="chart-key">
      <span className="swatch swatch-p50" /> p50 <span className="swatch swatch-p95" /> p95 <span className="muted">(ms)</span>
    </span>
  );
}

function tooltipProps(c: ChartColors) {
  return {
    contentStyle: { background: c.panel, border: `1px solid ${c.grid}`, fontSize: 12 },
    labelStyle: { color: c.text },
    formatter: (v: unknown) => (typeof v === 'number' ? fmtMs(v) : String(v)),
  };
}

/** p50 and p95 of one mark for each profile, as grouped bars. */
function MarkByProfile({ mark, stats, colors }: { mark: LatencyMarkName; stats: LatencyStats; colors: ChartColors }) {
  const data = Object.entries(stats.byProfile)
    .filter(([, m]) => m[mark])
    .map(([profile, m]) => ({ profile, p50: m[mark]!.p50, p95: m[mark]!.p95, count: m[mark]!.count }));
  if (data.length === 0) return null;
  return (
    <figure className="chart-card" data-testid="chart-by-profile" data-mark={mark}>
      <figcaption>
        <code>{mark}</code> <span className="muted">{data.reduce((n, d) => n + d.count, 0)} calls</span>
      </figcaption>
      <ResponsiveContainer width="100%" height={170}>
        <BarChart data={data} margin={{ top: 6, right: 6, bottom: 0, left: 0 }}>
          <CartesianGrid stroke={colors.grid} vertical={false} />
          <XAxis dataKey="profile" {...axisProps(colors)} />
          <YAxis width={40} tickFormatter={msTick} {...axisProps(colors)} />
          <Tooltip {...tooltipProps(colors)} cursor={{ fill: colors.grid, opacity: 0.3 }} />
          <Bar dataKey="p50" name="p50" fill={colors.p50} isAnimationActive={false} />
          <Bar dataKey="p95" name="p95" fill={colors.p95} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

/**
 * Latency (issue 5 item 4): every latency mark across calls and runs, p50 and p95, by profile —
 * Recharts SVG charts over `latency/stats`.
 */
export function LatencyScreen() {
  const profiles = useLab((s) => s.profiles);
  const colors = useChartColors();
  const [profile, setProfile] = useState('');
  const [limit, setLimit] = useState<number>(2000);
  const [mark, setMark] = useState<LatencyMarkName>('invite_to_200');
  const [stats, setStats] = useState<LatencyStats | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    const api = labApi();
    if (!api) return;
    const r = await api['latency/stats']({ limit, ...(profile ? { profile } : {}) });
    if (r.ok) {
      setStats(r.value);
      setError(null);
    } else setError(r.error);
  }, [limit, profile]);
  useEffect(() => {
    void load();
  }, [load]);

  const series = useMemo(
    () => (stats?.series ?? []).filter((s) => s.latency[mark] !== undefined).map((s, i) => ({ n: i + 1, value: s.latency[mark]!, profile: s.profile, when: fmtDateTime(s.startedWallMs) })),
    [stats, mark],
  );
  const runs = useMemo(
    () => (stats?.byRun ?? []).filter((r) => r.marks[mark]).map((r) => ({ run: r.run.startsWith('day:') ? r.run.slice(4) : r.run.slice(0, 8), p50: r.marks[mark]!.p50, p95: r.marks[mark]!.p95, count: r.marks[mark]!.count, profile: r.profile })),
    [stats, mark],
  );
  const overall = stats?.overall[mark];

  return (
    <div className="screen-scroll latency-screen" data-testid="latency-screen">
      <section className="panel toolbar" aria-label="Latency filters">
        <label>
          <span>Profile</span>
          <select data-testid="latency-profile" value={profile} onChange={(e) => setProfile(e.target.value)}>
            <option value="">all profiles</option>
            <ProfileOptions profiles={profiles} />
          </select>
        </label>
        <label>
          <span>Calls</span>
          <select value={limit} onChange={(e) => setLimit(Number(e.target.value))}>
            {SAMPLE_SIZES.map((n) => (
              <option key={n} value={n}>
                newest {n.toLocaleString()}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void load()} data-testid="latency-refresh">
          Refresh
        </button>
        <span className="muted">{stats ? `${stats.calls.toLocaleString()} calls with marks` : 'loading…'}</span>
        {error && <div className="inline-error">latency/stats: {error}</div>}
      </section>

      <section className="panel">
        <h2>
          p50 and p95 by profile <span className="muted">nearest-rank percentiles of each mark</span> <Key />
        </h2>
        {stats && stats.calls === 0 ? (
          <p className="empty">No call with latency marks yet.</p>
        ) : (
          <div className="chart-grid">{stats && LATENCY_MARK_NAMES.map((m) => <MarkByProfile key={m} mark={m} stats={stats} colors={colors} />)}</div>
        )}
      </section>

      <section className="panel">
        <h2>
          One mark across calls and runs
          <span className="spacer" />
          <select data-testid="latency-mark" value={mark} onChange={(e) => setMark(e.target.value as LatencyMarkName)} aria-label="Mark">
            {LATENCY_MARK_NAMES.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </h2>
        <div className="chart-pair">
          <figure className="chart-card" data-testid="chart-across-calls">
            <figcaption>
              Across calls <span className="muted">oldest → newest, ms · p50 {fmtMs(overall?.p50)} · p95 {fmtMs(overall?.p95)}</span>
            </figcaption>
            <ResponsiveContainer width="100%" height={220}>
              <LineChart data={series} margin={{ top: 8, right: 30, bottom: 0, left: 0 }}>
                <CartesianGrid stroke={colors.grid} vertical={false} />
                <XAxis dataKey="n" {...axisProps(colors)} />
                <YAxis width={40} tickFormatter={msTick} {...axisProps(colors)} />
                <Tooltip {...tooltipProps(colors)} labelFormatter={(_l, p) => String((p?.[0]?.payload as { when?: string } | undefined)?.when ?? '')} />
                {overall?.p50 != null && <ReferenceLine y={overall.p50} stroke={colors.p50} strokeDasharray="4 3" label={{ value: 'p50', fill: colors.p50, fontSize: 11, position: 'right' }} />}
                {overall?.p95 != null && <ReferenceLine y={overall.p95} stroke={colors.p95} strokeDasharray="4 3" label={{ value: 'p95', fill: colors.p95, fontSize: 11, position: 'right' }} />}
                <Line type="linear" dataKey="value" name={mark} stroke={colors.series[0]} dot={series.length < 60} isAnimationActive={false} />
              </LineChart>
            </ResponsiveContainer>
          </figure>
          <figure className="chart-card" data-testid="chart-across-runs">
            <figcaption>
              Across runs <span className="muted">p50 and p95 per run, ms (calls outside a run: per day)</span>
            </figcaption>
            <ResponsiveContainer width="100%" height={220}>
              <LineChart data={runs} margin={{ top: 8, right: 30, bottom: 0, left: 0 }}>
                <CartesianGrid stroke={colors.grid} vertical={false} />
                <XAxis dataKey="run" {...axisProps(colors)} />
                <YAxis width={40} tickFormatter={msTick} {...axisProps(colors)} />
                <Tooltip {...tooltipProps(colors)} />
                <Legend wrapperStyle={{ fontSize: 12, color: colors.axis }} />
                <Line type="linear" dataKey="p50" stroke={colors.p50} isAnimationActive={false} />
                <Line type="linear" dataKey="p95" stroke={colors.p95} isAnimationActive={false} />
              </LineChart>
            </ResponsiveContainer>
          </figure>
        </div>
      </section>
    </div>
  );
}
