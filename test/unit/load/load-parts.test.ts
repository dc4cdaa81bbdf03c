import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getProfile } from '../../../src/main/profiles';
import { csvContacts, parseContactsCsv } from '../../../src/main/load/contacts';
import { requestUriFor } from '../../../src/main/load/engine';
import { LatencyHistogram } from '../../../src/main/load/histogram';
import { loadReportHtml, loadReportJunit } from '../../../src/main/load/load-html';
import { paceCalls } from '../../../src/main/load/rate';
import { formatLoadReport, loadOk, type LoadReport } from '../../../src/main/load/report';
import { exportSipp, targetParts } from '../../../src/main/load/sipp-export';
import { LoadStats } from '../../../src/main/load/stats';

describe('LatencyHistogram', () => {
  it('gives nearest-rank percentiles to 0.1 ms, the max and the mean', () => {
    const h = new LatencyHistogram();
    expect(h.summary()).toMatchObject({ count: 0, p50: null });
    for (let i = 1; i <= 100; i++) h.add(i);
    h.add(-1);
    h.add(Number.NaN);
    expect(h.summary()).toEqual({ count: 100, p50: 50, p95: 95, p99: 99, max: 100, mean: 50.5 });
    h.add(120_000); // over the cap: the overflow bucket reports the max
    expect(h.percentile(100)).toBe(120_000);
  });
});

describe('LoadStats', () => {
  it('counts attempted/answered/failed by reason, peak concurrency, per-second buckets and latency', () => {
    const s = new LoadStats();
    s.started(1000);
    s.started(1500);
    s.started(2100);
    expect(s.open).toBe(3);
    s.ended({ startMonoMs: 1000, answered: true, failure: null, marks: { invite_to_180: 2, invite_to_200: 4 } }, 1100);
    s.ended({ startMonoMs: 1500, answered: false, failure: '486 Busy Here', marks: { invite_to_180: 3 } }, 1600);
    s.ended({ startMonoMs: 2100, answered: true, failure: 'answered, then no ACK', marks: { invite_to_200: 6 } }, 2300);
    const f = s.figures();
    expect(f).toMatchObject({ attempted: 3, answered: 2, failed: 2, open: 0, peakConcurrent: 3, callsPerSecond: 1.8, elapsedMs: 1300 });
    expect(f.failedBy).toEqual([
      { reason: '486 Busy Here', count: 1 },
      { reason: 'answered, then no ACK', count: 1 },
    ]);
    expect(f.timeline).toEqual([
      { t: 0, started: 2, answered: 1, failed: 1 },
      { t: 1, started: 1, answered: 0, failed: 1 },
    ]);
    expect(f.latency.invite_to_200).toMatchObject({ count: 2, p50: 4, max: 6 });
    expect(f.farVerdicts).toBeNull();
    expect(loadOk(f)).toBe(false);
  });
});

describe('contacts CSV', () => {
  it('reads plain CSV, SIPp injection files and header rows; refuses a non-numeric id', () => {
    expect(parseContactsCsv('contact_id,number\n123,4930\n456\n')).toEqual([{ contactId: '123', number: '4930' }, { contactId: '456' }]);
    expect(parseContactsCsv('SEQUENTIAL\n# comment\n11;4930;12;\n')).toEqual([{ contactId: '11', number: '4930' }]);
    expect(() => parseContactsCsv('1\nabc\n', 'f.csv')).toThrow(/f\.csv line 2: "abc"/);
    expect(() => parseContactsCsv('\n')).toThrow(/no contact id/);
    const file = join(mkdtempSync(join(tmpdir(), 'contacts-')), 'c.csv');
    writeFileSync(file, '1\n2\n');
    const next = csvContacts(file);
    expect([0, 1, 2].map((i) => next(i).contactId)).toEqual(['1', '2', '1']);
  });

  it('puts the number in the Request-URI user part', () => {
    expect(requestUriFor('sip:bot@10.0.0.5:5060;transport=tcp', '4930')).toBe('sip:4930@10.0.0.5:5060;transport=tcp');
    expect(requestUriFor('sip:10.0.0.5', '4930')).toBe('sip:4930@10.0.0.5');
    expect(requestUriFor('sip:bot@h', undefined)).toBe('sip:bot@h');
  });
});

