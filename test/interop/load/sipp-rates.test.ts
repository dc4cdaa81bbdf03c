// SIPp's uac with the contact-id header (X-ContactID: 998877, the shared scenario) at 100 calls/s
// × 1,000 and 200 calls/s × 2,000 against `lab answer --cxone-api embedded`: the process lives
// and exits 0, its --json holds every call, and every call SIPp counts as failed is a call the
// report explains with a failed check (on loopback none should fail).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJournal } from '../../../src/main/reports/journal';
import { describeSipp, freePort, runSipp, sippAvailable } from '../../helpers/sip/sipp';
import { listeningPort, root, startLab } from './lab-process';

const scenario = join(root, 'test/interop/scenarios/uac_xheader_remote_bye.xml');

interface AnswerJson {
  ok: boolean;
  calls: { callId: string; contactId: { ok: boolean; value: string }; checks: { name: string; ok: boolean; detail: string }[] }[];
}

/** SIPp's cumulative failed-call count: the last row of its -trace_stat CSV. */
function sippFailedCalls(statFile: string): number {
  const rows = readFileSync(statFile, 'utf8').trim().split('\n');
  const head = rows[0]!.split(';');
  const last = rows[rows.length - 1]!.split(';');
  return Number(last[head.indexOf('FailedCall(C)')]);
}

describe.skipIf(!sippAvailable())('lab answer under SIPp load', () => {
  it.each([
    [100, 1000],
    [200, 2000],
  ])('%i calls/s × %i over UDP: the process lives, --json and --journal are complete, SIPp failures are explained', { timeout: 240_000 }, async (rate, calls) => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-rate-'));
    const json = join(dir, 'app.json');
    const journal = join(dir, 'app.jsonl');
    const app = startLab(['answer', '--listen', 'udp:127.0.0.1:0', '--profile', 'watson', '--cxone-api', 'embedded', '--calls', String(calls), '--json', json, '--journal', journal, '--timeout', '200'], 230_000);
    await app.waitFor((o) => /listening: sip:bot@127\.0\.0\.1:\d+/.test(o), 'the listening line');
    const port = listeningPort(app.output());
    const sippPort = await freePort(4);
    const sipp = runSipp(
      [`127.0.0.1:${port}`, '-sf', scenario, '-s', '4930123456', '-t', 'u1', '-i', '127.0.0.1', '-p', String(sippPort), '-mp', String(sippPort + 2),
        '-r', String(rate), '-m', String(calls), '-nostdin', '-timeout', '200s', '-timeout_error', '-trace_stat', '-stf', 'stats.csv', '-fd', '1', '-trace_err', '-error_file', 'errors.log'],
      { cwd: dir, timeoutMs: 220_000 },
    );
    const [s, a] = await Promise.all([sipp.done, app.done]);
    const out = app.output();
    expect(out).not.toMatch(/Uncaught|UnhandledPromiseRejection|Invalid state transition/);
    // Lives: it ends by itself (0 all checks passed, 1 a check failed), not by a signal or a crash (2+).
    expect(a.signal, out.slice(-3000)).toBeNull();
    expect([0, 1], out.slice(-3000)).toContain(a.code);
    const report = JSON.parse(readFileSync(json, 'utf8')) as AnswerJson;
    // Complete: every SIPp call is in the report (a call ending after the Nth may be reported too).
    expect(new Set(report.calls.map((c) => c.callId)).size).toBe(calls);
    const j = readJournal(journal);
    expect(j.calls).toHaveLength(report.calls.length);
    expect(j.summary).toMatchObject({ status: 'complete' });
    const failed = sippFailedCalls(join(dir, 'stats.csv'));
    const explained = report.calls.filter((c) => c.checks.some((k) => !k.ok));
    const duplicates = report.calls.length - calls;
    expect(failed, `${describeSipp(s)}\nexplained: ${JSON.stringify(explained.slice(0, 3).map((c) => c.checks.filter((k) => !k.ok)))}`).toBeLessThanOrEqual(explained.length);
    // The goal on loopback: nothing fails at all.
    const why = [...new Set(explained.flatMap((c) => c.checks.filter((k) => !k.ok).map((k) => `${k.name}: ${k.detail.replace(/\d+/g, 'N').slice(0, 80)}`)))].slice(0, 5);
    expect({ sippFailed: failed, appFailedChecks: explained.length, duplicates, why }).toEqual({ sippFailed: 0, appFailedChecks: 0, duplicates: 0, why: [] });
    expect(report.calls.every((c) => c.contactId.ok && c.contactId.value === '998877')).toBe(true);
    expect(s.code, describeSipp(s)).toBe(0);
    expect(a.code).toBe(0);
  });
});
