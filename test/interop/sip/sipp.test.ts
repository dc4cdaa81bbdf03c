/**
 * Interop with SIPp (a real SIP peer), over UDP and TCP, both directions:
 * (a) our endpoint calls `sipp -sn uas` with X-ContactID and X-Campaign; SIPp's message log shows both;
 * (b) SIPp as UAC (uac_xheader_remote_bye.xml) calls our endpoint with X-ContactID 998877 to an
 *     arbitrary Request-URI user; we accept, then hang up with BYE; SIPp exits 0.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { headerValues } from '../../../src/main/sip/message';
import { nextIncomingCall, startEndpoint, type TestEndpoint } from '../../helpers/sip/endpoints';
import { describeSipp, freePort, runSipp, sippAvailable, waitForListening, type SippRun } from '../../helpers/sip/sipp';

const HAVE_SIPP = sippAvailable();
if (!HAVE_SIPP) console.warn('SIPp interop tests skipped: `sipp` is not on PATH (Debian package sip-tester).');

const SCENARIO = resolve(__dirname, '../scenarios/uac_xheader_remote_bye.xml');
const LATE_OFFER_SCENARIO = resolve(__dirname, '../scenarios/uac_late_offer.xml');
const SIPP_TIMEOUT_MS = 30_000;

const started: TestEndpoint[] = [];
const runs: SippRun[] = [];
let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sipp-interop-'));
  return () => rmSync(dir, { recursive: true, force: true });
});

afterEach(async () => {
  runs.splice(0).forEach((r) => r.kill());
  await Promise.all(started.splice(0).map((t) => t.ep.stop()));
});

describe.skipIf(!HAVE_SIPP)('SIPp interop (needs `sipp` on PATH)', () => {
  describe.each([
    ['udp', 'u1'],
    ['tcp', 't1'],
  ] as const)('over %s', (transport, sippTransport) => {
    it('(a) our INVITE with X-ContactID and X-Campaign reaches `sipp -sn uas`; call answered; our BYE ends it', async () => {
      const caller = await startEndpoint(transport, 'cxone');
      started.push(caller);
      const port = await freePort();
      const mediaPort = await freePort(4);
      const messageFile = join(dir, `uas-${transport}.msgs`);
      const run = runSipp(
        ['-sn', 'uas', '-t', sippTransport, '-i', '127.0.0.1', '-p', String(port), '-mp', String(mediaPort), '-m', '1',
          '-timeout', '25', '-timeout_error', '-trace_msg', '-message_file', messageFile, '-nostdin'],
        { cwd: dir, timeoutMs: SIPP_TIMEOUT_MS },
      );
      runs.push(run);
      await waitForListening(port, transport);

      const call = caller.ep.invite(`sip:service@127.0.0.1:${port};transport=${transport}`, {
        extraHeaders: [
          { name: 'X-ContactID', value: '998877' },
          { name: 'X-Campaign', value: 'spring' },
        ],
      });
      const exited = run.done.then((r) => {
        throw new Error(`SIPp exited before the call was answered: ${describeSipp(r)}`);
      });
      await Promise.race([call.waitForState('answered', 10_000), exited]);
      exited.catch(() => {});
      expect(call.messages.map((m) => m.status ?? m.method)).toEqual(expect.arrayContaining(['INVITE', 180, 200, 'ACK']));
      expect(call.media.remote?.port).toBe(mediaPort);

      await call.hangup();
      expect(await call.waitForEnd(10_000)).toEqual({ by: 'local', reason: 'BYE' });
      const result = await run.done;
      expect(result.code, describeSipp(result)).toBe(0);
      const log = readFileSync(messageFile, 'utf8');
      expect(log).toContain('X-ContactID: 998877');
      expect(log).toContain('X-Campaign: spring');
    });

    it('(b) SIPp UAC calls us with X-ContactID 998877; we accept and hang up with BYE; SIPp exits 0', async () => {
      const callee = await startEndpoint(transport, 'bot');
      started.push(callee);
      const sippPort = await freePort();
      const mediaPort = await freePort(4);
      const incoming = nextIncomingCall(callee.ep, 15_000);
      const run = runSipp(
        [`127.0.0.1:${callee.ep.listener.port}`, '-sf', SCENARIO, '-s', '4930123456', '-t', sippTransport,
          '-i', '127.0.0.1', '-p', String(sippPort), '-mp', String(mediaPort), '-m', '1', '-timeout', '25', '-timeout_error',
          '-trace_msg', '-message_file', join(dir, `uac-${transport}.msgs`), '-nostdin'],
        { cwd: dir, timeoutMs: SIPP_TIMEOUT_MS },
      );
      runs.push(run);
      const exited = run.done.then((r) => {
        throw new Error(`SIPp exited before calling: ${describeSipp(r)}`);
      });
      const call = await Promise.race([incoming, exited]);
      exited.catch(() => {});

      expect(call.invite?.parsed.headers).toContainEqual({ name: 'X-ContactID', value: '998877' });
      expect(headerValues(call.invite!.parsed.headers, 'X-Campaign')).toEqual(['spring-2025']);
      expect(call.originalRequestUri).toBe(`sip:4930123456@127.0.0.1:${callee.ep.listener.port};transport=${transport === 'udp' ? 'UDP' : 'TCP'}`);
      await call.accept();
      expect(call.media.remote).toMatchObject({ codec: 'PCMU', dtmfPayloadType: 101 });
      await call.hangup();
      expect(await call.waitForEnd(10_000)).toEqual({ by: 'local', reason: 'BYE' });
      const result = await run.done;
      expect(result.code, describeSipp(result)).toBe(0);
      expect(call.messages.map((m) => `${m.direction}:${m.status ?? m.method}`)).toEqual([
        'in:INVITE', 'out:100', 'out:180', 'out:200', 'in:ACK', 'out:BYE', 'in:200',
      ]);
    });

    it('(c) late offer: SIPp INVITE without SDP; our 200 carries the offer, the ACK the answer (PCMA)', async () => {
      const callee = await startEndpoint(transport, 'bot');
      started.push(callee);
      const sippPort = await freePort();
      const mediaPort = await freePort(4);
      const incoming = nextIncomingCall(callee.ep, 15_000);
      const run = runSipp(
        [`127.0.0.1:${callee.ep.listener.port}`, '-sf', LATE_OFFER_SCENARIO, '-s', 'bot', '-t', sippTransport,
          '-i', '127.0.0.1', '-p', String(sippPort), '-mp', String(mediaPort), '-m', '1', '-timeout', '25', '-timeout_error', '-nostdin'],
        { cwd: dir, timeoutMs: SIPP_TIMEOUT_MS },
      );
      runs.push(run);
      const exited = run.done.then((r) => {
        throw new Error(`SIPp exited before calling: ${describeSipp(r)}`);
      });
      const call = await Promise.race([incoming, exited]);
      exited.catch(() => {});
      expect(call.invite?.parsed.body).toBe('');
      const ackIn = new Promise<void>((r) => call.on('message', (m) => m.direction === 'in' && m.method === 'ACK' && r()));
      await call.accept();
      const ok = call.messages.find((m) => m.direction === 'out' && m.status === 200);
      expect(ok?.raw).toContain('m=audio ' + call.media.local.port + ' RTP/AVP 0 8 101');
      await ackIn;
      expect(call.media.remote).toMatchObject({ codec: 'PCMA', payloadType: 8, port: mediaPort, dtmfPayloadType: 101 });
      await call.hangup();
      expect(await call.waitForEnd(10_000)).toEqual({ by: 'local', reason: 'BYE' });
      const result = await run.done;
      expect(result.code, describeSipp(result)).toBe(0);
    });
  });
});