describe('paceCalls', () => {
  it('starts every call, never more than `concurrent` at once, and waits for all to end', async () => {
    let live = 0;
    let peak = 0;
    const order: number[] = [];
    const n = await paceCalls({
      rate: 1000,
      calls: 12,
      concurrent: 3,
      start: async (i) => {
        order.push(i);
        live += 1;
        peak = Math.max(peak, live);
        await new Promise((r) => setImmediate(r));
        live -= 1;
        if (i === 5) throw new Error('a failing call is still an ended call');
      },
    });
    expect(n).toBe(12);
    expect(order).toEqual([...Array(12).keys()]);
    expect(peak).toBeLessThanOrEqual(3);
    expect(live).toBe(0);
  });

  it('stops starting calls when the signal aborts', async () => {
    const ac = new AbortController();
    const n = await paceCalls({ rate: 1000, calls: 1_000_000, signal: ac.signal, start: async (i) => (i === 4 ? ac.abort() : undefined) });
    expect(n).toBe(5);
  });
});

describe('SIPp export', () => {
  it('writes a well-formed scenario with the profile headers from the injection file, SEQUENTIAL contacts and a README command', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipp-export-'));
    const profile = getProfile('kore');
    const out = exportSipp({ dir, profile, target: 'sip:4930123456@10.0.0.5:5070', transport: 'udp', rate: 20, calls: 3, concurrent: 10, holdMs: 2000, contacts: (i) => ({ contactId: String(100 + i) }) });
    const xml = readFileSync(out.scenario, 'utf8');
    expect(xml).toContain(`${profile.contactIdHeaders[0]}: [field2]`);
    for (const h of profile.extraHeaders) expect(xml).toContain(`${h.name}: ${h.value}`);
    expect(xml).toContain('<recv request="BYE" timeout="2000" ontimeout="1"/>');
    if (spawnSync('xmllint', ['--version']).status === 0) execFileSync('xmllint', ['--noout', out.scenario]);
    const rows = readFileSync(out.injection, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('SEQUENTIAL');
    expect(rows.slice(1).map((r) => r.split(';').slice(0, 2))).toEqual([['100', '4930123456'], ['101', '4930123456'], ['102', '4930123456']]);
    expect(out.command).toBe("sipp 10.0.0.5:5070 -sf scenario.xml -inf contacts.csv -t u1 -r 20 -m 3 -l 10 -i <this machine's IP> -trace_err -nostdin");
    expect(readFileSync(out.readme, 'utf8')).toContain(out.command);
    // The exported contacts read back as lab load's --contacts.
    expect(csvContacts(out.injection)(1)).toEqual({ contactId: '101', number: '4930123456' });
    expect(targetParts('sips:bot.example.com', 'tls')).toEqual({ hostPort: 'bot.example.com:5061', user: 'bot' });
    expect(() => targetParts('http://x', 'udp')).toThrow(/not a SIP URI/);
  });
});

describe('load report formats', () => {
  const s = new LoadStats();
  s.started(0);
  s.ended({ startMonoMs: 0, answered: true, failure: null, marks: { invite_to_200: 3 } }, 10);
  s.started(1200);
  s.ended({ startMonoMs: 1200, answered: false, failure: '503 <Service> Unavailable', marks: {} }, 1300);
  const r: LoadReport = {
    ok: false, runId: 'r1', kind: 'load', status: 'complete', profile: 'kore', transport: 'udp', target: 'sip:bot@127.0.0.1:5060', db: null,
    requested: { rate: 2, calls: 2, concurrent: null, durationMs: null, holdMs: 0, media: false, contacts: 'fresh' },
    figures: s.figures(),
  };
  it('text, HTML (SVG chart, no script, escaped) and JUnit (well-formed, failures named)', () => {
    expect(formatLoadReport(r)).toMatch(/attempted 2, answered 1, failed 1[\s\S]*1 × 503 <Service> Unavailable[\s\S]*FAIL$/);
    const html = loadReportHtml(r);
    expect(html).toContain('<svg');
    expect(html).toContain('<polyline');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('503 &lt;Service&gt; Unavailable');
    const xml = loadReportJunit(r);
    expect(xml).toMatch(/<testsuites [^>]*tests="4" failures="3"/); // answered, failed, rate (0.8 of 2 calls/s)
    expect(xml).toContain('name="no failed call"><failure message="1 × 503 &lt;Service&gt; Unavailable"');
    const file = join(mkdtempSync(join(tmpdir(), 'junit-')), 'j.xml');
    writeFileSync(file, xml);
    if (spawnSync('xmllint', ['--version']).status === 0) execFileSync('xmllint', ['--noout', file]);
  });
});
