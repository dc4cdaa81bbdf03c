import { useEffect, useMemo, useState } from 'react';
import type { MonitorView, ScenarioTrendView } from '../../../shared/contract';
import { TrendCard } from '../components/trend-card';
import { VerdictMark } from '../components/verdict-mark';
import { fmtDateTime, fmtMs } from '../format';
import { monitorTitle, useMonitors } from '../monitor-model';
import { useTests } from '../tests/tests-model';
import { labApi, useLab } from '../store';

/** One monitor: its settings, verdicts of its last runs, the last problems, and Stop. */
function MonitorRow({ m }: { m: MonitorView }) {
  const [error, setError] = useState<string | null>(null);
  const last = m.runs[m.runs.length - 1];
  const stop = async (): Promise<void> => {
    const r = await labApi()?.['monitor/stop']({ id: m.id });
    if (r && !r.ok) setError(r.error);
  };
  return (
    <li className="setting-row" data-testid="monitor-row" data-state={m.state} data-last-ok={last ? String(last.ok) : ''}>
      <div className="setting-line">
        <strong title={m.paths?.join('\n')}>{m.scenario === 'test' ? monitorTitle(m) : `${m.scenario} · ${m.profile} · ${m.transport.toUpperCase()}`}</strong>
        <span className="muted">every {m.everyMs / 1000} s</span>
        {m.faults.length > 0 && <span className="tag tag-warn">faults: {m.faults.join(', ')}</span>}
        <span className={m.state === 'running' ? 'pill pill-ok' : 'pill'}>{m.state}</span>
        <span className="num" data-testid="monitor-counts">
          {m.passed} passed · {m.failed} failed
        </span>
        <span className="verdict-strip">
          {m.runs.map((r) => (
            <VerdictMark key={r.index} ok={r.ok} title={`run ${r.index} at ${fmtDateTime(r.startedWallMs)}`} />
          ))}
        </span>
        <span className="spacer" />
        {m.state === 'running' && (
          <button type="button" data-testid="monitor-stop" onClick={() => void stop()}>
            Stop
          </button>
        )}
      </div>
      {last && (
        <p className={last.ok ? 'hint ok-text' : 'hint fail-text'} data-testid="monitor-last">
          run {last.index} {last.ok ? 'passed' : 'FAILED'} at {fmtDateTime(last.startedWallMs)} · INVITE→200 {fmtMs(last.inviteTo200Ms)}
          {last.problems.length > 0 && `: ${last.problems.slice(0, 3).join('; ')}`}
        </p>
      )}
      {error && <div className="inline-error">monitor/stop: {error}</div>}
    </li>
  );
}

/**
 * Monitoring (issue 6): start a scheduled handoff (profile, transport, interval, emulator faults),
 * the running monitors with their last verdicts, and the verdict history and latency trend of each
 * scenario from history. A failing run raises the alert banner (and, in Electron, a desktop notification).
 */
