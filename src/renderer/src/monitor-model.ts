/**
 * The dashboard's monitors (issue 6): the list (`monitor/list` on every (re)open of the link, then
 * `monitor/updated` events) and the alert of a failing run. The desktop notification, where there
 * is one, comes from the main process (Electron); this alert is the in-app one, and the browser
 * host's only one (no notification permission is asked for).
 */
import { create } from 'zustand';
import type { LabApi, MonitorView } from '../../shared/contract';

/** A failed monitor run the user has not dismissed yet. */
export interface MonitorAlert {
  monitorId: string;
  runIndex: number;
  text: string;
}

/** Monitors (newest first), the fault specs, and the current alert. */
export interface MonitorState {
  monitors: MonitorView[];
  faultSpecs: string[];
  error: string | null;
  alert: MonitorAlert | null;
  dismissAlert(): void;
}

export const useMonitors = create<MonitorState>()((set) => ({
  monitors: [],
  faultSpecs: [],
  error: null,
  alert: null,
  dismissAlert: () => set({ alert: null }),
}));

/** How a monitor is named: `handoff kore (UDP)`, or `test examples/tests` (its paths' last parts). */
export function monitorTitle(view: MonitorView): string {
  if (view.scenario === 'test') return `test ${(view.paths ?? []).map((p) => p.split(/[\\/]/).slice(-2).join('/')).join(', ')}`;
  return `${view.scenario} ${view.profile} (${view.transport})`;
}

/** Upserts a monitor's view; a new failing run raises the alert. */
export function applyMonitorUpdate(view: MonitorView): void {
  if (!view || typeof view.id !== 'string' || !Array.isArray(view.runs)) return;
  const { monitors } = useMonitors.getState();
  const before = monitors.find((m) => m.id === view.id);
  const next = [view, ...monitors.filter((m) => m.id !== view.id)].sort((a, b) => b.startedWallMs - a.startedWallMs);
  const last = view.runs[view.runs.length - 1];
  const isNew = last && (!before || (before.runs[before.runs.length - 1]?.index ?? 0) < last.index);
  if (last && isNew && !last.ok) {
    const faults = view.faults.length ? ` (faults: ${view.faults.join(', ')})` : '';
    const why = last.problems[0] ?? 'failed';
    useMonitors.setState({
      monitors: next,
      alert: { monitorId: view.id, runIndex: last.index, text: `Monitor ${monitorTitle(view)}${faults}: run ${last.index} FAILED — ${why}` },
    });
  } else useMonitors.setState({ monitors: next });
}

/** Loads the monitors and fault specs. */
export async function loadMonitors(api: LabApi): Promise<void> {
  const r = await api['monitor/list'](null);
  if (r.ok) useMonitors.setState({ monitors: r.value.monitors, faultSpecs: r.value.faultSpecs, error: null });
  else useMonitors.setState({ error: r.error });
}
