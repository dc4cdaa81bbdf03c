/**
 * The Electron host of the contract: one `ipcMain.handle` per contract method (no generic channel),
 * payloads validated, results returned as values; events pushed to the window on `lab:event`.
 */
import { ipcMain, type WebContents } from 'electron';
import { LAB_METHODS } from '../../shared/contract';
import type { Lab } from '../lab';
import { dispatch } from './dispatch';

/** The channel events travel on, main → renderer. */
export const EVENT_CHANNEL = 'lab:event';

/**
 * Registers the contract's handlers and forwards events to `contents`.
 * Requests from any frame other than the window's main frame are refused.
 * @returns a function that removes the handlers and the event forwarding.
 */
export function registerIpc(lab: Lab, contents: WebContents): () => void {
  for (const method of LAB_METHODS) {
    ipcMain.handle(method, (event, payload: unknown) => {
      if (event.sender !== contents || event.senderFrame !== contents.mainFrame) {
        return { ok: false, error: 'request from an unexpected frame' };
      }
      return dispatch(lab.handlers, method, payload);
    });
  }
  const off = lab.onEvent((name, payload) => {
    if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, name, payload);
  });
  return () => {
    off();
    for (const method of LAB_METHODS) ipcMain.removeHandler(method);
  };
}
