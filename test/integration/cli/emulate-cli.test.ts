// `lab emulate` as a real process (npx tsx src/main/cli/index.ts emulate …) against the scripted
// bot: the bot reads the API base the command prints, gets a token with the access key given on
// the command line and signals; the JSON report holds the token request, the Signal, the checks
// and the ONSIGNAL outcome, and the secret is neither printed nor written.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunReport } from '../../../src/main/scenarios/run-report';
import { ScriptedBot } from '../scenarios/emulate-scripted-bot';

const root = resolve(import.meta.dirname, '../../..');
const bots: ScriptedBot[] = [];
afterEach(async () => {
  await Promise.all(bots.splice(0).map((b) => b.stop()));
});

function lab(args: string[]) {
  const child = spawn('npx', ['tsx', join(root, 'src/main/cli/index.ts'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const done = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const waitFor = async <T,>(pick: () => T | null, what: string): Promise<T> => {
    for (let i = 0; i < 400; i++) {
      const v = pick();
      if (v !== null) return v;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}\nstdout:\n${out}\nstderr:\n${err}`);
  };
  return { child, done, out: () => out, err: () => err, waitFor };
}

describe('lab emulate (process)', () => {
  it('plays CXone for the scripted bot and writes the JSON report (exit 0)', async () => {
    const bot = await ScriptedBot.start('tcp', { header: 'X-ContactID', params: { p1: 'wa-cli', p2: 'x' } });
    bots.push(bot);
    const json = join(mkdtempSync(join(tmpdir(), 'lab-emulate-cli-')), 'report.json');
    const secret = 'cli-secret-0123456789abcdef====';
    const p = lab([
      'emulate', '--sip-target', bot.uri, '--api-listen', '127.0.0.1:0', '--profile', 'watson', '--transport', 'tcp', '--listen', '127.0.0.1:0',
      '--access-key-id', 'cli-key', '--access-key-secret', secret, '--json', json, '--timeout', '20', '--drop-wait', '2000', '--agent-delay', '0',
    ]);
    const base = await p.waitFor(() => /emulated CXone API: (http:\/\/127\.0\.0\.1:\d+)/.exec(p.out())?.[1] ?? null, 'the API line');
    bot.setApi({ base, accessKeyId: 'cli-key', accessKeySecret: secret });
    const code = await p.done;
    expect(code, `${p.out()}\n${p.err()}`).toBe(0);
    expect(p.out()).toMatch(/SIPPUTHEADER X-ContactID: \d+ \(MasterId \d+, child contact \d+\)/);
    expect(p.out()).toMatch(/Signal:\s+POST http:\/\/127\.0\.0\.1:\d+\/incontactapi\/services\/v30\.0\/interactions\/\{contactId\}\/signal/);
    expect(p.out()).toContain('PASS');
    expect(p.out() + p.err()).not.toContain(secret);
    const text = readFileSync(json, 'utf8');
    expect(text).not.toContain(secret);
    const report = JSON.parse(text) as RunReport;
    expect(report).toMatchObject({ ok: true, kind: 'emulate', profile: 'watson' });
    const call = report.calls[0]!;
    expect(call.api?.requests.map((r) => [r.kind, r.status])).toEqual([['token', 200], ['signal', 202]]);
    expect(call.api?.requests[0]?.exchange?.request.body).toContain('"accessKeySecret":"[redacted]"');
    expect(call.signal?.params).toEqual({ p1: 'wa-cli', p2: 'x' });
    expect(call.checks.every((c) => c.ok)).toBe(true);
    expect(call.checks.map((c) => c.name)).toEqual(expect.arrayContaining(['token-request', 'signal-contact-id', 'signal-params', 'onsignal', 'leg-dropped']));
    expect(call.cxone).toMatchObject({ outcome: 'REQAGENT', action: 'REQAGENT', signalledContactId: call.cxone?.masterId });
  });

  it('a bad --fault is a usage error (exit 2) naming the valid faults', async () => {
    const p = lab(['emulate', '--sip-target', 'sip:bot@127.0.0.1:5099', '--api-listen', '127.0.0.1:0', '--profile', 'watson', '--fault', 'teapot']);
    expect(await p.done).toBe(2);
    expect(p.err()).toMatch(/invalid fault "teapot".*no-leg-drop/);
  });
});
