// `lab call --user alice@sipp.test` takes the SIP password from the keychain (stored with
// `lab secret set`), against SIPp's digest-checking UAS. Needs gnome-keyring (npm run test:keychain)
// and SIPp.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deleteSecret } from '../../src/main/secrets/keychain';
import { describeSipp, freePort, runSipp, sippAvailable, waitForListening } from '../helpers/sip/sipp';

const root = resolve(import.meta.dirname, '../..');
const RUN = process.env.LAB_KEYCHAIN_TEST === '1' && sippAvailable();
const ACCOUNT = 'sip:alice@sipp.test';
afterAll(async () => {
  if (RUN) await deleteSecret(ACCOUNT).catch(() => {});
});

describe.skipIf(!RUN)('lab call with the SIP password in the keychain', () => {
  it('stores it with `lab secret set`, then the call authenticates with it', async () => {
    const tsx = join(root, 'node_modules/.bin/tsx');
    const cli = join(root, 'src/main/cli/index.ts');
    const set = spawnSync(tsx, [cli, 'secret', 'set', ACCOUNT], { cwd: root, input: 'secret', encoding: 'utf8', timeout: 20_000 });
    expect(set.status, set.stderr).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'lab-call-kc-'));
    const port = await freePort(4);
    const sipp = runSipp(
      ['-sf', join(root, 'test/interop/scenarios/uas_invite_digest_401.xml'), '-t', 'u1', '-i', '127.0.0.1', '-p', String(port), '-mp', String(port + 2), '-rtp_echo', '-m', '1', '-nostdin', '-timeout', '20', '-timeout_error'],
      { cwd: dir, timeoutMs: 25_000 },
    );
    await waitForListening(port, 'udp');
    const env = { ...process.env };
    delete env.SIP_PASSWORD;
    const child = spawn(tsx, [cli, 'call', '15550100', '--trunk', `127.0.0.1:${port}`, '--profile', 'watson', '--user', 'alice@sipp.test', '--duration', '1', '--record', 'none', '--local', '127.0.0.1'], { cwd: root, env });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code, out).toBe(0);
    expect(out).toContain(`SIP password of ${ACCOUNT}: from the keychain`);
    expect(out).toContain('✓ trunk-auth: answered the digest challenge (401 realm sipp.test)');
    expect(out).not.toMatch(/\bsecret\b(?! set)/);
    const s = await sipp.done;
    expect(s.code, describeSipp(s)).toBe(0);
  });
});
