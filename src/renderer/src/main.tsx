/** Renderer entry: theme, connect to the lab (Electron preload or browser host), wire the store, render. */
import './zod-csp'; // first: before any zod schema is built (CSP, no eval)
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { connectLab } from './lab-api';
import { startLab, useLab } from './store';
import { initTheme } from './theme';
import './styles.css';
import './layout.css';
import './call-detail.css';
import './screens.css';
import './reports-monitor.css';

declare global {
  interface Window {
    /** A JSON snapshot of the dashboard's store (data only), for diagnostics; holds no secret by design. */
    labStateSnapshot?: () => string;
  }
}

initTheme();
startLab(connectLab());
Object.defineProperty(window, 'labStateSnapshot', {
  value: () => JSON.stringify(useLab.getState(), (_k, v: unknown) => (typeof v === 'function' ? undefined : v)),
});

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
