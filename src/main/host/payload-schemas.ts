/**
 * Validation of every payload that crosses into the main process (IPC or WebSocket): the renderer,
 * or whatever speaks to the browser host, is not trusted to send the contract's shapes.
 */
import { z } from 'zod';
import type { LabMethod, LabPayload } from '../../shared/contract';
import { EXPORT_FORMATS } from '../../shared/contract';
import { SIGNAL_PARAM_NAMES } from '../../shared/types';
import { MAX_IMPORT_BYTES } from './pcap-import';
import { connectionInput, listenerInput, trunkInput } from '../settings/schemas';

const signalParams = z
  .object(Object.fromEntries(SIGNAL_PARAM_NAMES.map((n) => [n, z.string().max(4096).optional()])))
  .strict();
const id = z.string().min(1).max(200);
const byId = z.object({ id }).strict();
const limit = z.object({ limit: z.number().int().min(1).max(10_000).optional() }).strict();
const transport = z.enum(['udp', 'tcp', 'tls']);
const header = z.object({ name: z.string().min(1).max(100), value: z.string().max(1024) }).strict();

/** Base64 characters of {@link MAX_IMPORT_BYTES} bytes. */
const MAX_IMPORT_BASE64 = Math.ceil(MAX_IMPORT_BYTES / 3) * 4;
const profileId = z.string().min(1).max(100);

const schemas: { [M in LabMethod]: z.ZodType<LabPayload<M>> } = {
  'app/info': z.null(),
  'profiles/list': z.null(),
  // The profile itself is checked by profiles/schema.ts in the handler, with field-by-field messages.
  'profiles/save': z.object({ profile: z.record(z.string(), z.unknown()) }).strict() as unknown as z.ZodType<LabPayload<'profiles/save'>>,
  'profiles/delete': byId,
  'calls/list': limit,
  'calls/get': byId,
  'calls/place': z
    .object({
      target: z.string().max(512),
      profile: z.string().min(1).max(100),
      transport,
      headers: z.array(header).max(32).nullable(),
      trunkId: z.string().min(1).max(100).nullable(),
      botSignals: z.boolean(),
    })
    .strict(),
  'calls/hangup': byId,
  'calls/dtmf': z.object({ id, digits: z.string().regex(/^[0-9*#A-Da-d]{1,32}$/), method: z.enum(['rfc4733', 'info']) }).strict(),
  'calls/recording': byId,
  'history/search': z
    .object({
      field: z.enum(['any', 'contactId', 'callId', 'number']),
      text: z.string().max(200),
      fromWallMs: z.number().finite().optional(),
      toWallMs: z.number().finite().optional(),
      verdict: z.enum(['any', 'ok', 'fail', 'none']),
      runId: id.optional(),
      offset: z.number().int().min(0).max(10_000_000),
      limit: z.number().int().min(1).max(1000),
    })
    .strict(),
  'history/runs': limit,
  'history/contact': z.object({ contactId: z.string().trim().min(1).max(100) }).strict(),
  'signals/send': z
    .object({
      callRef: id.optional(),
      contactId: z.string().max(100).optional(),
      params: signalParams,
      connectionId: z.string().min(1).max(100).nullable().optional(),
      profile: z.string().min(1).max(100).optional(),
    })
    .strict() as z.ZodType<LabPayload<'signals/send'>>,
  'signals/list': limit,
  'latency/stats': z.object({ profile: z.string().min(1).max(100).optional(), limit: z.number().int().min(1).max(10_000).optional() }).strict(),
  'settings/get': z.null(),
  'settings/saveConnection': connectionInput as z.ZodType<LabPayload<'settings/saveConnection'>>,
  'settings/deleteConnection': byId,
  'settings/testConnection': byId,
  'settings/saveListener': listenerInput as z.ZodType<LabPayload<'settings/saveListener'>>,
  'settings/deleteListener': byId,
  'settings/saveTrunk': trunkInput as z.ZodType<LabPayload<'settings/saveTrunk'>>,
  'settings/deleteTrunk': byId,
  'reports/export': z
    .object({
      selection: z.union([z.object({ runId: id }).strict(), z.object({ callIds: z.array(id).min(1).max(10_000) }).strict()]),
      formats: z.array(z.enum(EXPORT_FORMATS)).min(1).max(EXPORT_FORMATS.length),
      redact: z.object({ phoneNumbers: z.boolean(), ipAddresses: z.boolean() }).strict(),
    })
    .strict(),
  'import/pcap': z
    .object({
      fileName: z.string().min(1).max(255),
      profile: profileId,
      base64: z
        .string()
        .min(1)
        .max(MAX_IMPORT_BASE64, `the capture is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB`),
    })
    .strict(),
  'monitor/start': z
    .object({
      scenario: z.literal('handoff'),
      profile: profileId,
      transport: z.enum(['udp', 'tcp']),
      everyMs: z.number().int().min(1000).max(7 * 24 * 3600_000),
      faults: z.array(z.string().min(1).max(100)).max(16),
    })
    .strict(),
  'monitor/stop': byId,
  'monitor/list': z.null(),
  'monitor/trends': z
    .object({ profile: profileId.optional(), transport: z.string().min(1).max(10).optional(), limit: z.number().int().min(1).max(10_000).optional() })
    .strict(),
};

/**
 * Checks a payload against its method's schema.
 * @returns the typed payload, or an error message naming the bad fields (never echoing a value,
 *   so that a secret sent in a bad request does not come back).
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
