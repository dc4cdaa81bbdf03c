/**
 * The settings' view of the OS keychain (src/main/secrets/keychain.ts): one account per secret of a
 * setting, the keychain's status cached for the UI, and nothing else. There is no fallback: when
 * the keychain is unavailable a secret is refused and not stored anywhere (issue 5 item 7,
 * style.md "if the keychain is missing, refuse and explain").
 */
import type { KeychainStatus as KeychainView } from '../../shared/contract';
import { deleteSecret, getSecret, KeychainError, keychainAvailable, setSecret } from '../secrets/keychain';

/** Which secret of which setting: `connection/<id>/accessKeySecret`, `trunk/<id>/password`… */
export type SecretField = 'accessKeySecret' | 'clientSecret' | 'password';

/** The keychain account of one secret of one setting. */
export function secretAccount(kind: 'connection' | 'trunk', id: string, field: SecretField): string {
  return `${kind}/${id}/${field}`;
}

/** Keychain access for the settings. */
export class SecretVault {
  private cached: KeychainView | null = null;

  /** @param service - keychain service name; tests give their own so they never touch the app's entries. */
  constructor(private readonly service?: string) {}

  /**
   * Whether secrets can be stored, as the UI shows it. Probes the keychain on first use and when
   * `refresh` is true (a probe writes and deletes a random entry); never throws.
   */
  async status(refresh = false): Promise<KeychainView> {
    if (this.cached && !refresh) return this.cached;
    const s = await keychainAvailable(this.opts());
    this.cached = s.available
      ? { available: true, backend: s.backend, message: `Secrets are kept in the OS keychain (${s.backend}).` }
      : { available: false, backend: null, message: `${s.message}. Secrets cannot be stored: nothing is saved in their place.` };
    return this.cached;
  }

  /**
   * Stores a secret in the keychain.
   * @throws KeychainError (message names the account, never the secret) when it cannot be stored;
   *   the cached status then says unavailable.
   */
  async set(account: string, secret: string): Promise<void> {
    try {
      await setSecret(account, secret, this.opts());
    } catch (e) {
      if (e instanceof KeychainError && e.problem !== 'error') {
        this.cached = { available: false, backend: null, message: `${e.message}. Secrets cannot be stored: nothing is saved in their place.` };
      }
      throw e;
    }
  }

  /** Reads a secret for the code that needs it (a CXone client, a SIP digest); null when unset. @throws KeychainError */
  get(account: string): Promise<string | null> {
    return getSecret(account, this.opts());
  }

  /** Whether a secret is set; false when the keychain cannot be read. Never throws. */
  async has(account: string): Promise<boolean> {
    if (this.cached && !this.cached.available) return false;
    try {
      return (await getSecret(account, this.opts())) !== null;
    } catch {
      return false;
    }
  }

  /** Deletes a secret; false when none was stored or the keychain is unavailable. Never throws. */
  async delete(account: string): Promise<boolean> {
    try {
      return await deleteSecret(account, this.opts());
    } catch {
      return false;
    }
  }

  private opts(): { service?: string } {
    return this.service ? { service: this.service } : {};
  }
}
