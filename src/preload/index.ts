/**
 * The preload: exposes exactly the contract's methods and events on `window.lab` (contract.ts
 * `LabApi`) and nothing else — no generic invoke, no ipcRenderer, no Node.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { LAB_EVENTS, LAB_METHODS, type WireEventName } from '../shared/contract';

const api: Record<string, unknown> = {};
for (const method of LAB_METHODS) {
  api[method] = (payload: unknown) => ipcRenderer.invoke(method, payload);
}
api.on = (event: WireEventName, listener: (payload: unknown) => void) => {
  if (!(LAB_EVENTS as readonly string[]).includes(event)) throw new Error(`unknown event ${String(event)}`);
  const handler = (_e: unknown, name: string, payload: unknown): void => {
    if (name === event) listener(payload);
  };
  ipcRenderer.on('lab:event', handler);
  return () => ipcRenderer.removeListener('lab:event', handler);
};

contextBridge.exposeInMainWorld('lab', Object.freeze(api));
