/**
 * pcap/pcapng import as a run kind (issue 6, issue 11): rebuilds a capture's calls, verifies each
 * INVITE's contact id, keeps them in the runtime's history as a run of kind `import`, and announces
 * the run and each imported call on the runtime's event stream (import/import-capture.ts does the work).
 */
import { basename } from 'node:path';
import { z } from 'zod';
import { LabError } from '../../shared/errors';
import { importCapture, importCaptureFile } from '../import/import-capture';
import { defineRun, type RunContext, type RunOutcome } from './types';

/** Options of an import run: a file path, or the bytes with their file name (the dashboard's upload). */
export const importOptionsSchema = z.object({
  /** Profile each INVITE is verified under (built-in or custom). */
  profile: z.string().min(1),
  /** Path of the capture. */
  file: z.string().min(1).optional(),
  /** The capture's bytes (instead of `file`). */
  bytes: z.instanceof(Uint8Array).optional(),
  /** Name shown for the file (default: the path's base name). */
  fileName: z.string().min(1).optional(),
});

/** Options of an import run as given. */
export type ImportRunOptions = z.input<typeof importOptionsSchema>;

/**
 * Imports a capture into the runtime's history (nothing is kept without one).
 * @returns the import summary (`--json` shape of `lab import`).
 * @throws LabError `usage` without `file` or `bytes`, or for an unknown profile; Error for an unreadable file.
 */
export async function runImportOn(ctx: RunContext, opts: z.output<typeof importOptionsSchema>): Promise<RunOutcome> {
  const profile = ctx.profile(opts.profile);
  if (!opts.file && !opts.bytes) throw new LabError('usage', 'give the capture: a file or its bytes');
  const store = ctx.store;
  const summary = opts.bytes
    ? importCapture(opts.bytes, { profile, store, fileName: opts.fileName ?? 'capture.pcap' })
    : importCaptureFile(opts.file!, { profile, store, fileName: opts.fileName ?? basename(opts.file!) });
  // The capture's rows were written in one go by the import: announce them once each.
  if (store && summary.runId) {
    ctx.events.emit('run/started', { runId: summary.runId, kind: 'import', profile: profile.id, transport: null, startedWallMs: Date.now() });
    for (const c of store.listCalls({ runId: summary.runId, limit: summary.calls.length || 1 })) ctx.events.emit('call/started', c);
  }
  return Object.defineProperty(summary, 'kind', { value: 'import', enumerable: false }) as unknown as RunOutcome;
}

/** The `import` kind. */
export const importRun = defineRun({ kind: 'import', options: importOptionsSchema, run: runImportOn });
