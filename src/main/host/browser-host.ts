/**
 * The browser host (design.md §6): serves the built renderer and bridges the contract over a
 * WebSocket, so the dashboard runs in any browser where the Electron binary is absent.
 *
 * Safety: bound to 127.0.0.1 by default; a per-launch random token (in the page URL, required on
 * the WebSocket upgrade, compared in constant time); the upgrade's Origin must be this host's own;
 * the same strict Content Security Policy as the Electron window, sent as a header.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { WsServerMessage } from '../../shared/contract';
import type { Lab } from '../lab';
import { dispatch } from './dispatch';
import { CONTENT_SECURITY_POLICY } from './csp';
import { MAX_IMPORT_BYTES } from './pcap-import';
import { bracketHost } from '../net/host-format';

/** Options of {@link startBrowserHost}. */
export interface BrowserHostOptions {
  lab: Lab;
  /** Folder of the built renderer (`out/web`). */
  staticDir: string;
  /** Default 127.0.0.1. Binding elsewhere exposes the dashboard to that network. */
  host?: string;
  /** Default 0 (ephemeral). */
  port?: number;
}

/** A running browser host. */
export interface BrowserHost {
  /** The URL to open, with the token: `http://127.0.0.1:PORT/?token=…`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.wav': 'audio/wav',
};

/**
 * Starts the browser host.
 * @throws Error when the port cannot be bound.
 */
export async function startBrowserHost(opts: BrowserHostOptions): Promise<BrowserHost> {
  const host = opts.host ?? '127.0.0.1';
  const token = randomBytes(24).toString('hex');
  const root = resolve(opts.staticDir);
  const server: Server = createServer((req, res) => serveStatic(root, req, res));
  // Large enough for a capture of MAX_IMPORT_BYTES sent as base64 to import/pcap, with its JSON envelope.
  const wss = new WebSocketServer({ noServer: true, maxPayload: Math.ceil(MAX_IMPORT_BYTES / 3) * 4 + 64 * 1024 });
  let origins: string[] = [];

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? host}`);
    const given = Buffer.from(url.searchParams.get('token') ?? '');
    const want = Buffer.from(token);
    const tokenOk = url.pathname === '/ws' && given.length === want.length && timingSafeEqual(given, want);
    const originOk = typeof req.headers.origin === 'string' && origins.includes(req.headers.origin);
    if (!tokenOk || !originOk) {
      socket.write(`HTTP/1.1 ${tokenOk ? '403 Forbidden' : '401 Unauthorized'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const clients = new Set<WebSocket>();
  wss.on('connection', (ws: WebSocket) => {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    ws.on('error', () => clients.delete(ws));
    ws.on('message', (data) => {
      let msg: { t?: unknown; id?: unknown; method?: unknown; payload?: unknown };
      try {
        msg = JSON.parse(String(data)) as typeof msg;
      } catch {
        return; // not JSON: ignored, the socket stays up
      }
      if (msg.t !== 'req' || typeof msg.id !== 'number') return;
      const id = msg.id;
      void dispatch(opts.lab.handlers, msg.method, msg.payload).then((result) => send(ws, { t: 'res', id, result }));
    });
  });
  const unsubscribe = opts.lab.onEvent((name, payload) => {
    for (const ws of clients) send(ws, { t: 'evt', name, payload });
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = bracketHost(host);
  origins = [`http://${shownHost}:${port}`];
  if (host === '127.0.0.1') origins.push(`http://localhost:${port}`);
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    port,
    close: async () => {
      unsubscribe();
      for (const ws of clients) ws.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function send(ws: WebSocket, msg: WsServerMessage): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
}

function serveStatic(root: string, req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', 'no-store');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  if (!existsSync(join(root, 'index.html'))) {
    res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' }).end('The dashboard is not built: run "npm run build:web".\n');
    return;
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  } catch {
    res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' }).end('bad path\n');
    return;
  }
  const rel = normalize(pathname === '/' ? '/index.html' : pathname).replace(/^([/\\])+/, '');
  const file = resolve(root, rel);
  if (!(file === root || file.startsWith(root + sep)) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
    return;
  }
  res.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream' });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}
