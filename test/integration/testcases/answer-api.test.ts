/**
 * `answer` mode with a CXone API given by URL (here the emulator as a stand-in tenant) and the
 * access key's secret as `${env:…}`: the case is the bot, our own endpoint is the caller (CXone)
 * keying a digit. The Signal reaches the API with the case's key, and the secret is in nothing the
 * run reports.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CxoneEmulatorApi, type EmulatorSignalEvent } from '../../../src/main/emulator/api-server';
import { LabRuntime } from '../../../src/main/runtime/lab-runtime';
import type { TestRunReport } from '../../../src/main/runs/test-case';
import { SipEndpoint } from '../../../src/main/sip/endpoint';
import { freePort, waitForListening } from '../../helpers/sip/sipp';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('answer mode with a CXone API by URL', () => {
  it('signals the contact id of the INVITE with the key from the environment', async () => {
    const secret = 'very-secret-key-value-0123456789';
    process.env.LAB_ANSWER_TEST_SECRET = secret;
    const api = await CxoneEmulatorApi.start({ host: '127.0.0.1', port: 0, accessKeys: [{ accessKeyId: 'lab-key', accessKeySecret: secret }] });
    cleanups.push(() => api.stop());
    api.contacts.add({ contactId: '10987654321', role: 'master', onSignal: () => {} });
    const signals: EmulatorSignalEvent[] = [];
    api.on('signal', (e) => signals.push(e));
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'answer-api-'));
    const file = join(dir, 'bot.yaml');
    writeFileSync(
      file,
      `name: the bot signals the real API
profile: watson
mode: answer
sip: { listen: "tcp:127.0.0.1:${port}" }
cxone: { api: "${api.baseUrl}", auth: "${api.baseUrl}", access_key_id: lab-key, access_key_secret: "\${env:LAB_ANSWER_TEST_SECRET}" }
timeout: 20s
steps:
  - expect_header: { name: X-ContactID, value: "10987654321" }
  - expect_dtmf: { digits: "2", within: 8s }
  - signal: { p1: hangup }
  - hangup
expect: { contact_id: pass, budgets: { token: 5s, signal_http: 5s } }
`,
    );
    const rt = LabRuntime.open({ dbFile: null });
    cleanups.push(() => rt.close());
    const running = rt.run<TestRunReport>('test', { paths: [file] });
    await waitForListening(port, 'tcp');
    const caller = await SipEndpoint.start({ transport: 'tcp', host: '127.0.0.1', port: 0, user: 'cxone' });
    cleanups.push(() => caller.stop());
    const call = caller.invite(`sip:bot@127.0.0.1:${port};transport=tcp`, { extraHeaders: [{ name: 'X-ContactID', value: '10987654321' }] });
    await call.waitForState('answered', 10_000);
    // The bot may act on the digit and hang up before its trailing end packets go out.
    await call.sendDtmf('2').catch(() => {});
    const r = await running;
    const c = r.cases[0]!;
    const failed = c.steps.find((s) => s.status === 'failed');
    expect(failed ? `${failed.kind}: ${failed.detail}` : 'none').toBe('none');
    expect(r.ok, JSON.stringify(c.expectations)).toBe(true);
    expect(signals.map((s) => [s.contactId, s.params.p1, s.status])).toEqual([['10987654321', 'hangup', 202]]);
    expect(c.latency.token_ms).toBeGreaterThan(0);
    expect(JSON.stringify(r)).not.toContain(secret);
  }, 40_000);
});
