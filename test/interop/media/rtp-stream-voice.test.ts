/**
 * Media interop with SIPp's rtp_stream: SIPp as UAC (uac_rtp_stream.xml) calls our endpoint and,
 * once answered, streams audio that starts with 1.5 s of silence (then 2 s of the caller prompt).
 * Our recording must hold that audio, and answer_to_first_voice must be 1.5 s within 60 ms: a
 * check of the measurement's accuracy (our 200 OK → the VAD's first voice frame), not of speed.
 *
 * SIPp 3.6.1 starts an rtp_stream 7-25 ms after its ACK, and up to ~115 ms on a loaded machine
 * (its RTP thread picks the new stream up on its next wake-up). That delay is the peer's, not our
 * measurement's: the silence is sent as RTP, so answer_to_first_rtp is the moment the stream began,
 * and the accuracy check is answer_to_first_voice = answer_to_first_rtp + 1.5 s, within 60 ms.
 */
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CallRecorder } from '../../../src/main/scenarios/call-recorder';
import { concat, normalizedCrossCorrelation, readWav, silence } from '../../helpers/media/audio';
import { firstLoudSample, fromFirstLoudFrame, promptSamples, RATE, writeRawAlaw } from '../../helpers/media/prompt-fixtures';
import { nextIncomingCall } from '../../helpers/sip/endpoints';
import { describeSipp, freePort, sippAvailable } from '../../helpers/sip/sipp';
import { beforeSippExits, sippHarness } from './sipp-harness';

const HAVE_SIPP = sippAvailable();
if (!HAVE_SIPP) console.warn('SIPp media interop tests skipped: `sipp` is not on PATH (Debian package sip-tester).');

const SCENARIO = resolve(import.meta.dirname, '../scenarios/uac_rtp_stream.xml');
const SILENCE_MS = 1500;
const SPEECH_MS = 2000;
/** How far answer_to_first_voice may be from SILENCE_MS (ms): the accuracy the issue asks for. */
const TOLERANCE_MS = 60;

const h = sippHarness('sipp-media-stream-');

describe.skipIf(!HAVE_SIPP)('SIPp UAC streams audio after 1.5 s of silence (rtp_stream)', () => {
  it('our recording holds the stream, and answer_to_first_voice is 1.5 s within 60 ms', async () => {
    const callee = await h.endpoint('udp', 'bot', { media: { recordDir: join(h.dir, 'recordings') } });
    // SIPp reads `rtp-stream.alaw` from its working directory (see the scenario's comment).
    // The speech starts with a loud frame, so the silence ends exactly where the voice begins.
    const speech = fromFirstLoudFrame(promptSamples('caller.wav')).slice(0, (SPEECH_MS * RATE) / 1000);
    const stream = concat(silence(SILENCE_MS), speech);
    writeRawAlaw(join(h.dir, 'rtp-stream.alaw'), stream);
    const streamMs = (stream.length / RATE) * 1000;

    const sippPort = await freePort();
    const mediaPort = await freePort(4);
    const incoming = nextIncomingCall(callee.ep, 15_000);
    const run = h.sipp([`127.0.0.1:${callee.ep.listener.port}`, '-sf', SCENARIO, '-s', 'bot', '-t', 'u1', '-i', '127.0.0.1',
      '-p', String(sippPort), '-mp', String(mediaPort), '-m', '1', '-d', String(streamMs + 500),
      '-timeout', '25', '-timeout_error', '-nostdin']);
    const call = await beforeSippExits(run, incoming, 'calling');
    const tracked = new CallRecorder(null, null).track(call, { runId: null, profile: 'custom' });
    await call.accept();
    expect(call.media.remote).toMatchObject({ codec: 'PCMA', port: mediaPort });

    // SIPp hangs up once the stream is over.
    expect(await call.waitForEnd(streamMs + 10_000)).toEqual({ by: 'remote', reason: 'BYE' });
    await call.mediaClosed();
    const result = await run.done;
    expect(result.code, describeSipp(result)).toBe(0);

    const report = call.mediaReport();
    expect(report.codec).toBe('PCMA');
    expect(report.received.packets).toBe(stream.length / 160);
    expect(report.received.lost).toBe(0);
    const recording = readWav(report.recordingPath!).samples;
    // The recording holds the stream from its start: the silence, then the speech.
    const ncc = normalizedCrossCorrelation(stream, recording, 160);
    expect(ncc.value, `peak NCC ${ncc.value.toFixed(4)} at lag ${ncc.lag}`).toBeGreaterThan(0.9);
    const onsetMs = (firstLoudSample(recording) / RATE) * 1000;
    expect(onsetMs).toBeGreaterThanOrEqual(SILENCE_MS);
    expect(onsetMs).toBeLessThan(SILENCE_MS + 100);

    const marks = tracked.latency();
    const firstRtp = marks.answer_to_first_rtp;
    const firstVoice = marks.answer_to_first_voice;
    expect(firstRtp).toBeTypeOf('number');
    expect(firstVoice).toBeTypeOf('number');
    const why = `answer_to_first_voice ${firstVoice} ms, answer_to_first_rtp ${firstRtp} ms (SIPp's stream start)`;
    expect(Math.abs(firstVoice! - firstRtp! - SILENCE_MS), why).toBeLessThanOrEqual(TOLERANCE_MS);
  });
});
