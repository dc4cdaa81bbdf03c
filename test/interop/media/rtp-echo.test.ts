/**
 * Media interop with SIPp's RTP echo: our endpoint calls SIPp (uas_answer_until_bye.xml with
 * -rtp_echo: it answers PCMU first and sends every RTP packet back to its sender), plays a prompt,
 * and records what comes back. The recording must hold the prompt (normalised cross-correlation above 0.9) and the call's
 * latency must report answer_to_first_rtp.
 */
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CallRecorder } from '../../../src/main/scenarios/call-recorder';
import { normalizedCrossCorrelation, readWav, waitUntil } from '../../helpers/media/audio';
import { promptSamples } from '../../helpers/media/prompt-fixtures';
import { describeSipp, freePort, sippAvailable, waitForListening } from '../../helpers/sip/sipp';
import { beforeSippExits, sippHarness } from './sipp-harness';

const HAVE_SIPP = sippAvailable();
if (!HAVE_SIPP) console.warn('SIPp media interop tests skipped: `sipp` is not on PATH (Debian package sip-tester).');

const SCENARIO = resolve(import.meta.dirname, '../scenarios/uas_answer_until_bye.xml');
/** The first 2.5 s of the greeting: long enough for a clear correlation peak, short for the suite. */
const PROMPT_MS = 2500;

const h = sippHarness('sipp-media-echo-');

describe.skipIf(!HAVE_SIPP)('RTP echo through SIPp (-rtp_echo)', () => {
  it('the recording of the echo matches the prompt (NCC > 0.9); answer_to_first_rtp is reported', async () => {
    const caller = await h.endpoint('udp', 'cxone', { media: { recordDir: join(h.dir, 'recordings') } });
    const port = await freePort();
    const mediaPort = await freePort(4);
    const run = h.sipp(['-sf', SCENARIO, '-t', 'u1', '-i', '127.0.0.1', '-p', String(port), '-mp', String(mediaPort), '-rtp_echo',
      '-m', '1', '-timeout', '25', '-timeout_error', '-nostdin']);
    await waitForListening(port, 'udp');

    const recorder = new CallRecorder(null, null);
    const call = caller.ep.invite(`sip:echo@127.0.0.1:${port};transport=udp`);
    const tracked = recorder.track(call, { runId: null, profile: 'custom' });
    await beforeSippExits(run, call.waitForState('answered', 10_000), 'the call was answered');
    expect(call.media.remote).toMatchObject({ codec: 'PCMU', port: mediaPort });

    const prompt = promptSamples('greeting.wav', PROMPT_MS);
    await call.playPrompt(prompt);
    // Every packet we sent comes back (loopback): wait for the last echo before hanging up.
    const packets = Math.ceil(prompt.length / 160);
    await waitUntil(() => call.media.rtpPacketsIn >= packets, 'the echo of every packet', 2000);
    await call.hangup();
    await call.waitForEnd(10_000);
    await call.mediaClosed();
    const result = await run.done;
    expect(result.code, describeSipp(result)).toBe(0);

    const report = call.mediaReport();
    expect(report.codec).toBe('PCMU');
    expect(report.sent.packets).toBeGreaterThanOrEqual(packets);
    expect(report.received.packets).toBeGreaterThanOrEqual(packets);
    expect(report.oneWayAudio.verdict).toBe('both');
    expect(report.recordingPath).toBeTruthy();
    const recording = readWav(report.recordingPath!);
    expect(recording).toMatchObject({ rate: 8000, channels: 1, bitDepth: '16' });
    const ncc = normalizedCrossCorrelation(prompt, recording.samples, 160);
    expect(ncc.value, `peak NCC ${ncc.value.toFixed(4)} at lag ${ncc.lag}`).toBeGreaterThan(0.9);

    const marks = tracked.latency();
    expect(marks.answer_to_first_rtp).toBeTypeOf('number');
    expect(marks.answer_to_first_rtp).toBeGreaterThanOrEqual(0);
    // The echo is speech: the VAD finds it too.
    expect(marks.answer_to_first_voice).toBeTypeOf('number');
  });
});
