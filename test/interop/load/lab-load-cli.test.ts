// `lab load` as a process against SIPp's built-in uas: the figures, the plain progress lines on a
// non-TTY standard error, and the four report files (JSON, JSON lines, HTML with its SVG chart,
// JUnit) agree with each other. (SIPp's built-in uas aborts a call on a duplicate ACK, which a
// stalled event loop can cause by answering SIPp's retransmitted 200: a starved machine can fail it.)
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LoadReport } from '../../../src/main/load/report';
import { readJournal } from '../../../src/main/reports/journal';
import { freePort, runSipp, sippAvailable, waitForListening } from '../../helpers/sip/sipp';
import { startLab } from './lab-process';

describe.skipIf(!sippAvailable())('lab load (process) against SIPp uas', () => {
  it('places the calls, prints progress and writes JSON, journal, HTML and JUnit', { timeout: 90_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-load-'));
    const port = await freePort(4);
    const uas = runSipp(['-sn', 'uas', '-i', '127.0.0.1', '-p', String(port), '-t', 'u1', '-mp', String(port + 2), '-nostdin', '-trace_err', '-error_file', join(dir, 'uas-errors.log')], { cwd: dir, timeoutMs: 80_000 });
    try {
      await waitForListening(port, 'udp');
      const f = (n: string): string => join(dir, n);
      const lab = startLab(['load', '--target', `sip:service@127.0.0.1:${port}`, '--profile', 'kore', '--rate', '10', '--calls', '60', '--json', f('r.json'), '--journal', f('r.jsonl'), '--html', f('r.html'), '--junit', f('r.xml')], 80_000);
      const done = await lab.done;
      expect(done, lab.output()).toEqual({ code: 0, signal: null });
      expect(lab.output()).toMatch(/^load: \d+ s {2}attempted \d+ {2}answered \d+ {2}failed 0/m); // a plain line every 5 s (6 s of calls)
      expect(lab.output()).toMatch(/attempted 60, answered 60, failed 0/);
      const r = JSON.parse(readFileSync(f('r.json'), 'utf8')) as LoadReport;
      expect(r).toMatchObject({ ok: true, kind: 'load', status: 'complete', figures: { attempted: 60, answered: 60, failed: 0, open: 0 } });
      expect(r.figures.latency.invite_to_180.count).toBe(60);
      expect(r.figures.latency.invite_to_200.p95).toBeGreaterThan(0);
      expect(r.figures.timeline.reduce((n, s) => n + s.started, 0)).toBe(60);
      const j = readJournal(f('r.jsonl'));
      expect(j.calls).toHaveLength(60);
      expect(j.summary).toMatchObject({ status: 'complete', ok: true });
      expect(readFileSync(f('r.html'), 'utf8')).toMatch(/<svg[\s\S]*<polyline/);
      expect(readFileSync(f('r.xml'), 'utf8')).toMatch(/<testsuites [^>]*tests="4" failures="0"/);
    } finally {
      uas.kill();
    }
  });
});
