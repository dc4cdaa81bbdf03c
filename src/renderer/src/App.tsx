import { Tabs } from 'radix-ui';
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { AppHeader } from './components/app-header';
import { LinkBanner } from './components/link-banner';
import { MonitorAlertBanner } from './components/monitor-alert';
import { CallsScreen } from './screens/calls-screen';
import { HistoryScreen } from './screens/history-screen';
import { MonitorScreen } from './screens/monitor-screen';
import { SettingsScreen } from './screens/settings-screen';
import { SignalsScreen } from './screens/signals-screen';
import { TestsScreen } from './screens/tests-screen';
import { SCREENS, useLab, type Screen } from './store';

/** The charts (Recharts) load with the Latency screen, not with the dashboard. */
const LatencyScreen = lazy(() => import('./screens/latency-screen').then((m) => ({ default: m.LatencyScreen })));

/** Screen names as shown on the tabs. */
export const SCREEN_LABELS: Record<Screen, string> = {
  calls: 'Calls',
  signals: 'Signals',
  latency: 'Latency',
  history: 'History',
  monitor: 'Monitor',
  settings: 'Settings',
  tests: 'Tests',
};

/** What each screen shows. */
const SCREEN_VIEWS: Record<Screen, ReactNode> = {
  calls: <CallsScreen />,
  signals: <SignalsScreen />,
  latency: (
    <Suspense fallback={<div className="detail-empty">Loading charts…</div>}>
      <LatencyScreen />
    </Suspense>
  ),
  history: <HistoryScreen />,
  monitor: <MonitorScreen />,
  settings: <SettingsScreen />,
  tests: <TestsScreen />,
};

/** Alt+1…Alt+7 switch screens, from anywhere (the tabs themselves take ←/→). */
function useScreenShortcuts(): void {
  const setScreen = useLab((s) => s.setScreen);
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const i = Number(e.key) - 1;
      const screen = SCREENS[i];
      if (screen) {
        e.preventDefault();
        setScreen(screen);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setScreen]);
}

/** The dashboard: header with the screen tabs, link banner, and the current screen. */
export function App() {
  const screen = useLab((s) => s.screen);
  const setScreen = useLab((s) => s.setScreen);
  useScreenShortcuts();
  return (
    <Tabs.Root className="app" value={screen} onValueChange={(v) => setScreen(v as Screen)}>
      <AppHeader>
        <Tabs.List className="screen-tabs" aria-label="Screens">
          {SCREENS.map((s, i) => (
            <Tabs.Trigger key={s} value={s} className="screen-tab" data-testid={`tab-${s}`} title={`${SCREEN_LABELS[s]} (Alt+${i + 1})`}>
              {SCREEN_LABELS[s]}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
      </AppHeader>
      <LinkBanner />
      <MonitorAlertBanner />
      {SCREENS.map((s) => (
        <Tabs.Content key={s} value={s} className="screen">
          {SCREEN_VIEWS[s]}
        </Tabs.Content>
      ))}
    </Tabs.Root>
  );
}
