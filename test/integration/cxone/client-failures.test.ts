/**
 * The CXone client against hosts that are not the API: a closed port, an HTML page with 200, a
 * server that never answers (no retry), and a TLS host with a self-signed certificate. Tokens come
 * from the real emulator; the Signal goes to the test's own server.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CxoneClient } from '../../../src/main/cxone/client';
import { TokenCache } from '../../../src/main/cxone/token';
import { CxoneEmulatorApi } from '../../../src/main/emulator/api-server';

const KEY = { accessKeyId: 'AKID-FAIL-1', accessKeySecret: 'secret-for-failures==' };
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function emulator(): Promise<CxoneEmulatorApi> {
  const api = await CxoneEmulatorApi.start({ host: '127.0.0.1', port: 0, accessKeys: [KEY] });
  cleanups.push(() => api.stop());
  return api;
}

async function listen(server: http.Server | https.Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  );
  return (server.address() as AddressInfo).port;
}

function client(authBase: string, apiBase: string, timeoutMs?: number): CxoneClient {
  return new CxoneClient({ authBase, apiBase, apiVersion: 'v28.0', pathStyle: 'incontactapi', credentials: KEY, timeoutMs, tokenCache: new TokenCache() });
}

describe('client failures', () => {
  it('a closed port: "cannot reach" message, no status', async () => {
    const api = await emulator();
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const rec = await client(api.baseUrl, `http://127.0.0.1:${port}`).signal('1', { p1: 'x' });
    expect(rec).toMatchObject({ ok: false, status: null, ms: null, attempts: 1 });
    expect(rec.message).toBe(`cannot reach 127.0.0.1:${port} (ECONNREFUSED): wrong region or API host?`);
    expect(rec.exchange.error).toBe(rec.message);
  });

  it('a token endpoint on a closed port says so', async () => {
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const t = await client(`http://127.0.0.1:${port}`, `http://127.0.0.1:${port}`).getToken();
    expect(t.ok).toBe(false);
    if (!t.ok) expect(t.message).toContain('wrong area or auth host');
  });

  it('an HTML page with 200 is not ok', async () => {
    const api = await emulator();
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<!DOCTYPE html><html><head><title>Sign in</title></head><body>Login</body></html>');
    });
    const port = await listen(server);
    const rec = await client(api.baseUrl, `http://127.0.0.1:${port}`).signal('1', { p1: 'x' });
    expect(rec).toMatchObject({ ok: false, status: 200, attempts: 1 });
    expect(rec.message).toContain('an HTML page came back instead of the API');
    expect(rec.exchange.response?.body).toContain('<title>Sign in</title>');
  });

  it('a server that never answers: timeout message, and the signal is sent exactly once', async () => {
    const api = await emulator();
    let requests = 0;
    const server = http.createServer(() => {
      requests++; // hold the socket: never answer
    });
    const port = await listen(server);
    const rec = await client(api.baseUrl, `http://127.0.0.1:${port}`, 300).signal('1', { p1: 'x' });
    expect(rec).toMatchObject({ ok: false, status: null, ms: null, attempts: 1 });
    expect(rec.message).toBe('no answer in 300 ms (the signal may or may not have landed; not retried)');
    expect(requests).toBe(1);
  });

  it('a reset after the request was sent is not retried either', async () => {
    const api = await emulator();
    let requests = 0;
    const server = http.createServer((req) => {
      requests++;
      req.socket.destroy();
    });
    const port = await listen(server);
    const rec = await client(api.baseUrl, `http://127.0.0.1:${port}`).signal('1', { p1: 'x' });
    expect(rec.ok).toBe(false);
    expect(rec.message).toContain('may or may not have landed; not retried');
    expect(requests).toBe(1);
  });

  it('a 500 is not retried', async () => {
    const api = await emulator();
    let requests = 0;
    const server = http.createServer((_req, res) => {
      requests++;
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end('{"message":"boom"}');
    });
    const port = await listen(server);
    const rec = await client(api.baseUrl, `http://127.0.0.1:${port}`).signal('1', { p1: 'x' });
    expect(rec).toMatchObject({ ok: false, status: 500, message: 'CXone server error (500): boom' });
    expect(requests).toBe(1);
  });

  it('records per-phase timings of the request', async () => {
    const api = await emulator();
    api.contacts.add({ contactId: '1', role: 'master', onSignal: () => {} });
    const rec = await client(api.baseUrl, api.baseUrl).signal('1', { p1: 'x' });
    expect(rec.timings).not.toBeNull();
    expect(rec.timings?.dnsMs).toBeNull(); // an IP literal needs no lookup
    expect(rec.timings?.connectMs).toBeGreaterThanOrEqual(0);
    expect(rec.timings?.firstByteMs).toBeGreaterThanOrEqual(0);
    expect(rec.timings?.totalMs).toBe(rec.ms);
  });
});

let hasOpenssl = true;
try {
  execFileSync('openssl', ['version'], { stdio: 'ignore' });
} catch {
  hasOpenssl = false;
}

describe.skipIf(!hasOpenssl)('TLS', () => {
  it('a self-signed certificate: "TLS failed"', async () => {
    const api = await emulator();
    const dir = mkdtempSync(join(tmpdir(), 'cxone-tls-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem')], { stdio: 'ignore' });
    const server = https.createServer({ key: readFileSync(join(dir, 'k.pem')), cert: readFileSync(join(dir, 'c.pem')) }, (_req, res) => res.end('{}'));
    const port = await listen(server);
    const rec = await client(api.baseUrl, `https://127.0.0.1:${port}`).signal('1', { p1: 'x' });
    expect(rec).toMatchObject({ ok: false, status: null });
    expect(rec.message).toMatch(/^TLS failed: /);
  });
});
