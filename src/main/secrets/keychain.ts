/**
 * The OS keychain (design.md §5): SIP passwords and CXone keys live only here, never in SQLite,
 * logs, reports or IPC payloads. Backed by `@napi-rs/keyring`: the Secret Service (gnome-keyring,
 * KWallet, KeePassXC) on Linux, Keychain on macOS, Credential Manager on Windows.
 *
 * On Linux the entries are pinned to the Secret Service: the library would otherwise fall back to
 * the kernel keyring, which forgets everything at logout. Without a keychain this module refuses
 * and says why ({@link keychainAvailable}); it never stores a secret anywhere else (style.md:
 * "if the keychain is missing, refuse and explain").
 *
 * Secrets are returned only to the caller that needs them (the SIP layer, the CXone client);
 * error messages name the account, never the secret.
 */
import { randomUUID } from 'node:crypto';
import { AsyncEntry, type EntryOptions } from '@napi-rs/keyring';

/** Service name of this app's keychain entries. */
export const KEYCHAIN_SERVICE = 'cxone-sip-lab';

/** Why the keychain cannot be used. */
export type KeychainProblem =
  /** No D-Bus session bus (Linux without a desktop session: `DBUS_SESSION_BUS_ADDRESS` unset or dead). */
  | 'no-session-bus'
  /** A session bus, but nothing serves `org.freedesktop.secrets` (no gnome-keyring, KWallet…). */
  | 'no-secret-service'
  /** The keyring is locked and could not be unlocked (no prompt could be shown, or it was dismissed). */
  | 'locked'
  /** Any other failure of the platform store. */
  | 'error';

/** Whether secrets can be stored, with a message the UI can show as is. */
export type KeychainStatus = { available: true; backend: string } | { available: false; problem: KeychainProblem; message: string };

/** A keychain operation failed; `message` is for the user and names the account, never the secret. */
export class KeychainError extends Error {
  override readonly name = 'KeychainError';
  constructor(
    readonly problem: KeychainProblem,
    message: string,
  ) {
    super(message);
  }
}

/** Options of every call: the service name (default {@link KEYCHAIN_SERVICE}). */
export interface KeychainOptions {
  service?: string;
}

const ENTRY_OPTIONS: EntryOptions = { linux: { store: 'secret-service' } };
const PROBE_ACCOUNT = 'cxone-sip-lab:availability-probe';

/** The name of the platform store, for messages. */
export function keychainBackend(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'macOS Keychain';
  if (platform === 'win32') return 'Windows Credential Manager';
  return 'Secret Service (D-Bus)';
}

/**
 * Turns a platform error into a {@link KeychainError} with a message for the user.
 * @param what - what was being done, e.g. `reading sip:alice@trunk.example`.
 */
export function classifyKeychainError(e: unknown, what: string): KeychainError {
  const raw = e instanceof Error ? e.message : String(e);
  if (/DBUS_SESSION_BUS_ADDRESS|autolaunch|Failed to connect to socket|Connection refused|No such file or directory/i.test(raw)) {
    return new KeychainError(
      'no-session-bus',
      `no keychain: there is no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset or dead), so the Secret Service cannot be reached while ${what}. ` +
        'Run inside a desktop session, or start one: dbus-run-session -- sh -c \'echo -n <password> | gnome-keyring-daemon --unlock --components=secrets; <command>\'',
    );
  }
  if (/org\.freedesktop\.secrets|ServiceUnknown|not provided by any \.service files/i.test(raw)) {
    return new KeychainError(
      'no-secret-service',
      `no keychain: the D-Bus session has no Secret Service (org.freedesktop.secrets) while ${what}. Install and start gnome-keyring (Debian: gnome-keyring), KWallet or KeePassXC's Secret Service`,
    );
  }
  if (/prompt was dismissed|is locked|IsLocked|\bLocked\b/i.test(raw)) {
    return new KeychainError('locked', `the keychain is locked while ${what}: unlock it (e.g. log in to the desktop, or gnome-keyring-daemon --unlock) and retry`);
  }
  return new KeychainError('error', `the keychain (${keychainBackend()}) failed while ${what}: ${raw}`);
}

function entry(account: string, opts: KeychainOptions): AsyncEntry {
  if (account.trim() === '') throw new KeychainError('error', 'a keychain account name is required');
  return new AsyncEntry(opts.service ?? KEYCHAIN_SERVICE, account, ENTRY_OPTIONS);
}

/**
 * Reads a secret.
 * @param account - e.g. `sip:alice@trunk.example`.
 * @returns the secret, or null when none is stored for the account.
 * @throws {@link KeychainError} when the keychain cannot be reached or read.
 */
export async function getSecret(account: string, opts: KeychainOptions = {}): Promise<string | null> {
  try {
    return await entry(account, opts).getPassword();
  } catch (e) {
    throw e instanceof KeychainError ? e : classifyKeychainError(e, `reading ${account}`);
  }
}

/**
 * Stores (or replaces) a secret.
 * @throws {@link KeychainError} when the secret is empty or the keychain cannot store it; nothing
 *   is then stored anywhere.
 */
export async function setSecret(account: string, secret: string, opts: KeychainOptions = {}): Promise<void> {
  if (secret === '') throw new KeychainError('error', `refusing to store an empty secret for ${account}`);
  try {
    await entry(account, opts).setPassword(secret);
  } catch (e) {
    throw e instanceof KeychainError ? e : classifyKeychainError(e, `storing ${account}`);
  }
}

/**
 * Deletes a secret.
 * @returns true when one was deleted, false when none was stored.
 * @throws {@link KeychainError} when the keychain cannot be reached or the entry cannot be deleted.
 */
export async function deleteSecret(account: string, opts: KeychainOptions = {}): Promise<boolean> {
  try {
    return await entry(account, opts).deletePassword();
  } catch (e) {
    throw e instanceof KeychainError ? e : classifyKeychainError(e, `deleting ${account}`);
  }
}

/**
 * Tells whether secrets can be stored here, by storing and deleting a random probe value (a read
 * alone succeeds on a locked keyring). Never throws.
 */
export async function keychainAvailable(opts: KeychainOptions = {}): Promise<KeychainStatus> {
  try {
    await setSecret(PROBE_ACCOUNT, randomUUID(), opts);
    await deleteSecret(PROBE_ACCOUNT, opts);
    return { available: true, backend: keychainBackend() };
  } catch (e) {
    const k = e instanceof KeychainError ? e : classifyKeychainError(e, 'checking the keychain');
    return { available: false, problem: k.problem, message: k.message };
  }
}
