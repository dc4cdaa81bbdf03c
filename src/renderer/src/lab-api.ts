/**
 * The renderer's only way to the lab: a {@link LabApi} (contract.ts, design.md §4).
 *
 * Two providers:
 * - Electron: the preload puts a `LabApi` on `window.lab`.
 * - Browser host (design.md §6): when `window.lab` is absent, a client over a WebSocket to
 *   `ws(s)://<location.host>/ws?token=<token>`, the token read from the page URL's `?token=…`.
 *   Protocol: `WsClientMessage` out, `WsServerMessage` in. Requests wait in a queue until the socket
 *   opens; when it closes, every waiting request resolves as `{ ok: false, error }` and the client
 *   reconnects with exponential backoff.
 */
import {
  LAB_METHODS,
  type LabApi,
  type LabEvents,
  type LabHandlers,
  type LabMethod,
  type WsClientMessage,
  type WireEventName,
  type WsServerMessage,
} from '../../shared/contract';
import type { Result } from '../../shared/result';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in the browser host. */
    lab?: LabApi;
  }
}

/** The error every pending request resolves with when the WebSocket closes. */
export const CONNECTION_LOST = 'connection to the lab lost';

/** State of the link to the lab: always `open` under Electron. */
export interface LinkStatus {
  state: 'connecting' | 'open' | 'lost';
  /** What to tell the user when the link is not open; null when open. */
  message: string | null;
  /** Increments on every successful (re)open, so listeners can reload what they missed. */
  opens: number;
}

/** A {@link LabApi} plus the status of the link it runs over. */
export interface LabLink {
  api: LabApi;
  kind: 'electron' | 'websocket';
  /** Current status. */
  status(): LinkStatus;
  /** Calls `listener` on every status change; returns the unsubscribe function. */
  onStatus(listener: (status: LinkStatus) => void): () => void;
}

/** Backoff between reconnect attempts: starts at 250 ms, doubles, caps at 5000 ms. */
const BACKOFF_FIRST_MS = 250;
const BACKOFF_MAX_MS = 5000;

/**
 * Returns the link to the lab: `window.lab` when the Electron preload provided it, otherwise a
 * WebSocket client to the browser host serving this page.
 */
export function connectLab(): LabLink {
  const injected = window.lab;
  if (injected) {
    const status: LinkStatus = { state: 'open', message: null, opens: 1 };
    return { api: injected, kind: 'electron', status: () => status, onStatus: () => () => undefined };
  }
  return createWsLink(window.location);
}

type Pending = { method: LabMethod; resolve: (result: Result<unknown>) => void };

/**
 * Creates a LabApi over the browser host's WebSocket bridge.
 * @param location - the page's location: host and protocol pick the socket URL, `?token=` the token.
 * @returns a link that never throws: every request resolves to a Result.
 */
export function createWsLink(location: Pick<Location, 'protocol' | 'host' | 'search'>): LabLink {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const url = `${scheme}://${location.host}/ws?token=${encodeURIComponent(token)}`;

  let socket: WebSocket | null = null;
  let nextId = 1;
  let backoffMs = BACKOFF_FIRST_MS;
  let status: LinkStatus = { state: 'connecting', message: null, opens: 0 };
  const pending = new Map<number, Pending>();
  const queue: WsClientMessage[] = [];
  const eventListeners = new Map<WireEventName, Set<(payload: never) => void>>();
  const statusListeners = new Set<(status: LinkStatus) => void>();

  const setStatus = (next: LinkStatus): void => {
    status = next;
    for (const listener of statusListeners) {
      try {
        listener(status);
      } catch (e) {
        console.error('lab link status listener failed', e);
      }
    }
  };

  const failAll = (error: string): void => {
    queue.length = 0;
    const waiting = [...pending.values()];
    pending.clear();
    for (const p of waiting) p.resolve({ ok: false, error });
  };

  const onMessage = (data: unknown): void => {
    if (typeof data !== 'string') return;
    let msg: WsServerMessage;
    try {
      msg = JSON.parse(data) as WsServerMessage;
    } catch {
      console.warn('lab link: ignored a message that is not JSON');
      return;
    }
    if (msg === null || typeof msg !== 'object') return;
    if (msg.t === 'res' && typeof msg.id === 'number') {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      const result = msg.result;
      const valid = result !== null && typeof result === 'object' && typeof result.ok === 'boolean';
      p.resolve(valid ? result : { ok: false, error: `malformed response to ${p.method}` });
    } else if (msg.t === 'evt' && typeof msg.name === 'string') {
      const listeners = eventListeners.get(msg.name);
      if (!listeners) return;
      for (const listener of listeners) {
        try {
          listener(msg.payload as never);
        } catch (e) {
          console.error(`lab link: listener of ${msg.name} failed`, e);
        }
      }
    }
  };

  const connect = (): void => {
    if (status.state !== 'lost') setStatus({ ...status, state: 'connecting' });
    let ws: WebSocket;
    try {
      ws = new WebSocket(url);
    } catch (e) {
      scheduleReconnect(`cannot open ${scheme}://${location.host}/ws: ${String(e)}`);
      return;
    }
    socket = ws;
    ws.onopen = () => {
      backoffMs = BACKOFF_FIRST_MS;
      setStatus({ state: 'open', message: null, opens: status.opens + 1 });
      const toSend = queue.splice(0);
      for (const m of toSend) ws.send(JSON.stringify(m));
    };
    ws.onmessage = (ev: MessageEvent) => onMessage(ev.data);
    ws.onclose = (ev: CloseEvent) => {
      if (socket !== ws) return;
      socket = null;
      failAll(CONNECTION_LOST);
      const everOpened = status.opens > 0;
      const reason = ev.reason ? ` (${ev.reason})` : '';
      const what = everOpened
        ? `Connection to the lab lost${reason}; reconnecting…`
        : `Cannot connect to the lab at ${scheme}://${location.host}/ws${reason}; retrying… Is the host running, and is this the URL (with its token) that it printed?`;
      const hint = token ? '' : ' The page URL has no ?token=…: open the URL the host printed.';
      scheduleReconnect(what + hint);
    };
    // An error is always followed by a close, which does the cleanup.
    ws.onerror = () => undefined;
  };

  const scheduleReconnect = (message: string): void => {
    setStatus({ state: 'lost', message, opens: status.opens });
    const delay = backoffMs;
    backoffMs = Math.min(backoffMs * 2, BACKOFF_MAX_MS);
    setTimeout(connect, delay);
  };

  const request = (method: LabMethod, payload: unknown): Promise<Result<unknown>> =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, { method, resolve });
      const msg: WsClientMessage = { t: 'req', id, method, payload };
      if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(msg));
      else queue.push(msg);
    });

  const on = <E extends WireEventName>(event: E, listener: (payload: LabEvents[E]) => void): (() => void) => {
    let set = eventListeners.get(event);
    if (!set) {
      set = new Set();
      eventListeners.set(event, set);
    }
    const l = listener as (payload: never) => void;
    set.add(l);
    return () => {
      set.delete(l);
    };
  };

  const methods = Object.fromEntries(
    LAB_METHODS.map((method) => [method, (payload: unknown) => request(method, payload)]),
  ) as unknown as LabHandlers;
  const api: LabApi = { ...methods, on };

  connect();

  return {
    api,
    kind: 'websocket',
    status: () => status,
    onStatus(listener) {
      statusListeners.add(listener);
      return () => {
        statusListeners.delete(listener);
      };
    },
  };
}
