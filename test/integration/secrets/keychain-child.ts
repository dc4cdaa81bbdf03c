/**
 * Run as a child process by the keychain tests, with whatever D-Bus environment the test gives it:
 * reports what keychain.ts says, tries to store a secret, and reports where (if anywhere) a secret
 * ended up, including the kernel keyring the library would fall back to when not pinned.
 * Prints one JSON line. Argument: the account to use.
 */
import { Entry } from '@napi-rs/keyring';
import { getSecret, KEYCHAIN_SERVICE, keychainAvailable, setSecret } from '../../../src/main/secrets/keychain';

const account = process.argv[2] ?? 'sip:child@keychain.test';
const status = await keychainAvailable();
let setError: { name: string; problem: string; message: string } | null = null;
try {
  await setSecret(account, 'child-secret-value');
} catch (e) {
  const k = e as Error & { problem?: string };
  setError = { name: k.name, problem: k.problem ?? '', message: k.message };
}
const readBack = await getSecret(account).catch(() => 'error' as const);
let inKernelKeyring: boolean | 'unreadable';
try {
  inKernelKeyring = new Entry(KEYCHAIN_SERVICE, account, { linux: { store: 'keyutils' } }).getPassword() !== null;
} catch {
  inKernelKeyring = 'unreadable';
}
process.stdout.write(`${JSON.stringify({ status, setError, readBack, inKernelKeyring })}\n`);
