/** Renderer entry: connect to the lab (Electron preload or browser host), wire the store, render. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { connectLab } from './lab-api';
import { startLab } from './store';
import './styles.css';

startLab(connectLab());

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
