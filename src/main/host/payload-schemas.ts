/**
 * Validation of every payload that crosses into the main process (IPC or WebSocket): the renderer,
 * or whatever speaks to the browser host, is not trusted to send the contract's shapes. The schemas
 * are the contract's own (shared/contract.ts `LAB_CONTRACT`), written once.
 */
import type { z } from 'zod';
import { LAB_CONTRACT, type LabMethod, type LabPayload } from '../../shared/contract';

/**
 * Checks a payload against its method's schema.
 * @returns the typed payload, or an error message naming the bad fields (never echoing a value,
 *   so that a secret sent in a bad request does not come back).
 */
export function validatePayload<M extends LabMethod>(
  method: M,
  payload: unknown,
): { ok: true; value: LabPayload<M> } | { ok: false; error: string } {
  const entry = (LAB_CONTRACT as Partial<Record<string, { payload: z.ZodType }>>)[method];
  const schema = entry?.payload as z.ZodType<LabPayload<M>> | undefined;
  if (!schema) return { ok: false, error: `unknown method ${String(method)}` };
  const r = schema.safeParse(payload === undefined ? null : payload);
  if (r.success) return { ok: true, value: r.data };
  return {
    ok: false,
    error: `invalid ${method} request: ${r.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`).join('; ')}`,
  };
}
