/**
 * The Electron entry (the only module besides host/electron-* that imports `electron`): one
 * instance, one safe window (host/window-options.ts), the strict CSP on every response, navigation,
 * new windows and permission requests refused, the window size remembered, an application menu,
 * and the contract over IPC.
 */
import { app, BrowserWindow, Menu, Notification, session, shell } from 'electron';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTENT_SECURITY_POLICY } from './host/csp';
import { registerIpc } from './host/electron-ipc';
import { mainWindowOptions, type WindowBounds } from './host/window-options';
import { Lab } from './lab';
import { electronNotifier } from './monitor/notifier';
import { preferSmallHeap } from './runtime/heap-mode';

// The desktop app runs for hours (monitors, answer runs): V8's memory-saving mode (runtime/heap-mode.ts).
preferSmallHeap();

const boundsFile = (): string => join(app.getPath('userData'), 'window.json');

function loadBounds(): WindowBounds | undefined {
  try {
    return existsSync(boundsFile()) ? (JSON.parse(readFileSync(boundsFile(), 'utf8')) as WindowBounds) : undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  mkdirSync(app.getPath('userData'), { recursive: true });
  const lab = await Lab.start({ dbFile: join(app.getPath('userData'), 'history.db'), host: 'electron', notifier: electronNotifier(Notification) });

  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  const win = new BrowserWindow(mainWindowOptions(join(import.meta.dirname, '../preload/index.cjs'), loadBounds()));
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  win.webContents.on('will-attach-webview', (e) => e.preventDefault());
  const unregister = registerIpc(lab, win.webContents);
  win.on('close', () => {
    try {
      writeFileSync(boundsFile(), JSON.stringify(win.getBounds()));
    } catch {
      /* size not remembered */
    }
  });
  win.once('ready-to-show', () => win.show());
  app.on('second-instance', () => {
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      { role: 'fileMenu' },
      { role: 'editMenu' },
      { role: 'viewMenu' },
      { role: 'windowMenu' },
      { role: 'help', submenu: [{ label: 'About CXone SIP Lab', click: () => app.showAboutPanel() }] },
    ]),
  );
  if (process.env.ELECTRON_RENDERER_URL) await win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else await win.loadFile(join(import.meta.dirname, '../renderer/index.html'));
  app.on('window-all-closed', () => {
    unregister();
    void lab.stop().finally(() => app.quit());
  });
}

main().catch((e: unknown) => {
  console.error(`CXone SIP Lab could not start: ${(e as Error).message}`);
  app.exit(1);
});
