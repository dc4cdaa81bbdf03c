// A recorded handoff keeps its RTP next to the recording (x.rtp.pcap, through the media engine's
// onRtpPacket hook), and the pcap export of the run's calls carries it beside the SIP messages.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryStore } from '../../../src/main/history/store';
import { callsPcap } from '../../../src/main/pcap/export-calls';
import { runHandoff } from '../../../src/main/scenarios/handoff';

describe('pcap export of a recorded handoff', () => {
  it('holds the RTP the CXone side sent and received, not only SIP', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-rtp-export-'));
    const dbFile = join(dir, 'h.db');
    const report = await runHandoff({ profile: 'watson', transport: 'udp', dbFile, recordDir: join(dir, 'rec'), greetingBeforeSignalMs: 400 });
    const store = HistoryStore.open(dbFile);
    try {
      const run = store.getRun(report.runId);
      const calls = (run?.callIds ?? []).map((id) => store.getCall(id)!);
      const recorded = calls.filter((c) => c.media?.recordingPath);
      expect(recorded.length).toBeGreaterThan(0);
      expect(recorded[0]!.media!.received.packets).toBeGreaterThan(0);
      const out = callsPcap(calls);
      expect(out.sipMessages).toBeGreaterThan(0);
      // Every RTP packet the media report counts for the recorded leg is in the export.
      const m = recorded[0]!.media!;
      expect(out.udpDatagrams).toBeGreaterThanOrEqual(m.received.packets + m.sent.packets);
      expect(out.notes.join('\n')).not.toContain(`call ${recorded[0]!.callId} (${recorded[0]!.role}): RTP was not captured`);
    } finally {
      store.close();
    }
  });
});
