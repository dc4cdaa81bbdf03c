// The browser host on loopback with a real Lab (SQLite in a temp dir, SIP listeners, emulator):
// the WebSocket bridge answers contract calls, and refuses a missing token, a wrong token and a
// foreign Origin.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBrowserHost, type BrowserHost } from '../../../src/main/host/browser-host';
import { Lab } from '../../../src/main/lab';
import type { WsServerMessage } from '../../../src/shared/contract';

let lab: Lab;
let host: BrowserHost;
let staticDir: string;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lab-host-'));
  staticDir = join(dir, 'web');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>lab</title>');
  lab = await Lab.start({ dbFile: join(dir, 'history.db'), host: 'browser' });
  host = await startBrowserHost({ lab, staticDir });
});

afterAll(async () => {
  await host?.close();
  await lab?.stop();
});

function connect(url: string, origin: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { origin });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function request(ws: WebSocket, id: number, method: string, payload: unknown): Promise<WsServerMessage> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const msg = JSON.parse(String(data)) as WsServerMessage;
      if (msg.t === 'res' && msg.id === id) {
        ws.off('message', onMessage);
        resolve(msg);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ t: 'req', id, method, payload }));
  });
}

describe('browser host', () => {
  const wsUrl = (token: string | null): string => {
    const u = new URL(host.url);
    return `ws://${u.host}/ws${token === null ? '' : `?token=${token}`}`;
  };
  const origin = (): string => new URL(host.url).origin;
  const token = (): string => new URL(host.url).searchParams.get('token')!;

  it('serves the page with the strict CSP', async () => {
    const res = await fetch(host.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await fetch(new URL('/../../etc/passwd', host.url))).status).toBe(404);
  });

  it('answers contract calls over the WebSocket', async () => {
    const ws = await connect(wsUrl(token()), origin());
    const info = await request(ws, 1, 'app/info', null);
    expect(info.t === 'res' && info.result.ok).toBe(true);
    const value = info.t === 'res' && info.result.ok ? (info.result.value as { listeners: { transport: string; port: number }[] }) : null;
    expect(value?.listeners.map((l) => l.transport).sort()).toEqual(['tcp', 'udp']);
    expect(value?.listeners.every((l) => l.port > 0)).toBe(true);
    const bad = await request(ws, 2, 'fs/readFile', { path: '/etc/passwd' });
    expect(bad.t === 'res' && bad.result).toEqual({ ok: false, error: 'unknown method "fs/readFile"', kind: 'usage', hint: null });
    const invalid = await request(ws, 3, 'signals/send', { callRef: 'x', params: { p10: '1' } });
    expect(invalid.t === 'res' && !invalid.result.ok).toBe(true);
    ws.close();
  });

  it('refuses a missing or wrong token', async () => {
    await expect(connect(wsUrl(null), origin())).rejects.toThrow(/401/);
    await expect(connect(wsUrl('0'.repeat(48)), origin())).rejects.toThrow(/401/);
  });

  it('refuses another Origin even with the token', async () => {
    await expect(connect(wsUrl(token()), 'http://evil.example')).rejects.toThrow(/403/);
  });
});
