/**
 * Reports written as the run goes (issue 12 §3), so that a crash, SIGKILL, SIGTERM or Ctrl-C
 * leaves a readable report of the calls so far:
 * - {@link JsonLinesJournal}: a JSON-lines file, one line per call as it ends, between a header
 *   line and a final summary line. Each line is written with one `write(2)` as it happens, so a
 *   SIGKILL loses nothing already ended; a line cut by a power loss is skipped by {@link readJournal}.
 * - {@link AtomicJsonReport}: the `--json` file, always a complete JSON document: written to a
 *   temporary file in the same directory and renamed over the report (rename(2) is atomic on one
 *   file system), at most every `minIntervalMs` while calls end (longer for a large report: a
 *   rewrite takes at most ~5 % of the time), and at once on {@link AtomicJsonReport.flush}.
 *
 * The shapes are assumed here (no standard): journal lines are `{ "type": "header" | "call" |
 * "summary", … }` with {@link JOURNAL_FORMAT} in the header.
 */
import { closeSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';

/** The `format` of a journal's header line. */
export const JOURNAL_FORMAT = 'cxone-sip-lab journal 1';

/** How a run ended, as the summary line and the JSON report say. */
export type RunStatus = 'running' | 'complete' | 'interrupted' | 'crashed';

/**
 * An append-only JSON-lines journal.
 * Lines: `{"type":"header","format":…,"startedWallMs":…,"pid":…,…header}`, then one
 * `{"type":"call","seq":n,"wallMs":…,"call":{…}}` per call, then `{"type":"summary","status":…,…}`.
 */
export class JsonLinesJournal {
  private fd: number | null;
  private seq = 0;
  private closed = false;

  /**
   * Creates (truncates) the file and writes the header line.
   * @param file - path of the `.jsonl` file.
   * @param header - what the run is (kind, profile, target…); no secret.
   * @throws the open/write error (a bad path is a set-up error of the command).
   */
  constructor(
    readonly file: string,
    header: Record<string, unknown>,
  ) {
    this.fd = openSync(file, 'w');
    this.line({ type: 'header', format: JOURNAL_FORMAT, startedWallMs: Date.now(), pid: process.pid, ...header });
  }

  /** Appends one ended call. Never throws (a failed write is counted in the summary). */
  call(call: unknown): void {
    this.seq += 1;
    this.line({ type: 'call', seq: this.seq, wallMs: Date.now(), call });
  }

  /** Calls appended so far. */
  get calls(): number {
    return this.seq;
  }

  /**
   * Writes the summary line and closes the file. Idempotent: the first summary wins.
   * @param summary - the run's outcome (ok, counts, interruption).
   */
  finish(status: Exclude<RunStatus, 'running'>, summary: Record<string, unknown> = {}): void {
    if (this.closed) return;
    this.line({ type: 'summary', status, endedWallMs: Date.now(), calls: this.seq, ...summary });
    this.closed = true;
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private line(obj: Record<string, unknown>): void {
    if (this.fd === null) return;
    try {
      writeSync(this.fd, `${JSON.stringify(obj)}\n`);
    } catch {
      // A full disk must not end the run: the summary's count tells what was written.
    }
  }
}

/** A journal as read back: the header, every complete call line, and the summary when there is one. */
export interface JournalContents {
  header: Record<string, unknown> | null;
  calls: unknown[];
  summary: (Record<string, unknown> & { status: RunStatus }) | null;
  /** Lines that did not parse (a line cut by a crash): skipped. */
  badLines: number;
}

/**
 * Reads a journal written by {@link JsonLinesJournal}, even one whose writer was killed (no
 * summary; possibly a cut last line).
 * @throws the read error when the file cannot be read.
 */
export function readJournal(file: string): JournalContents {
  const out: JournalContents = { header: null, calls: [], summary: null, badLines: 0 };
  for (const text of readFileSync(file, 'utf8').split('\n')) {
    if (text.trim() === '') continue;
    let obj: { type?: string; call?: unknown } & Record<string, unknown>;
    try {
      obj = JSON.parse(text) as typeof obj;
    } catch {
      out.badLines += 1;
      continue;
    }
    if (obj.type === 'header') out.header = obj;
    else if (obj.type === 'call') out.calls.push(obj.call);
    else if (obj.type === 'summary') out.summary = obj as JournalContents['summary'];
  }
  return out;
}

/** Options of {@link AtomicJsonReport}. */
export interface AtomicJsonOptions {
  /** Least time between two rewrites while calls end (ms); default 200. The last calls are written by `flush`. */
  minIntervalMs?: number;
  /** false: a summary-only report (no `calls` array; `addCall` ignored), e.g. a load run's. Default true. */
  withCalls?: boolean;
}

const CALLS_MARK = '\u0000calls\u0000';

/**
 * A JSON report `{ …base, calls: [ … ] }` kept complete on disk while calls are added: every write
 * is a temporary file renamed over the report. Calls are serialised once, when added; a rewrite
 * joins the stored texts (cost: the file's size, at most every `minIntervalMs`). The text is the
 * same as `JSON.stringify(report, null, 2)`.
 */
export class AtomicJsonReport {
  private readonly parts: string[] = [];
  private base: Record<string, unknown>;
  private timer: NodeJS.Timeout | null = null;
  private lastWriteMs = 0;
  private readonly minIntervalMs: number;
  /** The gap before the next rewrite: at least minIntervalMs, and 20× the last rewrite's duration, so rewriting a large report takes at most ~5 % of the time. */
  private gapMs: number;
  private done = false;
  private readonly withCalls: boolean;

  /**
   * Writes the first version at once (no calls yet).
   * @param file - the report's path (not `-`).
   * @param base - every field but `calls` (e.g. `{ ok: false, status: 'running', kind: 'answer' }`).
   * @throws the write error (a bad path is a set-up error).
   */
  constructor(
    readonly file: string,
    base: Record<string, unknown>,
    opts: AtomicJsonOptions = {},
  ) {
    this.base = base;
    this.minIntervalMs = opts.minIntervalMs ?? 200;
    this.gapMs = this.minIntervalMs;
    this.withCalls = opts.withCalls ?? true;
    this.writeNow();
  }

  /** Adds a call; the file is rewritten now or within `minIntervalMs`. */
  addCall(call: unknown): void {
    if (this.done || !this.withCalls) return;
    this.parts.push(JSON.stringify(call, null, 2).replace(/\n/g, '\n    '));
    this.schedule();
  }

  /** Replaces fields of the base (e.g. `ok`, `status`); written with the next rewrite. */
  update(fields: Record<string, unknown>): void {
    this.base = { ...this.base, ...fields };
    this.schedule();
  }

  /** Rewrites the file now (synchronously; usable from an `exit` handler). Never throws. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.writeNow();
  }

  /**
   * Writes the final report (the whole object, `calls` included, as given) and stops further
   * rewrites. Synchronous. @throws the write error.
   */
  finish(report: Record<string, unknown>): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.done = true;
    writeAtomically(this.file, `${JSON.stringify(report, null, 2)}\n`);
  }

  private schedule(): void {
    if (this.done || this.timer) return;
    const wait = this.lastWriteMs + this.gapMs - Date.now();
    if (wait <= 0) this.writeNow();
    else {
      this.timer = setTimeout(() => this.flush(), wait);
      this.timer.unref();
    }
  }

  private writeNow(): void {
    if (this.done) return;
    const t0 = performance.now();
    try {
      this.render();
    } finally {
      this.lastWriteMs = Date.now();
      this.gapMs = Math.max(this.minIntervalMs, 20 * (performance.now() - t0));
    }
  }

  private render(): void {
    if (!this.withCalls) {
      try {
        writeAtomically(this.file, `${JSON.stringify(this.base, null, 2)}\n`);
      } catch {
        // as below
      }
      return;
    }
    const skeleton = JSON.stringify({ ...this.base, calls: [CALLS_MARK] }, null, 2);
    const marker = JSON.stringify(CALLS_MARK);
    const text =
      this.parts.length === 0
        ? skeleton.replace(/\[\s*"\\u0000calls\\u0000"\s*\]/, '[]')
        : skeleton.replace(marker, () => this.parts.join(',\n    '));
    try {
      writeAtomically(this.file, `${text}\n`);
    } catch {
      // Keep running: the journal (if any) has every call, and the next write may succeed.
    }
  }
}

/**
 * Replaces `file` with `text` atomically: a temporary file next to it, then rename(2). A reader
 * sees the old or the new content, never a mix.
 * @throws the write or rename error (the temporary file is left for inspection).
 */
export function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}
