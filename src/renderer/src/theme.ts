/**
 * Light and dark themes (issue 5 item 9): `system` follows the OS (`prefers-color-scheme`), `light`
 * and `dark` force one. The choice is kept in localStorage and applied as `data-theme` on <html>,
 * which styles.css reads; no inline style (CSP `style-src 'self'`).
 */

/** The user's choice. */
export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'cxone-sip-lab.theme';
const listeners = new Set<(t: ThemeChoice) => void>();

/** The stored choice (`system` when none or unreadable). */
export function storedTheme(): ThemeChoice {
  try {
    const v = window.localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

/** The theme in effect: the choice, or the OS's for `system`. */
export function effectiveTheme(choice: ThemeChoice = storedTheme()): 'light' | 'dark' {
  if (choice !== 'system') return choice;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** Applies and stores a choice, and tells the subscribers (charts re-read their colours). */
export function applyTheme(choice: ThemeChoice): void {
  document.documentElement.dataset.theme = effectiveTheme(choice);
  document.documentElement.dataset.themeChoice = choice;
  try {
    window.localStorage.setItem(KEY, choice);
  } catch {
    /* not kept: private mode */
  }
  for (const l of listeners) l(choice);
}

/** Calls `fn` on every theme change (including an OS change under `system`); returns the unsubscribe. */
export function onThemeChange(fn: (t: ThemeChoice) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Applies the stored choice and follows OS changes while it is `system`. Call once at start. */
export function initTheme(): void {
  applyTheme(storedTheme());
  window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener('change', () => {
    if (storedTheme() === 'system') applyTheme('system');
  });
}
