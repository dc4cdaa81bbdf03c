import { useLab } from '../store';

/** Top bar: app name, host kind, the SIP listeners to give CXone, the CXone API base in use. */
export function AppHeader() {
  const info = useLab((s) => s.info);
  const infoError = useLab((s) => s.infoError);
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">◆</span>
        <span className="brand-name">CXone SIP Lab</span>
        {info && <span className="muted">v{info.version}</span>}
      </div>
      <dl className="header-facts">
        <div>
          <dt>Host</dt>
          <dd>{info ? info.host : '…'}</dd>
        </div>
        <div className="grow">
          <dt>SIP listeners</dt>
          <dd data-testid="listeners" className="listeners">
            {info && info.listeners.length === 0 && <span className="muted">none</span>}
            {info?.listeners.map((l) => (
              <code key={l.uri} className="chip" title={`${l.transport.toUpperCase()} ${l.host}:${l.port}`}>
                {l.uri}
              </code>
            ))}
          </dd>
        </div>
        <div>
          <dt>CXone API</dt>
          <dd>
            <code>{info ? info.cxoneApi : '…'}</code>
          </dd>
        </div>
      </dl>
      {infoError && <div className="inline-error">app/info: {infoError}</div>}
    </header>
  );
}