export function MonitorScreen() {
  const profiles = useLab((s) => s.profiles);
  const monitors = useMonitors((s) => s.monitors);
  const faultSpecs = useMonitors((s) => s.faultSpecs);
  const listError = useMonitors((s) => s.error);
  const builtin = useMemo(() => profiles.filter((p) => p.builtin), [profiles]);
  const [profile, setProfile] = useState('');
  const [transport, setTransport] = useState<'udp' | 'tcp'>('udp');
  const [everyS, setEveryS] = useState(300);
  const [faults, setFaults] = useState('');
  const [scenario, setScenario] = useState<'handoff' | 'test'>('handoff');
  const testsDir = useTests((s) => s.folder?.dir ?? '');
  const [paths, setPaths] = useState<string | null>(null);
  const casePaths = (paths ?? testsDir).trim();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [trends, setTrends] = useState<ScenarioTrendView[]>([]);
  const [trendError, setTrendError] = useState<string | null>(null);
  const profileId = profile || builtin[0]?.id || '';
  const runCount = monitors.reduce((n, m) => n + m.runs.length, 0);

  useEffect(() => {
    void labApi()?.['monitor/trends']({}).then((r) => (r.ok ? (setTrends(r.value), setTrendError(null)) : setTrendError(r.error)));
  }, [runCount]);

  const start = async (): Promise<void> => {
    const api = labApi();
    if (!api) return;
    setBusy(true);
    setError(null);
    const r = await api['monitor/start']({
      scenario,
      ...(scenario === 'test' ? { paths: casePaths.split(/\n|;/).map((x) => x.trim()).filter(Boolean) } : {}),
      profile: profileId,
      transport,
      everyMs: Math.round(everyS * 1000),
      faults: faults.split(/[\s,]+/).filter(Boolean),
    });
    setBusy(false);
    if (!r.ok) setError(r.error);
  };

  return (
    <div className="screen-scroll monitor-screen">
      <section className="panel" aria-labelledby="monitor-start-title">
        <h2 id="monitor-start-title">Start a monitor</h2>
        <div className="toolbar-row">
          <label>
            <span>Scenario</span>
            <select data-testid="monitor-scenario" value={scenario} onChange={(e) => setScenario(e.target.value as 'handoff' | 'test')}>
              <option value="handoff">handoff (embedded CXone → reference bot)</option>
              <option value="test">test cases or a suite</option>
            </select>
          </label>
          {scenario === 'handoff' ? (
            <>
              <label>
                <span>Profile</span>
                <select data-testid="monitor-profile" value={profileId} onChange={(e) => setProfile(e.target.value)}>
                  {builtin.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                <span>Transport</span>
                <select data-testid="monitor-transport" value={transport} onChange={(e) => setTransport(e.target.value as 'udp' | 'tcp')}>
                  <option value="udp">UDP</option>
                  <option value="tcp">TCP</option>
                </select>
              </label>
            </>
          ) : (
            <label className="grow">
              <span>Case files or folders (one per line, or ; between)</span>
              <input type="text" data-testid="monitor-paths" value={paths ?? testsDir} spellCheck={false} placeholder="/path/to/examples/tests" onChange={(e) => setPaths(e.target.value)} />
            </label>
          )}
          <label>
            <span>Every (s)</span>
            <input type="number" min={1} step={1} data-testid="monitor-every" value={everyS} onChange={(e) => setEveryS(Number(e.target.value))} />
          </label>
          {scenario === 'handoff' && (
            <label className="grow">
              <span>Emulator faults (optional)</span>
              <input type="text" list="fault-specs" data-testid="monitor-faults" value={faults} spellCheck={false} placeholder="e.g. server-error" onChange={(e) => setFaults(e.target.value)} />
              <datalist id="fault-specs">
                {faultSpecs.map((f) => (
                  <option key={f} value={f.replace(/\[.*\]$/, '').replace(/:<.*>$/, ':')} />
                ))}
              </datalist>
            </label>
          )}
          <button type="button" className="primary" data-testid="monitor-start" disabled={(scenario === 'handoff' ? !profileId : !casePaths) || busy || !(everyS >= 1)} onClick={() => void start()}>
            {busy ? 'Starting…' : 'Start'}
          </button>
        </div>
        {scenario === 'test' && <p className="hint muted">Each tick runs the cases as lab test does; a failing case raises the alert (and the desktop notification in the app).</p>}
        {scenario === 'handoff' && faultSpecs.length > 0 && <p className="hint muted">Faults: {faultSpecs.join(', ')}</p>}
        {error && <div className="inline-error">monitor/start: {error}</div>}
      </section>
      <section className="panel" aria-labelledby="monitors-title">
        <h2 id="monitors-title">Monitors</h2>
        {listError && <div className="inline-error">monitor/list: {listError}</div>}
        {monitors.length === 0 ? (
          <p className="empty">No monitor started from the dashboard yet (the CLI's “lab monitor” runs show in the trends below).</p>
        ) : (
          <ul className="setting-rows">
            {monitors.map((m) => (
              <MonitorRow key={m.id} m={m} />
            ))}
          </ul>
        )}
      </section>
      <section className="panel" aria-labelledby="trends-title">
        <h2 id="trends-title">
          Trends <span className="muted">verdict history and latency of each handoff scenario in history</span>
        </h2>
        {trendError && <div className="inline-error">monitor/trends: {trendError}</div>}
        {trends.length === 0 ? (
          <p className="empty">No handoff run in history yet.</p>
        ) : (
          <div className="chart-grid">
            {trends.map((t) => (
              <TrendCard key={`${t.profile}/${t.transport}`} trend={t} />
            ))}
          </div>
        )}
      </section>
    </div>
  );
}
