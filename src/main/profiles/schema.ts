/**
 * Validation of user-edited or imported vendor profiles (design.md §3) with a zod 4 schema.
 * Built-in profiles pass it too (tested).
 *
 * @remarks Header names follow what SIPPUTHEADER can send: only names beginning `X-` [H-PUT], and the
 * character set Synthflow documents, `^X-[A-Za-z0-9\-_]+$` [SYN pass-call-context]. Values may not
 * contain CR, LF or NUL [SYN pass-call-context]; a header or query value with them would break the
 * SIP message or the Signal URL.
 */
import { z } from 'zod';
import { PROFILE_RULE_FIELDS, type VendorProfile } from '../../shared/profile';
import { SIGNAL_PARAM_NAMES } from '../../shared/types';
import { legacyTopology, normalizeTopology } from './topology';

/** Header names SIPPUTHEADER can send [H-PUT], in the character set of [SYN pass-call-context]. */
export const X_HEADER_NAME = /^X-[A-Za-z0-9\-_]+$/;

/** CR, LF or NUL: never allowed in a header value or a Signal parameter. */
export const FORBIDDEN_VALUE_CHARS = /[\r\n\0]/;

const headerName = z
  .string()
  .regex(X_HEADER_NAME, {
    error: 'must start with "X-" and then use only letters, digits, "-" and "_" (SIPPUTHEADER sends only X- headers)',
  });

const cleanValue = z.string().refine((v) => !FORBIDDEN_VALUE_CHARS.test(v), {
  error: 'must not contain CR, LF or NUL',
});

const signalParamsShape = Object.fromEntries(SIGNAL_PARAM_NAMES.map((n) => [n, cleanValue.optional()])) as Record<
  (typeof SIGNAL_PARAM_NAMES)[number],
  z.ZodOptional<typeof cleanValue>
>;

function isValidRegExp(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

/** A rule's source: seed, NICE doc, RFC, or assumed (with why). */
export const ruleSourceSchema = z
  .strictObject({
    kind: z.enum(['seed', 'nice', 'rfc', 'assumed']),
    ref: z.string().trim().min(1, { error: 'must name the seed file, NICE doc tag, RFC section or what is assumed' }),
    why: z.string().optional(),
  })
  .refine((s) => s.kind !== 'assumed' || (s.why ?? '').trim() !== '', { error: 'an assumed rule must say why', path: ['why'] });

/** A script topology (issue 14); under `single` both settings are forced to `main`. */
export const scriptTopologySchema = z.strictObject({
  kind: z.enum(['single', 'main-spawn', 'parent-child']),
  headerHolds: z.enum(['main', 'placer']),
  onSignalIn: z.enum(['main', 'placer']),
});

const placeCallSchema = z.strictObject({
  requireTls: z.boolean().optional(),
  e164: z.boolean().optional(),
  mustMatch: z.string().optional(),
  botNumber: z.string().trim().min(1).optional(),
});

const sourcesShape = Object.fromEntries(PROFILE_RULE_FIELDS.map((f) => [f, ruleSourceSchema.optional()])) as Record<
  (typeof PROFILE_RULE_FIELDS)[number],
  z.ZodOptional<typeof ruleSourceSchema>
>;

/**
 * zod schema of a {@link VendorProfile}. Unknown fields are rejected (a misspelt field would
 * otherwise be dropped silently). `expectedP1`, `extraHeaders`, `placeCall`, `sources` and `notes`
 * default to empty. `topology` defaults from the legacy `signalTarget` (parent/child with the header
 * and ONSIGNAL on that contact), else parent/child with both on the parent; `signalTarget` is dropped.
 */
export const vendorProfileSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, {
        error: 'must be 1-40 characters: lower-case letters, digits, "-" or "_" (it is used on the CLI)',
      }),
    name: z.string().trim().min(1, { error: 'must not be empty' }).max(80),
    contactIdHeaders: z.array(headerName).min(1, { error: 'must list at least one header name' }),
    headerCaseSensitive: z.boolean(),
    valuePattern: z
      .string()
      .min(1, { error: 'must not be empty' })
      .refine(isValidRegExp, { error: 'is not a valid regular expression' }),
    expectedP1: z
      .array(cleanValue.refine((v) => v.trim() !== '', { error: 'must not be empty' }))
      .default([]),
    defaultSignal: z
      .strictObject(signalParamsShape)
      .refine((s) => (s.p1 ?? '').trim() !== '', { error: 'p1 must be present and non-empty', path: ['p1'] }),
    auth: z.enum(['access-key', 'oauth-password']),
    apiVersion: z.string().regex(/^v\d{1,3}\.\d{1,3}$/, { error: 'must look like "v28.0"' }),
    pathStyle: z.enum(['incontactapi', 'inContactAPI']),
    hangsUp: z.enum(['bot', 'cxone']),
    topology: scriptTopologySchema.optional(),
    signalTarget: z.enum(['master', 'child']).optional(),
    placeCall: placeCallSchema.default({}),
    extraHeaders: z.array(z.strictObject({ name: headerName, value: cleanValue })).default([]),
    sources: z.strictObject(sourcesShape).default({}),
    notes: z.string().default(''),
  })
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.contactIdHeaders.forEach((name, i) => {
      if (seen.has(name)) {
        ctx.addIssue({ code: 'custom', path: ['contactIdHeaders', i], message: `"${name}" is listed twice` });
      }
      seen.add(name);
    });
    const idNames = new Set(p.contactIdHeaders.map((n) => n.toLowerCase()));
    p.extraHeaders.forEach((h, i) => {
      if (idNames.has(h.name.toLowerCase())) {
        ctx.addIssue({
          code: 'custom',
          path: ['extraHeaders', i, 'name'],
          message: `"${h.name}" is a contact-id header of this profile; sending it again would repeat the header`,
        });
      }
    });
  })
  .transform((p): VendorProfile => {
    // Legacy profiles (before issue 14) carry signalTarget instead of a topology.
    const topology = normalizeTopology(p.topology ?? legacyTopology(p.signalTarget ?? 'master'));
    const { signalTarget: _legacy, ...rest } = p;
    return { ...rest, topology } as VendorProfile;
  });

// Compile-time check that the schema's output is a VendorProfile.
const _schemaMatchesType: (p: z.output<typeof vendorProfileSchema>) => VendorProfile = (p) => p;

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out === '' ? '(profile)' : out;
}

/**
 * Validates a profile read from the user, a file or the history store.
 * @param input - anything (parsed JSON).
 * @returns `{ ok: true, value }` with defaults filled in, or `{ ok: false, error }` where `error`
 *   lists every bad field as `path: message`, separated by `; `. Never throws.
 */
export function parseProfile(input: unknown): { ok: true; value: VendorProfile } | { ok: false; error: string } {
  const r = vendorProfileSchema.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  const lines = r.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
  return { ok: false, error: `invalid profile: ${lines.join('; ')}` };
}

/**
 * A per-run or per-case override of a profile's script topology (issue 14): any of `kind`,
 * `headerHolds`, `onSignalIn`; the fields not given come from the profile.
 */
export const topologyOverrideSchema = scriptTopologySchema.partial();
