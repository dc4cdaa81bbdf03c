import { useLab } from '../store';

/** A banner while the link to the lab (browser host WebSocket) is down or being re-established. */
export function LinkBanner() {
  const link = useLab((s) => s.link);
  if (link.state === 'open') return null;
  if (link.state === 'connecting' && !link.message) {
    return (
      <div className="banner banner-info" role="status">
        Connecting to the lab…
      </div>
    );
  }
  return (
    <div className="banner banner-fail" role="alert" data-testid="link-banner">
      {link.message ?? 'Connection to the lab lost; reconnecting…'}
    </div>
  );
}
