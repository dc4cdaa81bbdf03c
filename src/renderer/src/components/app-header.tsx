import { ToggleGroup } from 'radix-ui';
import { useState, type ReactNode } from 'react';
import { applyTheme, storedTheme, type ThemeChoice } from '../theme';
import { useLab } from '../store';

/** Top bar: app name and version, the screen tabs (children), the keychain state, the theme switch. */
export function AppHeader({ children }: { children: ReactNode }) {
  const info = useLab((s) => s.info);
  const infoError = useLab((s) => s.infoError);
  const [theme, setTheme] = useState<ThemeChoice>(storedTheme);
  const choose = (v: string): void => {
    if (v !== 'system' && v !== 'light' && v !== 'dark') return;
    setTheme(v);
    applyTheme(v);
  };
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">◆</span>
        <span className="brand-name">CXone SIP Lab</span>
        {info && <span className="muted">v{info.version}</span>}
      </div>
      {children}
      <span className="spacer" />
      {info && (
        <span
          className={info.keychain.available ? 'pill pill-ok' : 'pill pill-warn'}
          data-testid="keychain-pill"
          data-available={info.keychain.available ? 'true' : 'false'}
          title={info.keychain.message}
        >
          {info.keychain.available ? 'keychain ok' : 'no keychain'}
        </span>
      )}
      {info && <span className="muted host-kind">{info.host}</span>}
      <ToggleGroup.Root type="single" className="theme-toggle" value={theme} onValueChange={choose} aria-label="Theme">
        {(['system', 'light', 'dark'] as const).map((t) => (
          <ToggleGroup.Item key={t} value={t} className="toggle-item" data-testid={`theme-${t}`} aria-label={`${t} theme`}>
            {t === 'system' ? 'Auto' : t === 'light' ? 'Light' : 'Dark'}
          </ToggleGroup.Item>
        ))}
      </ToggleGroup.Root>
      {infoError && <div className="inline-error">app/info: {infoError}</div>}
    </header>
  );
}
