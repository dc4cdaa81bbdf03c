/**
 * The Electron window's options, kept free of `electron` imports (types only) so a unit test can
 * check them: context isolation, the sandbox, no Node integration, no webview, and only the
 * preload that exposes the contract.
 */
import type { BrowserWindowConstructorOptions } from 'electron';

/** Saved window size (remembered between launches). */
export interface WindowBounds {
  width: number;
  height: number;
  x?: number;
  y?: number;
}

/**
 * @param preloadPath - absolute path of the built preload script.
 * @param bounds - the remembered size, if any; defaults to 1280×800.
 */
export function mainWindowOptions(preloadPath: string, bounds?: WindowBounds): BrowserWindowConstructorOptions {
  return {
    width: bounds?.width ?? 1280,
    height: bounds?.height ?? 800,
    ...(bounds?.x !== undefined && bounds?.y !== undefined ? { x: bounds.x, y: bounds.y } : {}),
    minWidth: 900,
    minHeight: 560,
    title: 'CXone SIP Lab',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      spellcheck: false,
    },
  };
}
