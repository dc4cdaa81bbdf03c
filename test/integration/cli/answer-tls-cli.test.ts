// `lab answer` over SIP over TLS as a real process: with --tls-self-signed it prints the
// certificate's fingerprint and file, a TLS endpoint trusting that file (--ca-file) calls it and
// the run passes; a TLS listener without a certificate is a usage error.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SipEndpoint } from '../../../src/main/sip/endpoint';

const root = resolve(import.meta.dirname, '../../..');
const dataDir = mkdtempSync(join(tmpdir(), 'lab-tls-cli-'));
const eps: SipEndpoint[] = [];
afterEach(async () => {
  await Promise.all(eps.splice(0).map((e) => e.stop()));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function lab(args: string[]) {
  const child = spawn(join(root, 'node_modules/.bin/tsx'), [join(root, 'src/main/cli/index.ts'), ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LAB_DATA_DIR: dataDir },
  });
  let out = '';
  let err = '';
  const waiters: (() => void)[] = [];
  const wake = (): void => void waiters.splice(0).forEach((w) => w());
  child.stdout.on('data', (b: Buffer) => ((out += b.toString()), wake()));
  child.stderr.on('data', (b: Buffer) => ((err += b.toString()), wake()));
  const done = new Promise<number | null>((r) => child.on('exit', (code) => (r(code), wake())));
  const waitFor = async (re: RegExp): Promise<RegExpExecArray> => {
    for (;;) {
      const m = re.exec(err) ?? re.exec(out);
      if (m) return m;
      if (child.exitCode !== null) throw new Error(`exited before ${re}\nstdout:\n${out}\nstderr:\n${err}`);
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  return { child, done, waitFor, out: () => out, err: () => err };
}

describe('lab answer over TLS (process)', () => {
  it('--tls-self-signed: prints the certificate file; a caller trusting it completes the call', async () => {
    const p = lab(['answer', '--listen', 'tls:127.0.0.1:0', '--tls-self-signed', '--profile', 'custom', '--cxone-api', 'embedded', '--calls', '1', '--json', '-']);
    const port = Number((await p.waitFor(/listening: sip:bot@127\.0\.0\.1:(\d+);transport=tls/))[1]);
    await p.waitFor(/TLS certificate \(self-signed\) for .*IP Address:127\.0\.0\.1.*SHA-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}/);
    const certFile = (await p.waitFor(/peers trust it with this file as their CA: (\S+)/))[1]!;
    expect(certFile).toBe(join(dataDir, 'tls', 'listener-cert.pem'));
    const ep = await SipEndpoint.start({ transport: 'tls', host: '127.0.0.1', port: 0, user: 'cxone', tls: { caFile: certFile } });
    eps.push(ep);
    const call = ep.invite(`sip:15550100@127.0.0.1:${port};transport=tls`, { extraHeaders: [{ name: 'X-ContactID', value: '777' }] });
    await call.waitForEnd(20_000);
    expect(await p.done).toBe(0);
    const report = JSON.parse(p.out()) as { ok: boolean; transport: string; calls: { contactId: { value: string } }[] };
    expect(report.ok).toBe(true);
    expect(report.transport).toBe('tls');
    expect(report.calls.map((c) => c.contactId.value)).toEqual(['777']);
  });

  it('a TLS listener without a certificate is a usage error naming the flags', async () => {
    const p = lab(['answer', '--listen', 'tls:127.0.0.1:0', '--profile', 'custom', '--cxone-api', 'embedded']);
    expect(await p.done).toBe(2);
    expect(p.err()).toMatch(/a TLS listener needs a certificate: --tls-cert FILE --tls-key FILE, or --tls-self-signed/);
  });
});
