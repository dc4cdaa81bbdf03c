// Import of captures made by a real capture tool: tshark on the "any" device (Linux cooked
// capture, as `tcpdump -i any` writes it) records a real embedded handoff — in pcapng with SLL and
// in pcap with SLL2 — and the import rebuilds the call with the same contact-id verdict as the
// run's own bot leg (the HTTP of the emulated CXone API in the same capture is skipped). Needs
// tshark and the right to capture (root, or dumpcap's capabilities).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryStore } from '../../../src/main/history/store';
import { importCaptureFile } from '../../../src/main/import/import-capture';
import { runHandoff } from '../../../src/main/scenarios/handoff';
import { startCapture, toolAvailable } from '../../helpers/reports/tools';

const HAVE_TSHARK = toolAvailable('tshark', ['-v']);

describe.skipIf(!HAVE_TSHARK)('import of a live tshark capture on the any device (Debian: tshark)', () => {
  it.each([
    ['tcp', 'pcapng', 'Linux cooked capture v1 (the default)', undefined],
    ['udp', 'pcap', 'Linux cooked capture v2', 'LINUX_SLL2'],
  ] as const)('%s handoff captured as %s, %s', async (transport, format, _label, linkType) => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-live-'));
    const file = join(dir, `live.${format}`);
    const capture = await startCapture({ iface: 'any', filter: 'host 127.0.0.1 and (udp or tcp)', file, format, linkType });
    let report;
    try {
      report = await runHandoff({ profile: 'kore', transport, dbFile: join(dir, 'history.db') });
    } finally {
      await capture.stop();
    }
    const store = HistoryStore.open(join(dir, 'history.db'));
    try {
      const original = store.getCall(report.calls[0]!.callRef)!;
      const s = importCaptureFile(file, { profile: 'kore', store });
      expect(s.error).toBeNull();
      expect(s.format).toBe(format);
      // Other traffic on the machine may hold SIP too: take this run's call.
      const mine = s.calls.filter((c) => c.callId === original.callId);
      expect(mine).toHaveLength(1);
      expect(mine[0]!.verdict).toEqual(original.verdict);
      const call = store.getCall(mine[0]!.callRef)!;
      expect(call.messages.map((m) => `${m.direction} ${m.firstLine}`)).toEqual(original.messages.map((m) => `${m.direction} ${m.firstLine}`));
    } finally {
      store.close();
    }
  });
});
