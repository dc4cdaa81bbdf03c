// `lab answer` as a real process, called by the app's own SIP endpoint (no SIPp needed): the INVITE
// and its verdict are printed as soon as the call arrives; Ctrl-C (SIGINT) ends the run with the
// calls so far and still writes the JSON report; `--json -` keeps standard output pure JSON.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CxoneEmulatorApi } from '../../../src/main/emulator/api-server';
import { SipEndpoint } from '../../../src/main/sip/endpoint';

const root = resolve(import.meta.dirname, '../../..');
const eps: SipEndpoint[] = [];
afterEach(async () => {
  await Promise.all(eps.splice(0).map((e) => e.stop()));
});

function lab(args: string[], env: Record<string, string> = {}) {
  // node --import tsx, not the tsx command: its signal relay SIGKILLs a child that is slow to acknowledge SIGINT (exit 130 under load)
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/main/cli/index.ts'), ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const done = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const waitFor = async (pred: () => boolean, what: string): Promise<void> => {
    for (let i = 0; i < 400 && !pred(); i++) await new Promise((r) => setTimeout(r, 50));
    if (!pred()) throw new Error(`timed out waiting for ${what}\nstdout:\n${out}\nstderr:\n${err}`);
  };
  return { child, done, out: () => out, err: () => err, waitFor };
}

async function callOnce(port: number, contactId: string): Promise<void> {
  const ep = await SipEndpoint.start({ transport: 'tcp', host: '127.0.0.1', port: 0, user: 'cxone' });
  eps.push(ep);
  const call = ep.invite(`sip:15550100@127.0.0.1:${port};transport=tcp`, { extraHeaders: [{ name: 'X-ContactID', value: contactId }] });
  await call.waitForEnd(20_000);
}

