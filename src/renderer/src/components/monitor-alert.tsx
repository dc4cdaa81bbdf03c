import { useMonitors } from '../monitor-model';
import { useLab } from '../store';

/** The in-app alert of a failing monitor run (the browser host's notification; also shown in Electron). */
export function MonitorAlertBanner() {
  const alert = useMonitors((s) => s.alert);
  const dismiss = useMonitors((s) => s.dismissAlert);
  const setScreen = useLab((s) => s.setScreen);
  if (!alert) return null;
  return (
    <div className="banner banner-fail monitor-alert" role="alert" data-testid="monitor-alert">
      <span>{alert.text}</span>
      <span className="spacer" />
      <button type="button" className="link-button" onClick={() => setScreen('monitor')}>
        Show
      </button>
      <button type="button" className="link-button" data-testid="monitor-alert-dismiss" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  );
}
