/**
 * SIP INFO DTMF (application/dtmf-relay) with SIPp, both ways, in one dialog
 * (uas_info_dtmf.xml): the INFO we send with Signal=2 passes SIPp's checks of its Content-Type and
 * body; the INFO SIPp sends with Signal=5 becomes a received digit in our media report.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conversationOf } from '../../../src/main/media/conversation';
import { describeSipp, freePort, sippAvailable, waitForListening } from '../../helpers/sip/sipp';
import { beforeSippExits, sippHarness } from './sipp-harness';

const HAVE_SIPP = sippAvailable();
const SCENARIO = resolve(import.meta.dirname, '../scenarios/uas_info_dtmf.xml');
const h = sippHarness('sipp-info-dtmf-');

describe.skipIf(!HAVE_SIPP)('SIP INFO DTMF with SIPp', () => {
  it('our INFO Signal=2 passes SIPp, its INFO Signal=5 reaches our report and waits', async () => {
    const caller = await h.endpoint('udp', 'cxone');
    const port = await freePort();
    const mediaPort = await freePort(4);
    const run = h.sipp(['-sf', SCENARIO, '-t', 'u1', '-i', '127.0.0.1', '-p', String(port), '-mp', String(mediaPort), '-m', '1', '-timeout', '25', '-timeout_error', '-nostdin']);
    await waitForListening(port, 'udp');
    const call = caller.ep.invite(`sip:dtmf@127.0.0.1:${port};transport=udp`);
    await beforeSippExits(run, call.waitForState('answered', 10_000), 'the call was answered');
    const me = conversationOf(call);
    const heard = me.waitForDtmf({ digits: '5', withinMs: 10_000 });
    await me.sendDtmf('2', 'info');
    const got = await beforeSippExits(run, heard, 'SIPp sent its INFO');
    expect(got).toMatchObject([{ direction: 'in', digit: '5', durationMs: 160, via: 'info' }]);
    await call.hangup();
    await call.waitForEnd(10_000);
    const result = await run.done;
    expect(result.code, describeSipp(result)).toBe(0);
    expect(call.mediaReport().dtmf.map((d) => `${d.direction}${d.digit}/${d.via}`)).toEqual(['out2/info', 'in5/info']);
    const infos = call.messages.filter((m) => m.method === 'INFO');
    expect(infos.map((m) => `${m.direction} ${m.status ?? 'INFO'}`)).toEqual(['out INFO', 'in 200', 'in INFO', 'out 200']);
  });
});
