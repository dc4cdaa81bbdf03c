// `lab load --export-sipp DIR` writes a SIPp scenario and injection file; real `sipp` runs them
// against `lab answer --cxone-api embedded`, and every contact id of the injection file arrives in
// the app's report with a passing verdict.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeSipp, freePort, runSipp, sippAvailable } from '../../helpers/sip/sipp';
import { listeningPort, startLab } from './lab-process';

describe.skipIf(!sippAvailable())('lab load --export-sipp', () => {
  it('the exported scenario and contacts, run by SIPp, reach lab answer with their contact ids', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-export-'));
    const out = join(dir, 'sipp');
    const calls = 12;
    const app = startLab(['answer', '--listen', 'udp:127.0.0.1:0', '--profile', 'watson', '--cxone-api', 'embedded', '--calls', String(calls), '--json', join(dir, 'app.json'), '--timeout', '100']);
    await app.waitFor((o) => /listening: sip:bot@127\.0\.0\.1:\d+/.test(o), 'the listening line');
    const port = listeningPort(app.output());
    const exp = startLab(['load', '--target', `sip:4930123456@127.0.0.1:${port}`, '--profile', 'watson', '--rate', '10', '--calls', String(calls), '--hold', '8000', '--export-sipp', out]);
    expect((await exp.done).code, exp.output()).toBe(0);
    const lines = readFileSync(join(out, 'contacts.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('SEQUENTIAL');
    const ids = lines.slice(1).map((l) => l.split(';')[2]);
    expect(ids).toHaveLength(calls);
    expect(readFileSync(join(out, 'README.txt'), 'utf8')).toMatch(/sipp 127\.0\.0\.1:\d+ -sf scenario\.xml -inf contacts\.csv -t u1 -r 10 -m 12/);
    const sippPort = await freePort(4);
    const sipp = runSipp(
      [`127.0.0.1:${port}`, '-sf', 'scenario.xml', '-inf', 'contacts.csv', '-t', 'u1', '-r', '10', '-m', String(calls), '-i', '127.0.0.1', '-p', String(sippPort), '-mp', String(sippPort + 2), '-nostdin', '-timeout', '90s', '-timeout_error'],
      { cwd: out, timeoutMs: 100_000 },
    );
    const [s, a] = await Promise.all([sipp.done, app.done]);
    expect(s.code, describeSipp(s)).toBe(0);
    expect(a.code, app.output()).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'app.json'), 'utf8')) as { ok: boolean; calls: { contactId: { ok: boolean; value: string; header: string } }[] };
    expect(report.ok).toBe(true);
    expect(report.calls.map((c) => c.contactId.value).sort()).toEqual([...ids].sort());
    expect(report.calls.every((c) => c.contactId.ok && c.contactId.header === 'X-ContactID')).toBe(true);
  });
});
