/**
 * The value every contract method resolves to. Errors travel as values because Electron keeps only
 * the message of a rejected IPC promise (style.md).
 */
export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

/** Wraps a value as a successful {@link Result}. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** Wraps an error message as a failed {@link Result}. */
export function err<T = never>(error: string): Result<T> {
  return { ok: false, error };
}
