/**
 * The load run on one LabRuntime against the answer run (the app as the bot) on the same runtime
 * and history: calls carry the profile's headers and a contact id each, the far end's contact-id
 * verdicts are read from the shared history, and every call is announced as it ends.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LoadReport } from '../../../src/main/load/report';
import type { AnswerReport } from '../../../src/main/runs/answer';
import type { LoadCallEvent } from '../../../src/main/runs/load';
import { LabRuntime } from '../../../src/main/runtime/lab-runtime';

let runtime: LabRuntime | null = null;
afterEach(async () => {
  await runtime?.close();
  runtime = null;
});

async function answerOn(rt: LabRuntime, calls: number, profile: string): Promise<{ uri: string; done: Promise<AnswerReport> }> {
  let listening!: (uri: string) => void;
  const uri = new Promise<string>((r) => (listening = r));
  const h = rt.start<AnswerReport>('answer', { listen: { transport: 'udp', host: '127.0.0.1', port: 0 }, profile, cxoneApi: { kind: 'embedded' }, calls, greeting: null, lingerMs: 0, onListening: (u: string) => listening(u) });
  h.done.catch(() => {});
  return { uri: await uri, done: h.done };
}

describe('load run', () => {
  it('places calls with a contact id each; the far end (the answer run) verdicts come from shared history', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'load-run-'));
    runtime = LabRuntime.open({ dbFile: join(dir, 'h.db') });
    const calls = 15;
    const far = await answerOn(runtime, calls, 'watson');
    const events: LoadCallEvent[] = [];
    runtime.events.on('run/call', (e) => e.kind === 'load' && events.push(e.report as LoadCallEvent));
    const target = far.uri.replace(/^sip:bot@/, 'sip:4930123456@');
    const report = await runtime.run<LoadReport>('load', { target, profile: 'watson', rate: 20, calls, concurrent: 5, holdMs: 10_000 });
    const app = await far.done;
    expect(report.figures).toMatchObject({ attempted: calls, answered: calls, failed: 0, open: 0, farVerdicts: { ok: calls, failed: 0, unknown: 0 } });
    expect(report.figures.peakConcurrent).toBeLessThanOrEqual(5);
    expect(report.figures.latency.invite_to_200.count).toBe(calls);
    expect(report).toMatchObject({ ok: true, kind: 'load', status: 'complete', profile: 'watson' });
    expect(events).toHaveLength(calls);
    expect(new Set(events.map((e) => e.contactId)).size).toBe(calls);
    expect(events.every((e) => e.failure === null && e.result === '200 OK' && e.farContactIdOk === true)).toBe(true);
    // The far end saw the same contact ids in X-ContactID, with the number dialled in the Request-URI.
    expect(app.calls.map((c) => c.contactId.value).sort()).toEqual(events.map((e) => e.contactId).sort());
    expect(app.calls.every((c) => c.invite.originalRequestUri.startsWith('sip:4930123456@'))).toBe(true);
    // Every ended call left the runtime's live maps.
    const live = Object.entries(runtime.liveMapSizes()).filter(([, n]) => n > 0);
    expect(live).toEqual([]);
  });

  it('uses the contacts of a CSV in order; a refused call is counted by its status; Ctrl-C (abort) reports interrupted', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'load-run-'));
    const csv = join(dir, 'c.csv');
    writeFileSync(csv, 'contact_id,number\n7001,100\n7002,200\n');
    runtime = LabRuntime.open({ dbFile: null });
    const far = await answerOn(runtime, 2, 'kore');
    const events: LoadCallEvent[] = [];
    runtime.events.on('run/call', (e) => e.kind === 'load' && events.push(e.report as LoadCallEvent));
    const report = await runtime.run<LoadReport>('load', { target: far.uri, profile: 'kore', rate: 50, calls: 2, contactsFile: csv, holdMs: 10_000 });
    await far.done;
    expect(events.map((e) => e.contactId).sort()).toEqual(['7001', '7002']);
    expect(report.figures.farVerdicts).toBeNull(); // no shared history
    expect(report.ok).toBe(true);

    // Nobody listens any more: each call fails (ICMP port unreachable or timeout) and is counted.
    const ac = new AbortController();
    const running = runtime.run<LoadReport>('load', { target: far.uri, profile: 'kore', rate: 100, calls: 1000, answerTimeoutMs: 60_000 }, { signal: ac.signal });
    setTimeout(() => ac.abort(), 300);
    const cut = await running;
    expect(cut.status).toBe('interrupted');
    expect(cut.ok).toBe(false);
    expect(cut.figures.attempted).toBeLessThan(1000);
    expect(cut.figures.open).toBe(0);
    expect(cut.figures.failed).toBe(cut.figures.attempted);
    expect(cut.figures.failedBy.map((f) => f.reason)).toContain('interrupted before a final response');
  });
});
