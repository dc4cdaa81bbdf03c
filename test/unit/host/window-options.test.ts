// The Electron binary cannot run on these machines (toolchain.md), so the window's options are
// checked as the data they are; the CSP is the same string the browser host sends (tested in e2e).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../src/main/host/csp';
import { mainWindowOptions } from '../../../src/main/host/window-options';

describe('main window options', () => {
  const o = mainWindowOptions('/app/out/preload/index.cjs');
  it('isolates the renderer from Node', () => {
    expect(o.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      preload: '/app/out/preload/index.cjs',
    });
  });
  it('remembers the size it is given', () => {
    expect(mainWindowOptions('/p', { width: 1000, height: 700, x: 5, y: 6 })).toMatchObject({ width: 1000, height: 700, x: 5, y: 6 });
  });
});

describe('Content Security Policy', () => {
  const directives = Object.fromEntries(CONTENT_SECURITY_POLICY.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
  it('allows nothing inline, nothing remote, no eval', () => {
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['style-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
  });
  it('plays recordings only from itself or blob: URLs', () => {
    expect(directives['media-src']).toEqual(["'self'", 'blob:']);
  });
  it('connects only to itself and the loopback WebSocket', () => {
    expect(directives['connect-src']).toEqual(["'self'", 'ws://127.0.0.1:*', 'ws://localhost:*']);
  });
  it('is the policy the renderer page declares', () => {
    const html = readFileSync(new URL('../../../src/renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta?.split(';').map((s) => s.trim())).toEqual(expect.arrayContaining(CONTENT_SECURITY_POLICY.split(';').map((s) => s.trim())));
  });
});
