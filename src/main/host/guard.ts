/**
 * Wraps a contract handler so it never rejects: its value becomes `{ ok: true, value }`, an
 * exception a typed error result (`errFrom`: `{ kind, message, hint }`, shared/errors.ts). Electron
 * keeps only the message of a rejected IPC promise, so handlers return results (design.md §4).
 */
import { errFrom, ok, type Result } from '../../shared/result';

/** @returns the handler as one that resolves to a Result and never rejects. */
export const guard =
  <P, T>(fn: (p: P) => Promise<T> | T) =>
  async (p: P): Promise<Result<T>> => {
    try {
      return ok(await fn(p));
    } catch (e) {
      return errFrom<T>(e);
    }
  };
