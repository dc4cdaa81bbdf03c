/**
 * Secrets in case files (issue 13 item 1): `${env:NAME}` (an environment variable) and
 * `${keychain:account}` (the OS keychain, service `cxone-sip-lab`, as `lab secret set` stores it).
 * They are resolved only into the copy of the case that runs; the loaded case keeps the
 * placeholders, and every value resolved is added to a {@link Redactor} that scrubs step details
 * and reports, so a secret never reaches history, a report or a log.
 */
import { getSecret } from '../secrets/keychain';

/** A secret placeholder that cannot be resolved (unset variable, no keychain entry, no keychain). */
export class SecretError extends Error {
  override readonly name = 'SecretError';
}

/** Replaces every known secret value in a text by `***`. */
export class Redactor {
  private readonly values = new Set<string>();

  /** Adds a value to scrub (values shorter than 3 characters are not scrubbed: they would garble text). */
  add(value: string): void {
    if (value.length >= 3) this.values.add(value);
  }

  /** The text with every secret replaced by `***`. */
  scrub(text: string): string {
    let out = text;
    for (const v of this.values) out = out.split(v).join('***');
    return out;
  }

  /** True when no secret was resolved. */
  get empty(): boolean {
    return this.values.size === 0;
  }
}

/** How a placeholder is looked up (injectable for tests and hosts without a keychain). */
export interface SecretLookup {
  env(name: string): string | undefined;
  keychain(account: string): Promise<string | null>;
}

/** The process environment and the OS keychain. */
export const defaultSecretLookup: SecretLookup = {
  env: (name) => process.env[name],
  keychain: (account) => getSecret(account),
};

const PLACEHOLDER = /\$\{(env|keychain):([^}]+)\}/g;

/**
 * Resolves the secret placeholders of every string in `value` (recursively), returning a copy.
 * @throws {@link SecretError} naming the placeholder (never a value) when it cannot be resolved.
 */
export async function resolveSecrets<T>(value: T, redactor: Redactor, lookup: SecretLookup = defaultSecretLookup): Promise<T> {
  if (typeof value === 'string') {
    if (!value.includes('${')) return value;
    const found = [...value.matchAll(PLACEHOLDER)];
    let out: string = value;
    for (const m of found) {
      const [whole, kind, nameRaw] = m;
      const name = nameRaw!.trim();
      let secret: string | null | undefined;
      if (kind === 'env') {
        secret = lookup.env(name);
        if (secret === undefined || secret === '') throw new SecretError(`\${env:${name}}: the environment variable ${name} is not set`);
      } else {
        try {
          secret = await lookup.keychain(name);
        } catch (e) {
          throw new SecretError(`\${keychain:${name}}: the keychain cannot be read: ${(e as Error).message}`);
        }
        if (secret === null || secret === '') throw new SecretError(`\${keychain:${name}}: no secret for account "${name}" in the keychain (store it with: lab secret set ${name})`);
      }
      redactor.add(secret);
      out = out.replace(whole!, () => secret);
    }
    return out as T;
  }
  if (Array.isArray(value)) return (await Promise.all(value.map((v) => resolveSecrets(v, redactor, lookup)))) as T;
  if (value && typeof value === 'object') {
    const entries = await Promise.all(Object.entries(value as Record<string, unknown>).map(async ([k, v]) => [k, await resolveSecrets(v, redactor, lookup)] as const));
    return Object.fromEntries(entries) as T;
  }
  return value;
}