describe('lab answer (process)', () => {
  it('prints each INVITE on arrival, and on SIGINT writes the report of the calls so far', async () => {
    const json = join(mkdtempSync(join(tmpdir(), 'lab-cli-')), 'r.json');
    const p = lab(['answer', '--listen', 'tcp:127.0.0.1:0', '--profile', 'watson', '--cxone-api', 'embedded', '--calls', '3', '--json', json]);
    await p.waitFor(() => /listening: sip:bot@127\.0\.0\.1:\d+/.test(p.out()), 'the listening line');
    const port = Number(/listening: sip:bot@127\.0\.0\.1:(\d+)/.exec(p.out())![1]);
    await callOnce(port, '4242424242');
    await p.waitFor(() => p.out().includes('contact id: ok X-ContactID = 4242424242'), 'the verdict line');
    expect(p.out()).toMatch(/X-ContactID: 4242424242/);
    await p.waitFor(() => /signal: 202/.test(p.out()), 'the signal line');
    p.child.kill('SIGINT');
    expect(await p.done).toBe(1); // 1 of 3 calls: not a pass
    const report = JSON.parse(readFileSync(json, 'utf8')) as { ok: boolean; calls: { contactId: { value: string }; signal: { status: number } }[] };
    expect(report.ok).toBe(false);
    expect(report.calls.map((c) => [c.contactId.value, c.signal.status])).toEqual([['4242424242', 202]]);
  });

  it('with --json - prints only the JSON on standard output', async () => {
    const p = lab(['answer', '--listen', 'tcp:127.0.0.1:0', '--profile', 'custom', '--cxone-api', 'embedded', '--calls', '1', '--json', '-']);
    await p.waitFor(() => /listening: sip:bot@127\.0\.0\.1:\d+/.test(p.err()), 'the listening line on stderr');
    const port = Number(/listening: sip:bot@127\.0\.0\.1:(\d+)/.exec(p.err())![1]);
    await callOnce(port, '777');
    expect(await p.done).toBe(0);
    const report = JSON.parse(p.out()) as { ok: boolean; calls: unknown[] };
    expect(report).toMatchObject({ ok: true });
    expect(report.calls).toHaveLength(1);
  });

  it('--linger keeps the listener for that long after the last call, then reports empty live maps; a bad value is a usage error', async () => {
    const p = lab(['answer', '--listen', 'tcp:127.0.0.1:0', '--profile', 'custom', '--cxone-api', 'embedded', '--calls', '1', '--linger', '2', '--json', '-']);
    await p.waitFor(() => /listening: sip:bot@127\.0\.0\.1:\d+/.test(p.err()), 'the listening line on stderr');
    const port = Number(/listening: sip:bot@127\.0\.0\.1:(\d+)/.exec(p.err())![1]);
    await callOnce(port, '778');
    const endedAt = performance.now();
    expect(await p.done).toBe(0);
    expect(performance.now() - endedAt).toBeGreaterThanOrEqual(1_900);
    const report = JSON.parse(p.out()) as { ok: boolean; liveMaps: Record<string, number> };
    expect(report.ok).toBe(true);
    // Every map of ours is empty; sip.js still holds the INVITE's server transaction in its RFC 6026
    // Timer L (64·T1 = 32 s even over TCP): `npm run bench:soak` reports after --linger 33.
    expect(Object.entries(report.liveMaps).filter(([k, v]) => v !== 0 && !['runtime.runs', 'endpoint.sipjsServerTransactions'].includes(k))).toEqual([]);
    expect(report.liveMaps['endpoint.sipjsServerTransactions']).toBeLessThanOrEqual(1);

    // SIGTERM during a long linger ends the run at once (the linger is cut to ANSWER_LINGER_MS), with its report.
    const long = lab(['answer', '--listen', 'tcp:127.0.0.1:0', '--profile', 'custom', '--cxone-api', 'embedded', '--calls', '1', '--linger', '600', '--json', '-']);
    await long.waitFor(() => /listening: sip:bot@127\.0\.0\.1:\d+/.test(long.err()), 'the listening line on stderr');
    await callOnce(Number(/listening: sip:bot@127\.0\.0\.1:(\d+)/.exec(long.err())![1]), '779');
    long.child.kill('SIGTERM');
    expect([0, 1]).toContain(await long.done);
    expect((JSON.parse(long.out()) as { calls: unknown[] }).calls).toHaveLength(1);

    const bad = lab(['answer', '--listen', 'udp:127.0.0.1:0', '--profile', 'custom', '--cxone-api', 'embedded', '--linger', 'soon']);
    expect(await bad.done).toBe(2);
    expect(bad.err()).toMatch(/--linger "soon": seconds/);
  });

  it('signals a remote CXone found by discovery, with a token from the OAuth password grant (secrets from the environment only)', async () => {
    const key = { accessKeyId: 'AKIDCLI====', accessKeySecret: 'cli/secret+x====' };
    const app = { clientId: 'cli-app@vendor', clientSecret: 'cli-app-secret' };
    const api = await CxoneEmulatorApi.start({ host: '127.0.0.1', port: 0, accessKeys: [key], oauthClients: [app] });
    const tokens: string[] = [];
    api.on('token', (t) => tokens.push(t.flow));
    try {
      api.contacts.add({ contactId: '5150515', role: 'master' });
      const json = join(mkdtempSync(join(tmpdir(), 'lab-cli-')), 'r.json');
      const p = lab(
        ['answer', '--listen', 'tcp:127.0.0.1:0', '--profile', 'watson', '--cxone-api', 'discover', '--cxone-issuer', api.baseUrl, '--cxone-client-id', app.clientId, '--calls', '1', '--drop-wait', '300', '--json', json],
        { CXONE_ACCESS_KEY_ID: key.accessKeyId, CXONE_ACCESS_KEY_SECRET: key.accessKeySecret, CXONE_CLIENT_SECRET: app.clientSecret },
      );
      await p.waitFor(() => /listening: sip:bot@127\.0\.0\.1:\d+/.test(p.out()), 'the listening line');
      const port = Number(/listening: sip:bot@127\.0\.0\.1:(\d+)/.exec(p.out())![1]);
      await callOnce(port, '5150515');
      await p.done;
      const text = readFileSync(json, 'utf8');
      const report = JSON.parse(text) as { calls: { signal: { status: number; url: string } }[] };
      expect(report.calls[0]!.signal.status).toBe(202);
      expect(report.calls[0]!.signal.url).toContain(`${api.baseUrl}/incontactapi/services/`);
      expect(tokens).toContain('oauth-password');
      for (const secret of [key.accessKeySecret, app.clientSecret]) {
        expect(text).not.toContain(secret);
        expect(p.out() + p.err()).not.toContain(secret);
      }
    } finally {
      await api.stop();
    }
  });

  it('refuses an OAuth issuer without a client secret in the environment, naming the variable', async () => {
    const p = lab(['answer', '--listen', 'tcp:127.0.0.1:0', '--profile', 'watson', '--cxone-api', 'discover', '--cxone-issuer', 'https://cxone.example', '--cxone-client-id', 'x'], {
      CXONE_ACCESS_KEY_ID: 'id',
      CXONE_ACCESS_KEY_SECRET: 'secret',
      CXONE_CLIENT_SECRET: '',
    });
    expect(await p.done).toBe(2);
    expect(p.err()).toContain('CXONE_CLIENT_SECRET');
  });
});
