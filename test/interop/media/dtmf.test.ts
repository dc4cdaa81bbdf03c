/**
 * DTMF interop with SIPp, both ways, as RFC 4733 telephone-events:
 * - we send `1#` to SIPp (uas_answer_until_bye.xml); SIPp 3.6.1 keeps no RTP trace of its own, so
 *   `tshark` captures what reaches SIPp's media port and decodes the events;
 * - SIPp sends `1` then `#` (uas_dtmf_pcap.xml replays its own dtmf_2833_*.pcap captures); the
 *   digits appear in our media report.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SipCall } from '../../../src/main/sip/call';
import { waitUntil } from '../../helpers/media/audio';
import { copySippPcaps } from '../../helpers/media/prompt-fixtures';
import { digitsOf, startRtpEventCapture, type RtpEventCapture } from '../../helpers/media/tshark-rtp-events';
import { toolAvailable } from '../../helpers/reports/tools';
import { describeSipp, freePort, sippAvailable, waitForListening, type SippRun } from '../../helpers/sip/sipp';
import { beforeSippExits, sippHarness } from './sipp-harness';

const HAVE_SIPP = sippAvailable();
const HAVE_TSHARK = toolAvailable('tshark');
if (!HAVE_SIPP) console.warn('SIPp DTMF interop tests skipped: `sipp` is not on PATH (Debian package sip-tester).');
if (HAVE_SIPP && !HAVE_TSHARK) console.warn('DTMF-to-SIPp test skipped: `tshark` is not on PATH (Debian package tshark).');

const ANSWER = resolve(import.meta.dirname, '../scenarios/uas_answer_until_bye.xml');
const DTMF_PCAP = resolve(import.meta.dirname, '../scenarios/uas_dtmf_pcap.xml');
const PCAPS = ['dtmf_2833_1.pcap', 'dtmf_2833_pound.pcap'];

const h = sippHarness('sipp-media-dtmf-');

/** Calls a SIPp UAS running `scenario` and resolves with the answered call and the SIPp run. */
async function callSipp(scenario: string, mediaPort: number): Promise<{ call: SipCall; run: SippRun }> {
  const caller = await h.endpoint('udp', 'cxone');
  // freePort released its probe sockets: keep SIPp's SIP port out of the RTP/RTCP range it will bind (-mp, 4 ports).
  let port = await freePort();
  while (port >= mediaPort && port < mediaPort + 4) port = await freePort();
  const run = h.sipp(['-sf', scenario, '-t', 'u1', '-i', '127.0.0.1', '-p', String(port), '-mp', String(mediaPort), '-m', '1',
    '-timeout', '25', '-timeout_error', '-nostdin']);
  await waitForListening(port, 'udp');
  const call = caller.ep.invite(`sip:dtmf@127.0.0.1:${port};transport=udp`);
  await beforeSippExits(run, call.waitForState('answered', 10_000), 'the call was answered');
  return { call, run };
}

/** The digits of one direction in the call's media report. */
function reportDigits(call: SipCall, direction: 'in' | 'out'): string[] {
  return call.mediaReport().dtmf.filter((d) => d.direction === direction).map((d) => d.digit);
}

async function hangUpAndCheckSipp(call: SipCall, run: SippRun): Promise<void> {
  await call.hangup();
  await call.waitForEnd(10_000);
  await call.mediaClosed();
  const result = await run.done;
  expect(result.code, describeSipp(result)).toBe(0);
}

describe.skipIf(!HAVE_SIPP)('DTMF with SIPp (RFC 4733 telephone-events)', () => {
  it.skipIf(!HAVE_TSHARK)('DTMF 1# we send arrives at SIPp as telephone-events (tshark trace of its media port)', async (ctx) => {
    const mediaPort = await freePort(4);
    let capture: RtpEventCapture;
    try {
      capture = await startRtpEventCapture({ port: mediaPort, dir: h.dir, name: 'to-sipp' });
    } catch (e) {
      console.warn(`DTMF-to-SIPp test skipped: ${(e as Error).message}`);
      ctx.skip();
      return;
    }
    h.onCleanup(() => capture.kill());
    const { call, run } = await callSipp(ANSWER, mediaPort);
    const pt = call.media.remote?.dtmfPayloadType;
    expect(pt).toBe(101);

    await call.sendDtmf('1#');
    await hangUpAndCheckSipp(call, run);
    const events = await capture.stop();

    expect(digitsOf(events)).toBe('1#');
    expect(new Set(events.map((e) => e.payloadType))).toEqual(new Set([pt]));
    for (const event of [1, 11]) {
      const packets = events.filter((e) => e.event === event);
      expect(packets[0]?.marker, `event ${event} starts with the marker bit (RFC 4733 §2.5.1)`).toBe(true);
      expect(packets.some((e) => e.end), `event ${event} has end packets (RFC 4733 §2.5.1)`).toBe(true);
      expect(Math.max(...packets.map((e) => e.duration))).toBe(800); // 100 ms at 8000 Hz
    }
    expect(reportDigits(call, 'out')).toEqual(['1', '#']);
  });

  it('digits SIPp sends (its dtmf_2833 pcaps: 1 then #) appear in our media report', async (ctx) => {
    if (!copySippPcaps(h.dir, PCAPS)) {
      console.warn(`DTMF-from-SIPp test skipped: SIPp's ${PCAPS.join(', ')} are not installed`);
      ctx.skip();
      return;
    }
    const mediaPort = await freePort(4);
    const { call, run } = await callSipp(DTMF_PCAP, mediaPort);
    // Polled from the report: a digit may be over before a listener could be set.
    await waitUntil(() => reportDigits(call, 'in').length >= 2, 'two digits from SIPp', 5000);
    await hangUpAndCheckSipp(call, run);

    expect(reportDigits(call, 'in')).toEqual(['1', '#']);
    const inReport = call.mediaReport().dtmf.filter((d) => d.direction === 'in');
    // Each pcap holds one 280 ms event (duration 2240 at 8000 Hz).
    for (const d of inReport) expect(d.durationMs).toBe(280);
  });
});
