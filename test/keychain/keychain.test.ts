// The keychain module against a real Secret Service (gnome-keyring in a private D-Bus session
// started by `npm run test:keychain`), and against a D-Bus session without any Secret Service.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { deleteSecret, getSecret, KEYCHAIN_SERVICE, keychainAvailable, setSecret } from '../../src/main/secrets/keychain';

const root = resolve(import.meta.dirname, '../..');
const RUN = process.env.LAB_KEYCHAIN_TEST === '1';
if (!RUN) console.warn('keychain tests skipped: run them with `npm run test:keychain` (needs dbus and gnome-keyring)');

const accounts: string[] = [];
function account(name: string): string {
  const a = `sip:${name}-${process.pid}@keychain.test`;
  accounts.push(a);
  return a;
}
afterEach(async () => {
  for (const a of accounts.splice(0)) await deleteSecret(a).catch(() => {});
});

/** What `secret-tool` (libsecret, another Secret Service client) finds for an account. */
function secretToolLookup(acc: string): string | null {
  const r = spawnSync('secret-tool', ['lookup', 'service', KEYCHAIN_SERVICE, 'username', acc], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout : null;
}

describe.skipIf(!RUN)('keychain with gnome-keyring', () => {
  it('is available', async () => {
    expect(await keychainAvailable()).toEqual({ available: true, backend: 'Secret Service (D-Bus)' });
  });

  it('stores, reads, replaces and deletes a secret in the Secret Service', async () => {
    const a = account('alice');
    expect(await getSecret(a)).toBeNull();
    await setSecret(a, 's3cret');
    expect(await getSecret(a)).toBe('s3cret');
    expect(secretToolLookup(a)).toBe('s3cret');
    await setSecret(a, 'changed');
    expect(await getSecret(a)).toBe('changed');
    expect(await deleteSecret(a)).toBe(true);
    expect(await getSecret(a)).toBeNull();
    expect(secretToolLookup(a)).toBeNull();
    expect(await deleteSecret(a)).toBe(false);
  });

  it('keeps services apart (the dashboard reuses the module for CXone keys)', async () => {
    const a = account('shared');
    await setSecret(a, 'sip-password');
    await setSecret(a, 'other-value', { service: 'cxone-sip-lab-test-other' });
    expect(await getSecret(a)).toBe('sip-password');
    expect(await getSecret(a, { service: 'cxone-sip-lab-test-other' })).toBe('other-value');
    await deleteSecret(a, { service: 'cxone-sip-lab-test-other' });
  });

  it('refuses an empty secret', async () => {
    await expect(setSecret(account('empty'), '')).rejects.toMatchObject({ name: 'KeychainError' });
  });

  it('`lab secret set` reads the password from standard input; `secret status` and `secret delete` work', async () => {
    const a = account('cli');
    const tsx = join(root, 'node_modules/.bin/tsx');
    const cli = join(root, 'src/main/cli/index.ts');
    const set = spawnSync(tsx, [cli, 'secret', 'set', a], { cwd: root, input: 'from-stdin\n', encoding: 'utf8', timeout: 20_000 });
    expect(set.status, set.stderr).toBe(0);
    expect(`${set.stdout}${set.stderr}`).not.toContain('from-stdin');
    expect(await getSecret(a)).toBe('from-stdin');
    const status = spawnSync(tsx, [cli, 'secret', 'status', a], { cwd: root, encoding: 'utf8', timeout: 20_000 });
    expect(status.status, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/keychain: available/);
    expect(status.stdout).toContain(`${a}: stored`);
    expect(status.stdout).not.toContain('from-stdin');
    const del = spawnSync(tsx, [cli, 'secret', 'delete', a], { cwd: root, encoding: 'utf8', timeout: 20_000 });
    expect(del.status, del.stderr).toBe(0);
    expect(await getSecret(a)).toBeNull();
  });
});

describe.skipIf(!RUN)('keychain on a D-Bus session without a Secret Service', () => {
  let bus: ChildProcess | undefined;
  afterAll(() => {
    bus?.kill();
  });

  it('reports no-secret-service and stores nothing', async () => {
    // A private session bus with no service files: nothing can be activated as org.freedesktop.secrets.
    const dir = mkdtempSync(join(tmpdir(), 'lab-bus-'));
    const conf = join(dir, 'bus.conf');
    writeFileSync(
      conf,
      `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:dir=${dir}</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>`,
    );
    const addrFile = join(dir, 'address');
    bus = spawn('sh', ['-c', `exec dbus-daemon --config-file=${conf} --nofork --print-address=1 > ${addrFile}`], { stdio: 'ignore' });
    let address = '';
    for (let i = 0; i < 100 && !address; i++) {
      await new Promise((r) => setTimeout(r, 20));
      address = readFileSync(addrFile, 'utf8').trim();
    }
    expect(address).toMatch(/^unix:/);
    const a = account('noservice');
    const r = spawnSync(join(root, 'node_modules/.bin/tsx'), [join(root, 'test/integration/secrets/keychain-child.ts'), a], {
      cwd: root,
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: address },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { status: { available: boolean; problem?: string; message?: string }; setError: { problem: string } | null; inKernelKeyring: boolean | string };
    expect(out.status).toMatchObject({ available: false, problem: 'no-secret-service' });
    expect(out.status.message).toMatch(/no Secret Service/);
    expect(out.setError).toMatchObject({ problem: 'no-secret-service' });
    expect(out.inKernelKeyring).not.toBe(true);
    // Not in the real keyring either.
    expect(await getSecret(a)).toBeNull();
  });
});
