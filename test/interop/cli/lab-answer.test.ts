// `lab answer` as a real process, with SIPp as CXone's SIP side: SIPp sends an INVITE carrying
// `X-ContactID: 998877` over UDP and over TCP; the app answers under the Watson profile, signals the
// embedded emulator, ends the leg, and writes the JSON report.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeSipp, freePort, runSipp, sippAvailable, waitForListening } from '../../helpers/sip/sipp';

const root = resolve(import.meta.dirname, '../../..');
const scenario = join(root, 'test/interop/scenarios/uac_xheader_remote_bye.xml');

function startLab(args: string[]): { done: Promise<{ code: number | null; out: string }>; output: () => string } {
  const child = spawn(join(root, 'node_modules/.bin/tsx'), [join(root, 'src/main/cli/index.ts'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
  const done = new Promise<{ code: number | null; out: string }>((r) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      r({ code, out });
    }),
  );
  return { done, output: () => out };
}

describe.skipIf(!sippAvailable())('lab answer with SIPp as the caller', () => {
  it.each(['udp', 'tcp'] as const)('over %s: contact id 998877 extracted under Watson, Signal accepted by the emulator', async (transport) => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-answer-'));
    const json = join(dir, 'report.json');
    const port = await freePort();
    const lab = startLab(['answer', '--listen', `${transport}:127.0.0.1:${port}`, '--profile', 'watson', '--cxone-api', 'embedded', '--calls', '1', '--json', json, '--db', join(dir, 'h.db'), '--timeout', '40']);
    await waitForListening(port, transport, 20_000);
    const sippPort = await freePort(4);
    const sipp = runSipp(
      [`127.0.0.1:${port}`, '-sf', scenario, '-s', '4930123456', '-t', transport === 'udp' ? 'u1' : 't1', '-i', '127.0.0.1', '-p', String(sippPort), '-mp', String(sippPort + 2), '-m', '1', '-nostdin', '-timeout', '30s', '-timeout_error'],
      { cwd: dir, timeoutMs: 40_000 },
    );
    const [s, l] = await Promise.all([sipp.done, lab.done]);
    expect(s.code, describeSipp(s)).toBe(0);
    expect(l.code, l.out).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8')) as {
      ok: boolean;
      calls: { profile: string; invite: { headers: { name: string; value: string }[]; originalRequestUri: string }; contactId: { ok: boolean; header: string; value: string; problems: string[] }; signal: { params: Record<string, string>; status: number; ms: number }; latency: Record<string, number>; checks: { name: string; ok: boolean }[] }[];
    };
    expect(report.ok).toBe(true);
    const call = report.calls[0]!;
    expect(call.profile).toBe('watson');
    expect(call.contactId).toMatchObject({ ok: true, header: 'X-ContactID', value: '998877', problems: [] });
    expect(call.invite.headers).toContainEqual({ name: 'X-Campaign', value: 'spring-2025' });
    expect(call.invite.originalRequestUri).toMatch(/^sip:4930123456@127\.0\.0\.1/);
    expect(call.signal.status).toBe(202);
    expect(call.signal.ms).toBeGreaterThan(0);
    expect(call.signal.params.p1).toBeTruthy();
    expect(call.latency.invite_to_200).toBeGreaterThanOrEqual(0);
    expect(call.checks.every((c) => c.ok)).toBe(true);
    expect(lab.output()).toContain('X-ContactID: 998877');
  });

  it('answers 8 concurrent calls over one TCP connection (all with the same contact id) and signals each', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-answer-'));
    const json = join(dir, 'report.json');
    const port = await freePort();
    const lab = startLab(['answer', '--listen', `tcp:127.0.0.1:${port}`, '--profile', 'watson', '--cxone-api', 'embedded', '--calls', '8', '--json', json, '--timeout', '40']);
    await waitForListening(port, 'tcp', 20_000);
    const sippPort = await freePort(4);
    const sipp = runSipp(
      [`127.0.0.1:${port}`, '-sf', scenario, '-s', '4930123456', '-t', 't1', '-i', '127.0.0.1', '-p', String(sippPort), '-mp', String(sippPort + 2), '-m', '8', '-l', '8', '-r', '20', '-nostdin', '-timeout', '30s', '-timeout_error'],
      { cwd: dir, timeoutMs: 40_000 },
    );
    const [s, l] = await Promise.all([sipp.done, lab.done]);
    expect(s.code, describeSipp(s)).toBe(0);
    expect(l.code, l.out).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { ok: boolean; calls: { callId: string; signal: { status: number } }[] };
    expect(report.ok).toBe(true);
    expect(new Set(report.calls.map((c) => c.callId)).size).toBe(8);
    expect(report.calls.every((c) => c.signal.status === 202)).toBe(true);
  });
});
