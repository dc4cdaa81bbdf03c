/**
 * zod schemas of the dashboard's settings (issue 5 item 6): CXone connections, SIP listeners,
 * trunks. Two shapes each: what is stored in SQLite (strict: no secret field can slip in) and what
 * the renderer may send to save (the stored shape plus write-only secrets).
 *
 * @remarks Areas and issuers per cxone-reference.md §1a (`{area}.nice-incontact.com`, areas na1,
 * au1, eu1…) and §1b (issuers such as `https://cxone.niceincontact.com`); API versions and path
 * styles per §1c/§2.
 */
import { z } from 'zod';
import { connectionInputSchema, listenerInputSchema, listenerSettingSchema, trunkInputSchema } from '../../shared/contract-schemas';

/** An id of a setting: what the store keys it by. */
export const settingId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, { error: 'must be 1-64 letters, digits, "-" or "_"' });

/** A CXone area as in `{area}.nice-incontact.com`: two or three letters and a number (`na1`, `eu1`, `au1`). */
export const AREA_PATTERN = /^[a-z]{2,3}\d{1,2}$/;

const httpUrl = z
  .string()
  .max(300)
  .refine(
    (v) => {
      try {
        const u = new URL(v);
        return (u.protocol === 'https:' || u.protocol === 'http:') && !u.search && !u.hash && !u.username && !u.password;
      } catch {
        return false;
      }
    },
    { error: 'must be an http(s) URL without query, fragment or user info' },
  );

/** A CXone connection as stored (no secret). */
export const connectionStored = z
  .strictObject({
    id: settingId,
    name: z.string().trim().min(1).max(80),
    auth: z.enum(['access-key', 'oauth-password']),
    area: z.string().regex(AREA_PATTERN, { error: 'must look like na1, eu1 or au1' }).nullable(),
    issuer: httpUrl.nullable(),
    apiBase: httpUrl.nullable(),
    apiVersion: z.string().regex(/^v\d{1,3}\.\d{1,3}$/, { error: 'must look like v30.0' }),
    pathStyle: z.enum(['incontactapi', 'inContactAPI']),
    accessKeyId: z.string().trim().min(1).max(200),
    clientId: z.string().trim().min(1).max(200).nullable(),
  })
  .superRefine((c, ctx) => {
    if (c.auth === 'access-key' && !c.area && !c.apiBase) {
      ctx.addIssue({ code: 'custom', path: ['area'], message: 'give the area (e.g. na1) or an API base URL' });
    }
    if (c.auth === 'oauth-password') {
      if (!c.issuer) ctx.addIssue({ code: 'custom', path: ['issuer'], message: 'OAuth needs the issuer, e.g. https://cxone.niceincontact.com' });
      if (!c.clientId) ctx.addIssue({ code: 'custom', path: ['clientId'], message: 'OAuth needs the client id' });
    }
  });
export type ConnectionStored = z.output<typeof connectionStored>;

/** A connection as the renderer sends it to save (id optional; secrets write-only): the contract's schema. */
export const connectionInput = connectionInputSchema;

const transport = z.enum(['udp', 'tcp', 'tls']);
const host = z.string().trim().min(1).max(255).regex(/^[A-Za-z0-9.:_-]+$/, { error: 'must be a host name or an IP address' });

/** A SIP listener of the settings (stored and sent alike: it has no secret): the contract's schema. */
export const listenerSetting = listenerSettingSchema;
export type ListenerStored = z.output<typeof listenerSetting>;

/** A listener to save: id optional. */
export const listenerInput = listenerInputSchema;

/** A SIP trunk as stored (no password). */
export const trunkStored = z.strictObject({
  id: settingId,
  name: z.string().trim().min(1).max(80),
  host,
  port: z.number().int().min(1).max(65535),
  transport,
  domain: host.nullable(),
  username: z.string().trim().min(1).max(100).regex(/^[^\s@:]+$/, { error: 'must not contain spaces, "@" or ":"' }).nullable(),
  register: z.boolean(),
});
export type TrunkStored = z.output<typeof trunkStored>;

/** A trunk to save: id optional, password write-only: the contract's schema. */
export const trunkInput = trunkInputSchema;

/** `path: message; …` of a zod error, for a Result's error. */
export function describeIssues(what: string, error: z.ZodError): string {
  return `invalid ${what}: ${error.issues.map((i) => `${i.path.join('.') || '(value)'}: ${i.message}`).join('; ')}`;
}

/** Empty or blank strings of optional text fields become null (a form sends `''` for "none"). */
export function blankToNull(v: string | null | undefined): string | null {
  return v === undefined || v === null || v.trim() === '' ? null : v.trim();
}
