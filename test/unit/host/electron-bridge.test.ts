// The Electron binary cannot run on these machines (toolchain.md), so `electron` is replaced here by
// a small named fake of contextBridge/ipcRenderer/ipcMain: the only fake in the suite. What is
// checked is our code: the preload exposes exactly the contract's methods, and the IPC host
// registers exactly those channels and refuses requests from another frame.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { LAB_METHODS } from '../../../src/shared/contract';

const exposed: Record<string, unknown> = {};
const invoked: [string, unknown][] = [];
const handlers = new Map<string, (event: unknown, payload: unknown) => unknown>();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer: {
    invoke: async (channel: string, payload: unknown) => (invoked.push([channel, payload]), { ok: true, value: null }),
    on: () => {},
    removeListener: () => {},
  },
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, payload: unknown) => unknown) => handlers.set(channel, fn),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));

describe('preload', () => {
  it('exposes exactly the contract methods and `on` on window.lab, each bound to its own channel', async () => {
    await import('../../../src/preload/index');
    const api = exposed.lab as Record<string, (p: unknown) => Promise<unknown>>;
    expect(Object.keys(api).sort()).toEqual([...LAB_METHODS, 'on'].sort());
    expect(Object.isFrozen(api)).toBe(true);
    await api['calls/get']!({ id: 'x' });
    expect(invoked).toEqual([['calls/get', { id: 'x' }]]);
    expect(() => (api.on as unknown as (e: string, l: () => void) => void)('fs/read', () => {})).toThrow(/unknown event/);
  });
});

describe('IPC host', () => {
  beforeEach(() => handlers.clear());
  it('registers one handler per contract method and refuses other frames', async () => {
    const { registerIpc } = await import('../../../src/main/host/electron-ipc');
    const mainFrame = {};
    const contents = { mainFrame, isDestroyed: () => false, send: () => {} };
    const lab = {
      handlers: Object.fromEntries(LAB_METHODS.map((m) => [m, async () => ({ ok: true, value: m })])),
      onEvent: () => () => {},
    };
    const off = registerIpc(lab as never, contents as never);
    expect([...handlers.keys()].sort()).toEqual([...LAB_METHODS].sort());
    const get = handlers.get('app/info')!;
    expect(await get({ sender: contents, senderFrame: mainFrame }, null)).toEqual({ ok: true, value: 'app/info' });
    expect(await get({ sender: contents, senderFrame: {} }, null)).toEqual({ ok: false, error: 'request from an unexpected frame' });
    expect(await handlers.get('calls/get')!({ sender: contents, senderFrame: mainFrame }, { id: 7 })).toMatchObject({ ok: false });
    off();
    expect(handlers.size).toBe(0);
  });
});
