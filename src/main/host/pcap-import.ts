/**
 * pcap/pcapng import from the dashboard (`import/pcap`, issue 6): the renderer sends the file's
 * bytes (base64, at most {@link MAX_IMPORT_BYTES}); the capture's calls are rebuilt, verified under
 * the chosen profile (built-in or custom) and kept in history as a run of kind `import`.
 */
import { basename } from 'node:path';
import type { PcapImportRequest, PcapImportResult } from '../../shared/contract';
import type { ImportSummary } from '../import/import-capture';
import type { LabRuntime } from '../runtime/lab-runtime';

import { MAX_IMPORT_BYTES } from '../../shared/contract-schemas';

/** The largest capture imported from the dashboard (bytes): the contract's limit, 50 MB. */
export { MAX_IMPORT_BYTES };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Imports a capture sent as base64.
 * as an `import` run on the runtime (its calls are announced on the runtime's event stream).
 * @returns the run id and each call's contact-id verdict; a damaged file yields the calls found before the damage and `error`.
 * @throws Error when the text is not base64, the capture is larger than `maxBytes`, is empty, the
 *   profile is unknown, or history refuses the writes.
 */
export async function importPcapUpload(runtime: LabRuntime, req: PcapImportRequest, maxBytes: number = MAX_IMPORT_BYTES): Promise<PcapImportResult> {
  if (!BASE64.test(req.base64) || req.base64.length % 4 !== 0) throw new Error('the capture is not valid base64');
  const bytes = Buffer.from(req.base64, 'base64');
  if (bytes.length === 0) throw new Error('the capture is empty');
  if (bytes.length > maxBytes) throw new Error(`the capture is too large (${bytes.length} bytes, limit ${maxBytes})`);
  const fileName = basename(req.fileName.replace(/\\/g, '/')) || 'capture.pcap';
  const s = await runtime.run<ImportSummary & { kind: string }>('import', { bytes: new Uint8Array(bytes), fileName, profile: req.profile });
  return {
    ok: s.ok,
    runId: s.runId,
    file: s.file,
    format: s.format,
    frames: s.frames,
    sipMessages: s.sipMessages,
    calls: s.calls.map((c) => ({
      callRef: c.callRef,
      callId: c.callId,
      from: c.from,
      to: c.to,
      state: c.state,
      messages: c.messages,
      contactId: c.verdict.value,
      verdictOk: c.verdict.ok,
      verdictReason: c.verdict.ok ? null : c.verdict.problems.join('; ') || 'no contact id',
    })),
    error: s.error,
  };
}
