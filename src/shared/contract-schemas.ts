/**
 * The zod schemas of every contract payload (issue 11 item 3): the source of the request types
 * (contract.ts infers them with `z.infer`) and of the validation the hosts apply to whatever the
 * renderer, or a WebSocket client, sends (host/dispatch.ts). Pure zod: shared by main, preload and
 * renderer. Secrets are write-only fields of the settings inputs; errors never echo a value.
 */
import { z } from 'zod';
import { SIGNAL_PARAM_NAMES } from './types';

// No code generation: the renderer's CSP forbids eval, which zod's JIT would probe for.
z.config({ jitless: true });

/** The report formats of `reports/export`. */
export const EXPORT_FORMATS = ['html', 'json', 'junit', 'markdown', 'pcap'] as const;

/** The largest capture imported from the dashboard (bytes): 50 MB. */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;
/** Base64 characters of {@link MAX_IMPORT_BYTES} bytes. */
const MAX_IMPORT_BASE64 = Math.ceil(MAX_IMPORT_BYTES / 3) * 4;

export const signalParamsSchema = z.object(Object.fromEntries(SIGNAL_PARAM_NAMES.map((n) => [n, z.string().max(4096).optional()])) as Record<(typeof SIGNAL_PARAM_NAMES)[number], z.ZodOptional<z.ZodString>>).strict();
const id = z.string().min(1).max(200);
export const byIdSchema = z.object({ id }).strict();
export const limitSchema = z.object({ limit: z.number().int().min(1).max(10_000).optional() }).strict();
const sipTransport = z.enum(['udp', 'tcp', 'tls']);
const header = z.object({ name: z.string().min(1).max(100), value: z.string().max(1024) }).strict();
const profileId = z.string().min(1).max(100);

/** An id of a setting: what the store keys it by. */
export const settingId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, { error: 'must be 1-64 letters, digits, "-" or "_"' });
/** Secrets as the renderer sends them: non-empty, no line breaks (they go in HTTP bodies and headers). */
const secret = z.string().min(1).max(4096).refine((v) => !/[\r\n\0]/.test(v), { error: 'must not contain CR, LF or NUL' });
const host = z.string().trim().min(1).max(255).regex(/^[A-Za-z0-9.:_-]+$/, { error: 'must be a host name or an IP address' });

/** A CXone connection as the renderer sends it to save (id optional; secrets write-only). */
export const connectionInputSchema = z.strictObject({
  id: settingId.optional(),
  name: z.string().max(80),
  auth: z.enum(['access-key', 'oauth-password']),
  area: z.string().max(20).nullable(),
  issuer: z.string().max(300).nullable(),
  apiBase: z.string().max(300).nullable(),
  apiVersion: z.string().max(20),
  pathStyle: z.enum(['incontactapi', 'inContactAPI']),
  accessKeyId: z.string().max(200),
  clientId: z.string().max(200).nullable(),
  accessKeySecret: secret.optional(),
  clientSecret: secret.optional(),
  clearSecrets: z.array(z.enum(['accessKeySecret', 'clientSecret'])).max(2).optional(),
});

/** A SIP listener of the settings (stored and sent alike: it has no secret). */
export const listenerSettingSchema = z.strictObject({
  id: settingId,
  transport: sipTransport,
  host,
  port: z.number().int().min(0).max(65535),
  advertiseHost: host.nullable(),
  profile: z.string().min(1).max(40),
  enabled: z.boolean(),
});
/** A listener to save: id optional. */
export const listenerInputSchema = listenerSettingSchema.extend({ id: settingId.optional() });

/** A trunk to save: id optional, password write-only. */
export const trunkInputSchema = z.strictObject({
  id: settingId.optional(),
  name: z.string().max(80),
  host: z.string().max(255),
  port: z.number().int().min(0).max(65535),
  transport: sipTransport,
  domain: z.string().max(255).nullable(),
  username: z.string().max(100).nullable(),
  register: z.boolean(),
  password: secret.optional(),
  clearPassword: z.boolean().optional(),
});

/**
 * A call placed by the app as CXone (design.md §2, mode 2; mode 3 when `target` is empty): the
 * emulated child script PLACECALLs `target` with `headers` put by SIPPUTHEADER. `headers` null:
 * the profile's (`{contactId}`, `{masterId}`, `{childId}` in a value are filled in); `trunkId`
 * null: straight to the target; `botSignals`: the built-in bot signals by itself (true) or holds
 * the call for the dashboard's Signal (false).
 */
export const placeCallRequestSchema = z
  .object({
    target: z.string().max(512),
    profile: profileId,
    transport: sipTransport,
    headers: z.array(header).max(32).nullable(),
    trunkId: z.string().min(1).max(100).nullable(),
    botSignals: z.boolean(),
  })
  .strict();

/** A Signal for a call (`callRef`) or a bare contact id, through the emulator or a connection of the settings. */
export const sendSignalRequestSchema = z
  .object({
    callRef: id.optional(),
    contactId: z.string().max(100).optional(),
    params: signalParamsSchema,
    connectionId: z.string().min(1).max(100).nullable().optional(),
    profile: profileId.optional(),
  })
  .strict();

/** A page of the history search (issue 5 item 5): prefix matches for ids, substring (≥ 3 characters) for numbers; times Unix ms. */
export const historySearchRequestSchema = z
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
  .strict();

/** Reports of a run or of calls, in the given formats, phones and IPs redacted on request. */
export const reportExportRequestSchema = z
  .object({
    selection: z.union([z.object({ runId: id }).strict(), z.object({ callIds: z.array(id).min(1).max(10_000) }).strict()]),
    formats: z.array(z.enum(EXPORT_FORMATS)).min(1).max(EXPORT_FORMATS.length),
    redact: z.object({ phoneNumbers: z.boolean(), ipAddresses: z.boolean() }).strict(),
  })
  .strict();

/** A capture sent from the dashboard as base64 (at most {@link MAX_IMPORT_BYTES} bytes). */
export const pcapImportRequestSchema = z
  .object({
    fileName: z.string().min(1).max(255),
    profile: profileId,
    base64: z.string().min(1).max(MAX_IMPORT_BASE64, `the capture is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB`),
  })
  .strict();

/**
 * A dashboard monitor: the embedded handoff every `everyMs` (≥ 1000 ms) with emulator fault specs,
 * or (`scenario: 'test'`, issue 13 item 7) the test case files or folders of `paths`.
 */
export const monitorStartRequestSchema = z
  .object({
    scenario: z.enum(['handoff', 'test']),
    paths: z.array(z.string().trim().min(1).max(4096)).max(100).optional(),
    profile: profileId,
    transport: z.enum(['udp', 'tcp']),
    everyMs: z.number().int().min(1000).max(7 * 24 * 3600_000),
    faults: z.array(z.string().min(1).max(100)).max(16),
  })
  .strict();
