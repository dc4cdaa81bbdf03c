// Exported pcaps open in the tools support staff use: tshark lists every SIP message with its
// Call-ID and X- headers (UDP, TCP, and TLS calls exported as clear text on port 5061); sngrep
// (no-interface mode) takes the dialog and every message; RTP captured during a call is decoded
// as RTP from the call's SDP.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../../src/main/history/store';
import { RtpCapture } from '../../../src/main/pcap/rtp-capture';
import { buildSipPcap } from '../../../src/main/pcap/sip-pcap';
import { callsPcap } from '../../../src/main/pcap/export-calls';
import { writeReports } from '../../../src/main/reports/write-reports';
import { CallRecorder } from '../../../src/main/scenarios/call-recorder';
import { runHandoff } from '../../../src/main/scenarios/handoff';
import { answeredCall, type MediaCallPair } from '../../helpers/media/media-call';
import { sampleMessages } from '../../helpers/reports/sample-calls';
import { sngrepRead, toolAvailable, tsharkSip } from '../../helpers/reports/tools';
import { writeFileSync } from 'node:fs';

const HAVE_TSHARK = toolAvailable('tshark', ['-v']);
const HAVE_SNGREP = toolAvailable('sngrep', ['-V']);
const tmp = () => mkdtempSync(join(tmpdir(), 'lab-pcap-'));

const pairs: MediaCallPair[] = [];
afterEach(async () => {
  await Promise.all(pairs.splice(0).map((p) => p.stop()));
});

describe.skipIf(!HAVE_TSHARK || !HAVE_SNGREP)('exported pcap in tshark and sngrep (Debian: tshark, sngrep)', () => {
  it.each(['udp', 'tcp'] as const)('a handoff over %s: every SIP message with its Call-ID and X- header', async (transport) => {
    const dir = tmp();
    const dbFile = join(dir, 'history.db');
    const report = await runHandoff({ profile: 'kore', transport, dbFile });
    const store = HistoryStore.open(dbFile);
    const file = join(dir, `handoff-${transport}.pcap`);
    let expected: number;
    try {
      const written = writeReports(store, { runId: report.runId }, { pcap: file });
      expected = written.pcap!.sipMessages;
    } finally {
      store.close();
    }
    const call = report.calls[0]!;
    const sip = tsharkSip(file);
    expect(sip).toHaveLength(expected);
    expect(new Set(sip.map((m) => m.callId))).toEqual(new Set([call.callId]));
    expect(sip.map((m) => m.method || m.status).slice(0, 4)).toEqual(['INVITE', '100', '180', '200']);
    const invite = sip.find((m) => m.method === 'INVITE')!;
    expect(invite.headers).toContain(`X-ExternalCallId: ${call.contactId.value}`);

    const sng = sngrepRead(file, join(dir, 'sngrep-out.pcap'));
    expect(sng.dialogs, sng.output).toBe(1);
    expect(tsharkSip(join(dir, 'sngrep-out.pcap'))).toHaveLength(expected);
  });

  it('a TLS call is exported as its clear text on TCP port 5061, and tshark and sngrep read it', () => {
    const dir = tmp();
    const messages = sampleMessages({ transport: 'tls', local: '10.9.8.7:5061', remote: '10.1.2.3:40123' });
    const file = join(dir, 'tls.pcap');
    writeFileSync(file, buildSipPcap({ messages }).bytes);
    const sip = tsharkSip(file);
    expect(sip.map((m) => m.method || m.status)).toEqual(['INVITE', '100', '180', '200', 'ACK', 'BYE', '200']);
    expect(sip[0]!.headers).toContain('X-ContactID: 701234567890');
    expect(sngrepRead(file, join(dir, 'out.pcap')).dialogs).toBe(1);
  });

  it('RTP captured during a call (next to its recording) is exported with the SIP and decoded as RTP', async () => {
    const dir = tmp();
    const recordDir = join(dir, 'recordings');
    mkdirSync(recordDir);
    const capture = new RtpCapture();
    const store = HistoryStore.open(join(dir, 'history.db'));
    try {
      const pair = await answeredCall({ onRtpPacket: capture.onRtpPacket, recordDir, rtcpIntervalMs: 200 }, {});
      pairs.push(pair);
      const recorder = new CallRecorder(store, null);
      const tracked = recorder.track(pair.aCall, { runId: null, profile: 'watson' });
      await pair.bCall.playPrompt(join(import.meta.dirname, '../../../resources/prompts/beep.wav'));
      await pair.aCall.hangup();
      await pair.aCall.waitForEnd(5000);
      await pair.aCall.mediaClosed();
      const media = pair.aCall.mediaReport();
      const saved = capture.saveCall(media);
      expect(saved).toBe(media.recordingPath!.replace(/\.wav$/, '.rtp.pcap'));
      // An ended call has left the recorder's live map (issue 11): save through the handle track() gave.
      recorder.save(tracked, true);
      const detail = store.getCall(pair.aCall.id)!;
      const out = callsPcap([detail]);
      writeFileSync(join(dir, 'call.pcap'), out.bytes);
      expect(out.udpDatagrams).toBeGreaterThanOrEqual(media.received.packets);
      expect(out.notes).toEqual([]);
      const rtp = spawnSync('tshark', ['-r', join(dir, 'call.pcap'), '-Y', 'rtp', '-T', 'fields', '-e', 'rtp.ssrc'], { encoding: 'utf8' });
      const lines = rtp.stdout.split('\n').filter(Boolean);
      expect(lines.length).toBeGreaterThanOrEqual(media.received.packets);
      expect(tsharkSip(join(dir, 'call.pcap')).length).toBe(detail.messages.length);
    } finally {
      store.close();
    }
  });
});
