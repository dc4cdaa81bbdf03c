/**
 * Validation of every payload that crosses into the main process (IPC or WebSocket): the renderer,
 * or whatever speaks to the browser host, is not trusted to send the contract's shapes.
 */
import { z } from 'zod';
import type { LabMethod, LabPayload } from '../../shared/contract';
import { SIGNAL_PARAM_NAMES } from '../../shared/types';

const signalParams = z
  .object(Object.fromEntries(SIGNAL_PARAM_NAMES.map((n) => [n, z.string().max(4096).optional()])))
  .strict();

const schemas: { [M in LabMethod]: z.ZodType<LabPayload<M>> } = {
  'app/info': z.null(),
  'profiles/list': z.null(),
  'calls/list': z.object({ limit: z.number().int().min(1).max(10_000).optional() }).strict(),
  'calls/get': z.object({ id: z.string().min(1).max(200) }).strict(),
  'calls/placeEmulated': z
    .object({ profile: z.string().min(1).max(100), transport: z.enum(['udp', 'tcp']), botSignals: z.boolean() })
    .strict(),
  'calls/hangup': z.object({ id: z.string().min(1).max(200) }).strict(),
  'signals/send': z
    .object({
      callRef: z.string().min(1).max(200),
      contactId: z.string().max(100).optional(),
      params: signalParams,
    })
    .strict() as z.ZodType<LabPayload<'signals/send'>>,
};

/**
 * Checks a payload against its method's schema.
 * @returns the typed payload, or an error message naming the bad fields.
 */
export function validatePayload<M extends LabMethod>(
  method: M,
  payload: unknown,
): { ok: true; value: LabPayload<M> } | { ok: false; error: string } {
  const schema = schemas[method] as z.ZodType<LabPayload<M>> | undefined;
  if (!schema) return { ok: false, error: `unknown method ${String(method)}` };
  const r = schema.safeParse(payload === undefined ? null : payload);
  if (r.success) return { ok: true, value: r.data };
  return {
    ok: false,
    error: `invalid ${method} request: ${r.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`).join('; ')}`,
  };
}
