/**
 * The value every contract method resolves to. Errors travel as values because Electron keeps only
 * the message of a rejected IPC promise (style.md). A failure carries the typed error of
 * errors.ts: `error` is its message (what older clients show), `kind` and `hint` the rest.
 */
import { formatLabError, toLabError, type ErrorKind } from './errors';

/** A method's outcome: the value, or a typed error (`kind` absent on failures made before issue 11: `internal`). */
export type Result<T> = { ok: true; value: T } | { ok: false; error: string; kind?: ErrorKind; hint?: string | null };

/** Wraps a value as a successful {@link Result}. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** Wraps an error message (and its kind and hint) as a failed {@link Result}. */
export function err<T = never>(error: string, kind: ErrorKind = 'internal', hint: string | null = null): Result<T> {
  return { ok: false, error, kind, hint };
}

/** A failed {@link Result} from anything thrown, classed by {@link toLabError}. */
export function errFrom<T = never>(e: unknown): Result<T> {
  const info = toLabError(e);
  return { ok: false, error: info.message, kind: info.kind, hint: info.hint };
}

/** How a failed Result reads in the dashboard (the same words as the CLI's `error:` line). */
export function errorText(r: { error: string; kind?: ErrorKind; hint?: string | null }): string {
  return formatLabError({ kind: r.kind ?? 'internal', message: r.error, hint: r.hint ?? null });
}
