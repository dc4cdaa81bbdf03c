// `lab report` as a real process over a real handoff kept in SQLite: every format is written, the
// JSON document matches history, the exit status follows the run's verdict, a failing run's
// JUnit has its failure, and a selection of calls or an unknown run behave.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFault } from '../../../src/main/emulator/faults';
import { HistoryStore } from '../../../src/main/history/store';
import type { ReportDocument } from '../../../src/main/reports/report-document';
import { runHandoff } from '../../../src/main/scenarios/handoff';
import { runLab } from '../../helpers/reports/lab-process';

describe('lab report', () => {
  it('writes HTML, JSON, JUnit, Markdown and pcap of a passing run (exit 0)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-report-'));
    const db = join(dir, 'history.db');
    const run = await runHandoff({ profile: 'kore', transport: 'tcp', dbFile: db });
    const f = (n: string) => join(dir, n);
    const r = await runLab(['report', '--run', run.runId, '--db', db, '--html', f('r.html'), '--json', f('r.json'), '--junit', f('r.xml'), '--md', f('r.md'), '--pcap', f('r.pcap')]);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toMatch(/: PASS \(2 call\(s\), 7\/7 checks passed\)/);
    for (const n of ['r.html', 'r.json', 'r.xml', 'r.md', 'r.pcap']) expect(existsSync(f(n)), n).toBe(true);
    const doc = JSON.parse(readFileSync(f('r.json'), 'utf8')) as ReportDocument;
    expect(doc).toMatchObject({ format: 'cxone-sip-lab-report', version: 1, ok: true, run: { id: run.runId, kind: 'handoff', profile: 'kore' } });
    const store = HistoryStore.open(db);
    try {
      const bot = doc.calls.find((c) => c.role === 'uas')!;
      expect(bot.verdict).toEqual(store.getCall(bot.id)!.verdict);
      expect(bot.messages).toEqual(store.getCall(bot.id)!.messages);
    } finally {
      store.close();
    }
    expect(readFileSync(f('r.md'), 'utf8')).toContain('| # | Call-ID |');
    expect(readFileSync(f('r.xml'), 'utf8')).toContain('<testcase name="onsignal-fired"');
    expect(readFileSync(f('r.html'), 'utf8')).toContain('<svg ');
  });

  it('a failing run: exit 1, its JUnit failure; only the chosen calls; an unknown run is a usage error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-report-'));
    const db = join(dir, 'history.db');
    const run = await runHandoff({ profile: 'watson', transport: 'udp', dbFile: db, faults: [parseFault('server-error')], dropWaitMs: 500 });
    expect(run.ok).toBe(false);
    const r = await runLab(['report', '--run', run.runId, '--db', db, '--junit', join(dir, 'r.xml'), '--redact', 'ips']);
    expect(r.code).toBe(1);
    const xml = readFileSync(join(dir, 'r.xml'), 'utf8');
    expect(xml).toMatch(/<failure message="[^"]*500[^"]*" type="signal-accepted">/);

    const callRef = run.calls[0]!.callRef;
    const one = await runLab(['report', '--call', callRef, '--db', db, '--json', join(dir, 'one.json')]);
    expect(one.code).toBe(1);
    const doc = JSON.parse(readFileSync(join(dir, 'one.json'), 'utf8')) as ReportDocument;
    expect(doc.run).toBeNull();
    expect(doc.calls.map((c) => c.id)).toEqual([callRef]);

    const unknown = await runLab(['report', '--run', 'nope', '--db', db, '--md', join(dir, 'x.md')]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/no run nope/);
    const none = await runLab(['report', '--run', run.runId, '--db', db]);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/at least one output/);
  });
});
