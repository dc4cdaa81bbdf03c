/**
 * Typed errors (issue 11 item 3): `{ kind, message, hint }` with `kind` from a closed set, shown the
 * same way by the CLI, the dashboard and the reports ({@link formatLabError}). Plain data, so it
 * crosses IPC and WebSocket unchanged (Electron keeps only a rejected error's message).
 */

/** The closed set of error kinds. */
export const ERROR_KINDS = [
  /** Bad arguments or options (a CLI flag, a contract payload, an unknown profile). */
  'usage',
  /** The machine is not set up: a port taken, a file missing, a certificate unreadable, the keychain locked. */
  'set-up',
  /** The SIP peer: a rejected or failed call, a transport error, an auth challenge not met. */
  'sip',
  /** CXone authentication: token refused, wrong key, OAuth failure. */
  'cxone-auth',
  /** A CXone Signal or contact call failed. */
  'cxone-signal',
  /** History (SQLite) could not be opened, migrated, read or written. */
  'storage',
  /** What was asked for does not exist (a call, a run, a monitor, a recording). */
  'not-found',
  /** The run was stopped (Ctrl-C, monitor stop). */
  'aborted',
  /** A bug: anything not classed above. */
  'internal',
] as const;

/** One of {@link ERROR_KINDS}. */
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** An error as it crosses front-ends. `hint`: what the user can do about it, or null. */
export interface LabErrorInfo {
  kind: ErrorKind;
  message: string;
  hint: string | null;
}

/** An Error that carries its kind and hint (thrown in the main process; crosses as {@link LabErrorInfo}). */
export class LabError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly hint: string | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LabError';
  }

  /** The plain view of this error. */
  info(): LabErrorInfo {
    return { kind: this.kind, message: this.message, hint: this.hint };
  }
}

/** True when `v` has the shape of a {@link LabErrorInfo}. */
export function isLabErrorInfo(v: unknown): v is LabErrorInfo {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.message === 'string' && typeof o.kind === 'string' && (ERROR_KINDS as readonly string[]).includes(o.kind);
}

/**
 * Classes anything thrown: a LabError keeps its kind; other errors are classed by their name
 * (zod → usage, history open/migration → storage, EADDRINUSE and friends → set-up), else internal.
 */
export function toLabError(e: unknown): LabErrorInfo {
  if (e instanceof LabError) return e.info();
  if (isLabErrorInfo(e)) return { kind: e.kind, message: e.message, hint: e.hint ?? null };
  const err = e instanceof Error ? e : new Error(String(e));
  const code = (err as { code?: unknown }).code;
  if (err.name === 'ZodError') return { kind: 'usage', message: err.message, hint: null };
  if (err.name === 'HistoryOpenError' || err.name === 'MigrationMismatchError' || err.name === 'SqliteError') {
    return { kind: 'storage', message: err.message, hint: null };
  }
  if (code === 'EADDRINUSE') return { kind: 'set-up', message: err.message, hint: 'choose another port, or stop what holds it' };
  if (code === 'EACCES' || code === 'ENOENT' || code === 'EADDRNOTAVAIL') return { kind: 'set-up', message: err.message, hint: null };
  if (err.name === 'AbortError') return { kind: 'aborted', message: err.message, hint: null };
  return { kind: 'internal', message: err.message, hint: null };
}

/**
 * One line for a terminal, the dashboard or a report, the same everywhere: the message, then the
 * hint after a dash, then the kind in brackets (left out for `internal`), e.g.
 * `port 5060 is in use — choose another port, or stop what holds it [set-up]`.
 */
export function formatLabError(e: LabErrorInfo): string {
  const hint = e.hint ? ` — ${e.hint}` : '';
  const kind = e.kind === 'internal' ? '' : ` [${e.kind}]`;
  return `${e.message}${hint}${kind}`;
}
