import { appendFileSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AtomicJsonReport, JsonLinesJournal, readJournal, writeAtomically } from '../../../src/main/reports/journal';

const dir = (): string => mkdtempSync(join(tmpdir(), 'journal-'));

describe('JsonLinesJournal', () => {
  it('writes a header, one line per call as it comes, and a summary; readJournal reads it back', () => {
    const file = join(dir(), 'run.jsonl');
    const j = new JsonLinesJournal(file, { kind: 'answer', profile: 'kore' });
    j.call({ callId: 'a' });
    // Readable before the end (a killed writer leaves this).
    expect(readJournal(file)).toMatchObject({ header: { type: 'header', kind: 'answer', profile: 'kore' }, calls: [{ callId: 'a' }], summary: null });
    j.call({ callId: 'b' });
    j.finish('complete', { ok: true });
    j.finish('crashed'); // the first summary wins
    const back = readJournal(file);
    expect(back.calls).toEqual([{ callId: 'a' }, { callId: 'b' }]);
    expect(back.summary).toMatchObject({ status: 'complete', ok: true, calls: 2 });
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(4);
  });

  it('skips a line cut by a crash', () => {
    const file = join(dir(), 'run.jsonl');
    const j = new JsonLinesJournal(file, {});
    j.call({ n: 1 });
    appendFileSync(file, '{"type":"call","seq":2,"call":{"n"');
    expect(readJournal(file)).toMatchObject({ calls: [{ n: 1 }], summary: null, badLines: 1 });
  });
});

describe('AtomicJsonReport', () => {
  it('is valid JSON from the start, holds each call once flushed, and ends as JSON.stringify(report, null, 2)', () => {
    const d = dir();
    const file = join(d, 'r.json');
    const r = new AtomicJsonReport(file, { ok: false, status: 'running', kind: 'answer' }, { minIntervalMs: 0 });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ ok: false, status: 'running', kind: 'answer', calls: [] });
    r.addCall({ callId: 'a', nested: { x: [1, 2] } });
    r.addCall({ callId: 'b', text: 'line\nbreak "quoted"' });
    r.flush();
    const text = readFileSync(file, 'utf8');
    const parsed = JSON.parse(text) as unknown;
    expect(parsed).toEqual({ ok: false, status: 'running', kind: 'answer', calls: [{ callId: 'a', nested: { x: [1, 2] } }, { callId: 'b', text: 'line\nbreak "quoted"' }] });
    expect(text).toBe(`${JSON.stringify(parsed, null, 2)}\n`);
    r.update({ status: 'interrupted' });
    r.flush();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ status: 'interrupted' });
    const final = { ok: true, calls: [{ callId: 'a' }] };
    r.finish(final);
    r.addCall({ callId: 'late' });
    r.flush();
    expect(readFileSync(file, 'utf8')).toBe(`${JSON.stringify(final, null, 2)}\n`);
    expect(readdirSync(d)).toEqual(['r.json']); // no temporary file left
  });

  it('writeAtomically replaces the whole file', () => {
    const file = join(dir(), 'x.json');
    writeAtomically(file, '{"a":1}');
    writeAtomically(file, '{"b":2}');
    expect(readFileSync(file, 'utf8')).toBe('{"b":2}');
  });
});
