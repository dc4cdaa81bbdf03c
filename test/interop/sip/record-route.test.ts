// A call through a record-routing proxy (SIPp plays the proxy and the caller): our 200 echoes the
// Record-Route and our BYE follows the route set to the proxy, with the remote Contact as its
// Request-URI (RFC 3261 §12.1.1, §12.2.1.1), although nothing listens at that Contact.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SipEndpoint } from '../../../src/main/sip/endpoint';
import { describeSipp, freePort, runSipp, sippAvailable, type SippRun } from '../../helpers/sip/sipp';

const SCENARIO = resolve(import.meta.dirname, '../scenarios/uac_record_route.xml');
const eps: SipEndpoint[] = [];
const runs: SippRun[] = [];
afterEach(async () => {
  runs.splice(0).forEach((r) => r.kill());
  await Promise.all(eps.splice(0).map((e) => e.stop()));
});

describe.skipIf(!sippAvailable())('route set from Record-Route (SIPp as proxy)', () => {
  it.each([
    ['udp', 'u1'],
    ['tcp', 't1'],
  ] as const)('over %s: 200 echoes Record-Route, BYE goes to the proxy', async (transport, sippTransport) => {
    const bot = await SipEndpoint.start({ transport, host: '127.0.0.1', port: 0, user: 'bot' });
    eps.push(bot);
    const answered = new Promise<import('../../../src/main/sip/call').SipCall>((r) => (bot.onInvite = (c) => void c.accept().then(() => r(c))));
    const port = await freePort(4);
    const run = runSipp(
      [`127.0.0.1:${bot.listener.port}`, '-sf', SCENARIO, '-s', '4930123456', '-t', sippTransport, '-i', '127.0.0.1', '-p', String(port), '-mp', String(port + 2), '-m', '1', '-nostdin', '-timeout', '25', '-timeout_error'],
      { cwd: mkdtempSync(join(tmpdir(), 'rr-')), timeoutMs: 30_000 },
    );
    runs.push(run);
    const call = await answered;
    const ok = call.messages.find((m) => m.direction === 'out' && m.status === 200)!;
    expect(ok.raw).toMatch(/Record-Route: <sip:127\.0\.0\.1:\d+;transport=\w+;lr>/);
    await call.waitForState('answered', 5000);
    await call.hangup();
    const result = await run.done;
    expect(result.code, describeSipp(result)).toBe(0);
    const bye = call.messages.find((m) => m.direction === 'out' && m.method === 'BYE' && m.status === undefined)!;
    expect(bye.firstLine).toMatch(/^BYE sip:caller@127\.0\.0\.1:9/);
    expect(bye.raw).toMatch(/Route: <sip:127\.0\.0\.1:\d+;transport=\w+;lr>/);
    expect(bye.remote).toBe(`127.0.0.1:${port}`);
  });
});
