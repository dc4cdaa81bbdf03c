// Without a D-Bus session bus the keychain reports itself unavailable with a message for the UI,
// refuses to store, and stores nothing anywhere (not in the kernel keyring either).
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');

describe('keychain without a D-Bus session (child process)', () => {
  it.skipIf(process.platform !== 'linux')('reports no-session-bus, refuses to store, stores nothing', () => {
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/cxone-sip-lab-test-bus' };
    const r = spawnSync(join(root, 'node_modules/.bin/tsx'), [join(import.meta.dirname, 'keychain-child.ts'), 'sip:nobus@keychain.test'], { cwd: root, env, encoding: 'utf8', timeout: 20_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
      status: { available: boolean; problem?: string; message?: string };
      setError: { name: string; problem: string; message: string } | null;
      readBack: string | null;
      inKernelKeyring: boolean | 'unreadable';
    };
    expect(out.status).toMatchObject({ available: false, problem: 'no-session-bus' });
    expect(out.status.message).toMatch(/no keychain: there is no D-Bus session bus/);
    expect(out.setError).toMatchObject({ name: 'KeychainError', problem: 'no-session-bus' });
    expect(out.setError!.message).toContain('sip:nobus@keychain.test');
    expect(out.setError!.message).not.toContain('child-secret-value');
    expect(out.readBack).toBe('error');
    expect(out.inKernelKeyring).not.toBe(true);
  });
});
