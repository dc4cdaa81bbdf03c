/**
 * Where a SIP digest password comes from: the `SIP_PASSWORD` environment variable (CI, one-off
 * runs) or the OS keychain account `sip:<user>@<domain>` (`lab secret set sip:alice@trunk.example`).
 * The password goes only to the SIP layer; this module never logs it.
 */
import { getSecret, KeychainError } from './keychain';

/** The keychain account of a SIP password: the account's AOR, `sip:<user>@<domain>` (no port). */
export function sipPasswordAccount(user: string, domain: string): string {
  return `sip:${user}@${domain.replace(/^\[|\]$/g, '')}`;
}

/** A looked-up SIP password. */
export interface SipPasswordLookup {
  /** The password, or null when none was found (the call then goes without credentials). */
  password: string | null;
  source: 'env' | 'keychain' | null;
  /** The keychain account looked up. */
  account: string;
  /** Why there is none, with how to provide one; null when found. */
  note: string | null;
}

/**
 * Looks up the password of `sip:<user>@<domain>`: `SIP_PASSWORD` first, else the keychain.
 * Never throws: an unavailable keychain is reported in `note`.
 */
export async function lookupSipPassword(user: string, domain: string, env: NodeJS.ProcessEnv = process.env): Promise<SipPasswordLookup> {
  const account = sipPasswordAccount(user, domain);
  if (env.SIP_PASSWORD) return { password: env.SIP_PASSWORD, source: 'env', account, note: null };
  const how = `store it with "npm run lab -- secret set ${account}" or set SIP_PASSWORD`;
  try {
    const password = await getSecret(account);
    if (password !== null) return { password, source: 'keychain', account, note: null };
    return { password: null, source: null, account, note: `no SIP password for ${account} in the keychain: ${how}` };
  } catch (e) {
    const why = e instanceof KeychainError ? e.message : String(e);
    return { password: null, source: null, account, note: `${why}; without the keychain, set SIP_PASSWORD` };
  }
}
