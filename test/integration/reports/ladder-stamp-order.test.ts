// The SIP ladder is drawn in stamp order (issue 15, stamps): a received datagram is stamped on the
// wire thread and a sent one on the main thread, so the order history records them in (`seq`) can
// differ from their stamps by a fraction of a ms. History keeps `seq` (a real SQLite file here);
// the HTML report's ladder (and the dashboard's, through the same shared/sip-order.ts) draws by
// monotonic stamp, `seq` breaking a tie.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../../src/main/history/store';
import { callSectionHtml } from '../../../src/main/reports/html-call';
import { ladderSvg } from '../../../src/main/reports/ladder-svg';
import { inStampOrder } from '../../../src/shared/sip-order';
import type { SipMessageRecord } from '../../../src/shared/types';
import { sampleCall, sampleMessages, tempDir } from '../history/fixtures/sample-call';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

/** The sample call's messages, then a sent INFO recorded before a received BYE stamped 0.2 ms earlier. */
function recorded(): SipMessageRecord[] {
  const m = sampleMessages().slice(0, 5); // INVITE, 100, 180, 200, ACK at 1000.125 + 10·i
  const at = (mono: number, direction: 'in' | 'out', firstLine: string, method: string): SipMessageRecord => ({
    ...m[4]!,
    direction,
    monoMs: mono,
    wallMs: m[4]!.wallMs + (mono - m[4]!.monoMs),
    firstLine,
    method,
    raw: `${firstLine}\r\nCSeq: 2 ${method}\r\n\r\n`,
  });
  return [...m, at(1050.3, 'out', 'INFO sip:cxone@127.0.0.1:5080 SIP/2.0', 'INFO'), at(1050.1, 'in', 'BYE sip:bot@127.0.0.1:5070 SIP/2.0', 'BYE')];
}

/** The arrow labels of a ladder SVG, top to bottom. */
function arrows(svg: string): string[] {
  return [...svg.matchAll(/class="lbl [a-z]+">([^<]+)</g)].map((x) => x[1]!);
}

describe('the SIP ladder in stamp order', () => {
  it('history keeps seq; the report draws the BYE stamped first above the INFO recorded first', () => {
    const store = HistoryStore.open(join(dir, 'history.db'));
    try {
      store.saveCall(sampleCall('c1', null));
      for (const m of recorded()) store.addSipMessage('c1', m);
      const call = store.getCall('c1')!;
      // Stored as recorded: seq order, the INFO (seq 6) before the BYE (seq 7).
      expect(call.messages.map((m) => m.method)).toEqual(['INVITE', 'INVITE', 'INVITE', 'INVITE', 'ACK', 'INFO', 'BYE']);

      const ladder = arrows(ladderSvg(call.messages, { local: 'bot', remote: 'CXone', localOnLeft: false }));
      expect(ladder.slice(-2)).toEqual(['BYE', 'INFO']);
      expect(ladder.slice(0, 5)).toEqual(['INVITE', '100 Trying', '180 Ringing', '200 OK', 'ACK']);
      // The report's call section draws the same ladder; each arrow's time is from the first stamp.
      const html = callSectionHtml(call, 0, 'answer');
      expect(arrows(html).slice(-2)).toEqual(['BYE', 'INFO']);
      expect(html).toContain(`+${(1050.1 - 1000.125).toFixed(1)} ms`);
    } finally {
      store.close();
    }
  });

  it('inStampOrder: by monotonic stamp, a tie in the order given (seq), the input untouched', () => {
    const [a, b, c] = recorded().slice(0, 3);
    const tie = { ...b!, monoMs: a!.monoMs, firstLine: 'tie' };
    const input = [c!, a!, tie];
    expect(inStampOrder(input).map((m) => m.firstLine)).toEqual([a!.firstLine, 'tie', c!.firstLine]);
    expect(inStampOrder([tie, a!]).map((m) => m.firstLine)).toEqual(['tie', a!.firstLine]);
    expect(input.map((m) => m.firstLine)).toEqual([c!.firstLine, a!.firstLine, 'tie']);
  });
});
