// `lab call` as a real process against SIPp: through a trunk that challenges with 401 after a
// REGISTER to a separate SIPp registrar; with a wrong password (a clear error, exit 1, no hang);
// through an outbound proxy (--via) that challenges with 407 and record-routes.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../../src/main/history/store';
import type { PlaceCallRunReport } from '../../../src/main/scenarios/place-call-report';
import { describeSipp, freePort, runSipp, sippAvailable, waitForListening, type SippRun } from '../../helpers/sip/sipp';

const root = resolve(import.meta.dirname, '../../..');
const scenario = (name: string): string => join(root, 'test/interop/scenarios', name);
const runs: SippRun[] = [];
afterEach(() => {
  runs.splice(0).forEach((r) => r.kill());
});

function lab(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(join(root, 'node_modules/.bin/tsx'), [join(root, 'src/main/cli/index.ts'), 'call', ...args], {
    cwd: root,
    env: { ...process.env, SIP_PASSWORD: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
  return new Promise((r) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      r({ code, out, err });
    }),
  );
}

async function sipp(name: string, transport: 'udp' | 'tcp', dir: string, extra: string[] = []): Promise<{ port: number; run: SippRun }> {
  const port = await freePort(4);
  const run = runSipp(
    ['-sf', scenario(name), '-t', transport === 'udp' ? 'u1' : 't1', '-i', '127.0.0.1', '-p', String(port), '-mp', String(port + 2), '-rtp_echo', '-m', '1', '-nostdin', '-timeout', '30', '-timeout_error', '-trace_msg', '-message_file', join(dir, `${name}.log`), ...extra],
    { cwd: dir, timeoutMs: 40_000 },
  );
  runs.push(run);
  await waitForListening(port, transport);
  return { port, run };
}

describe.skipIf(!sippAvailable())('lab call against SIPp', () => {
  it('REGISTER, then a call through a 401 trunk: prompt played, far end recorded, report and history written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-call-'));
    const registrar = await sipp('uas_register_digest.xml', 'udp', dir, ['-key', 'grant', '60']);
    const trunk = await sipp('uas_invite_digest_401.xml', 'udp', dir);
    const json = join(dir, 'report.json');
    const db = join(dir, 'history.db');
    const r = await lab(
      ['15550100', '--trunk', `127.0.0.1:${trunk.port}`, '--profile', 'watson', '--user', 'alice@sipp.test', '--register', '--registrar', `sip:127.0.0.1:${registrar.port}`,
        '--header', 'X-Campaign: spring', '--duration', '1.5', '--record', join(dir, 'rec'), '--local', '127.0.0.1', '--db', db, '--json', json],
      { SIP_PASSWORD: 'secret' },
    );
    expect(r.code, `${r.out}\n${r.err}`).toBe(0);
    expect(r.out).toContain('SIP password of sip:alice@sipp.test: from SIP_PASSWORD');
    expect(`${r.out}${r.err}`).not.toContain('secret');
    const [reg, call] = await Promise.all([registrar.run.done, trunk.run.done]);
    expect(reg.code, describeSipp(reg)).toBe(0);
    expect(call.code, describeSipp(call)).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8')) as PlaceCallRunReport;
    expect(report).toMatchObject({ ok: true, kind: 'call', profile: 'watson', transport: 'udp', error: null });
    expect(report.registration).toMatchObject({ ok: true, status: 200, expiresS: 60, aor: 'sip:alice@sipp.test', unregister: { ok: true, status: 200 } });
    const c = report.calls[0]!;
    expect(c.checks.map((k) => [k.name, k.ok])).toEqual([
      ['registered', true], ['trunk-auth', true], ['call-answered', true], ['x-headers-sent', true], ['prompt-played', true], ['audio-received', true],
    ]);
    expect(c.trunk).toMatchObject({ requestUri: `sip:15550100@127.0.0.1:${trunk.port}`, user: 'alice', passwordSource: 'env', auth: { sentAuthorization: true, problem: null } });
    expect(c.contactId).toMatchObject({ ok: true, header: 'X-ContactID' });
    expect(c.contactId.value).toBe(c.cxone!.masterId);
    expect(c.media!.received.packets).toBeGreaterThan(0);
    expect(c.media!.sent.packets).toBeGreaterThan(0);
    expect(c.latency.invite_to_200).toBeGreaterThan(0);
    expect(c.latency.answer_to_first_rtp).toBeGreaterThanOrEqual(0);
    expect(existsSync(c.media!.recordingPath!)).toBe(true);
    // SIPp saw what CXone's SIPPUTHEADER would put, on the authorised INVITE.
    const seen = readFileSync(join(dir, 'uas_invite_digest_401.xml.log'), 'utf8');
    expect(seen).toContain(`X-ContactID: ${c.contactId.value}`);
    expect(seen).toContain('X-Campaign: spring');
    expect(seen).toMatch(/From: <sip:alice@sipp\.test>/);
    const store = HistoryStore.open(db);
    try {
      const saved = store.getCall(c.callRef)!;
      expect(saved.checks.map((k) => k.name)).toContain('trunk-auth');
      expect(saved.messages.some((m) => m.direction === 'out' && /^Authorization: Digest \[redacted\]/m.test(m.raw))).toBe(true);
      expect(JSON.stringify(saved)).not.toContain('secret');
    } finally {
      store.close();
    }
    // One recording, and its RTP capture beside it for the pcap export.
    const rec = readdirSync(join(dir, 'rec'));
    expect(rec.filter((f) => f.endsWith('.wav'))).toHaveLength(1);
    expect(rec.filter((f) => f.endsWith('.rtp.pcap'))).toHaveLength(1);
  });

  it('a wrong password: the clear error, exit status 1, no hang', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-call-'));
    const trunk = await sipp('uas_invite_digest_401.xml', 'udp', dir);
    const r = await lab(['15550100', '--trunk', `127.0.0.1:${trunk.port}`, '--profile', 'watson', '--user', 'alice@sipp.test', '--local', '127.0.0.1', '--record', 'none'], { SIP_PASSWORD: 'wrong' });
    expect(r.code, `${r.out}\n${r.err}`).toBe(1);
    expect(r.out).toContain('error: the trunk rejected the credentials of user alice (realm sipp.test) with 403 Bad credentials: check the SIP password and user name');
    expect(r.out).toContain('CXone: PLACECALL → Error');
  });

  it('without any password: says how to give one, and that the trunk asked for it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-call-'));
    const trunk = await sipp('uas_invite_digest_401.xml', 'udp', dir, ['-timeout', '3']);
    const r = await lab(['15550100', '--trunk', `127.0.0.1:${trunk.port}`, '--profile', 'watson', '--user', 'alice@sipp.test', '--local', '127.0.0.1', '--record', 'none', '--json', '-'], {
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/lab-test-bus',
    });
    expect(r.code, r.err).toBe(1);
    expect(r.err).toMatch(/warning: no keychain: .*; without the keychain, set SIP_PASSWORD; calling without credentials/);
    expect(r.err).toContain('error: the trunk asks for digest authentication (401, realm sipp.test) but no SIP password was given');
    const report = JSON.parse(r.out) as PlaceCallRunReport;
    expect(report.calls[0]!.trunk.auth).toMatchObject({ sentAuthorization: false, challenges: [{ status: 401 }] });
  });

  it('--via: through an outbound proxy (TCP) that challenges with 407 and record-routes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-call-'));
    const proxy = await sipp('uas_proxy_407_route.xml', 'tcp', dir);
    const json = join(dir, 'report.json');
    const r = await lab(
      ['15550100', '--trunk', 'trunk.invalid', '--via', `sip:127.0.0.1:${proxy.port}`, '--transport', 'tcp', '--profile', 'kore', '--user', 'alice', '--duration', '1', '--record', 'none', '--local', '127.0.0.1', '--json', json],
      { SIP_PASSWORD: 'secret' },
    );
    expect(r.code, `${r.out}\n${r.err}`).toBe(0);
    const s = await proxy.run.done;
    expect(s.code, describeSipp(s)).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8')) as PlaceCallRunReport;
    const c = report.calls[0]!;
    expect(c.trunk).toMatchObject({ requestUri: 'sip:15550100@trunk.invalid', outboundProxy: `sip:127.0.0.1:${proxy.port}`, auth: { sentProxyAuthorization: true, problem: null } });
    const seen = readFileSync(join(dir, 'uas_proxy_407_route.xml.log'), 'utf8');
    expect(seen).toMatch(new RegExp(`^INVITE sip:15550100@trunk\\.invalid SIP/2\\.0\\r?\\nRoute: <sip:127\\.0\\.0\\.1:${proxy.port};lr>`, 'm'));
    // In-dialog requests follow the proxy's Record-Route, not the unreachable Contact (RFC 3261 §12.2.1.1).
    expect(seen).toMatch(new RegExp(`^ACK sip:bot@192\\.0\\.2\\.99:5060;transport=tcp SIP/2\\.0\\r?\\nRoute: <sip:127\\.0\\.0\\.1:${proxy.port};transport=tcp;lr>`, 'mi'));
    expect(seen).toMatch(new RegExp(`^BYE sip:bot@192\\.0\\.2\\.99:5060;transport=tcp SIP/2\\.0\\r?\\nRoute: <sip:127\\.0\\.0\\.1:${proxy.port};transport=tcp;lr>`, 'mi'));
  });
});
