// History search (issue 5 item 5) on a real SQLite file: each kind of text uses its own named,
// indexed statement (contact id and Call-ID by prefix, numbers by the trigram index of From/To/
// Request-URI), with the date range, the verdict filter, runs and pages; the number index follows
// updates and deletes. Also: the query plans use indexes, not a scan of `calls`.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistorySearchRequest } from '../../../src/shared/contract';
import { HistoryStore } from '../../../src/main/history/store';
import { STATEMENTS } from '../../../src/main/history/statements';
import { seedHistory } from '../../e2e/seed-history';

const dir = mkdtempSync(join(tmpdir(), 'lab-search-'));
const file = join(dir, 'history.db');
let store: HistoryStore;
let seeded: ReturnType<typeof seedHistory>;

const q = (p: Partial<HistorySearchRequest>): HistorySearchRequest => ({ field: 'any', text: '', verdict: 'any', offset: 0, limit: 50, ...p });

beforeAll(() => {
  seeded = seedHistory(file, 2000);
  store = HistoryStore.open(file);
});
afterAll(() => store.close());

describe('history search', () => {
  it('pages through everything newest first, with the total', () => {
    const first = store.searchCalls(q({ limit: 3 }));
    expect(first.total).toBe(2000);
    expect(first.calls.map((c) => c.callId)).toEqual(['seed-1999@lab.test', 'seed-1998@lab.test', 'seed-1997@lab.test']);
    const last = store.searchCalls(q({ offset: 1998, limit: 10 }));
    expect(last.calls.map((c) => c.callId)).toEqual(['seed-1@lab.test', 'seed-0@lab.test']);
    expect(last.total).toBe(2000);
    expect(store.searchCalls(q({ offset: 5000 }))).toEqual({ total: 2000, offset: 5000, calls: [] });
  });

  it('contact id and Call-ID by prefix; numbers as substrings of From, To or Request-URI; any of them', () => {
    expect(store.searchCalls(q({ field: 'contactId', text: seeded.contactId(1234) })).calls.map((c) => c.callId)).toEqual(['seed-1234@lab.test']);
    expect(store.searchCalls(q({ field: 'contactId', text: '700000012' })).total).toBe(10); // 1200..1209 (and 120..129 have 10 digits)
    expect(store.searchCalls(q({ field: 'callId', text: 'seed-19' })).total).toBe(111); // 19, 190-199, 1900-1999
    expect(store.searchCalls(q({ field: 'number', text: '520001234' })).calls.map((c) => c.callId)).toEqual(['seed-1234@lab.test']);
    expect(store.searchCalls(q({ field: 'number', text: '15550100' })).total).toBe(2000); // the To of every call
    expect(store.searchCalls(q({ field: 'number', text: '12' })).total).toBe(0); // under 3 characters: the trigram index finds nothing
    expect(store.searchCalls(q({ field: 'any', text: 'seed-1234@' })).total).toBe(1);
    expect(store.searchCalls(q({ field: 'any', text: seeded.contactId(77) })).calls[0]?.callId).toBe('seed-77@lab.test');
    expect(store.searchCalls(q({ field: 'contactId', text: 'x"); DROP TABLE calls; --' })).total).toBe(0);
    expect(store.searchCalls(q({ field: 'number', text: '"); DROP' })).total).toBe(0);
  });

  it('date range, verdict and run filters', () => {
    const from = seeded.oldestWallMs + 100 * 60_000;
    const to = seeded.oldestWallMs + 200 * 60_000;
    const r = store.searchCalls(q({ fromWallMs: from, toWallMs: to, limit: 1000 }));
    expect(r.total).toBe(100);
    expect(r.calls.every((c) => c.startedWallMs >= from && c.startedWallMs < to)).toBe(true);
    const fail = store.searchCalls(q({ verdict: 'fail', limit: 1000 }));
    expect(fail.total).toBe(Array.from({ length: 2000 }, (_, i) => i).filter((i) => i % 7 === 3).length);
    expect(fail.calls.every((c) => c.contactIdOk === false)).toBe(true);
    expect(store.searchCalls(q({ verdict: 'none' })).total).toBe(0);
    const runs = store.listRunSummaries({ limit: 10 });
    expect(runs).toHaveLength(4);
    expect(runs.every((x) => x.callCount === 500)).toBe(true);
    expect(store.searchCalls(q({ runId: runs[0]!.id, limit: 1 })).total).toBe(500);
  });

  it('the number index follows updates and deletes of calls', () => {
    const c = store.searchCalls(q({ field: 'callId', text: 'seed-5@' })).calls[0]!;
    store.saveCall({ ...c, from: '<sip:+4930999888@berlin.example>' });
    expect(store.searchCalls(q({ field: 'number', text: '4930999888' })).calls.map((x) => x.id)).toEqual([c.id]);
    expect(store.searchCalls(q({ field: 'number', text: '520000005' })).total).toBe(0);
    const run = store.createRun({ kind: 'test', profile: 'kore', transport: 'udp', startedWallMs: 1 });
    store.saveCall({ ...c, id: 'temp-call', callId: 'temp@lab.test', runId: run, from: '<sip:+33111222333@paris.example>' });
    expect(store.searchCalls(q({ field: 'number', text: '33111222' })).total).toBe(1);
    store.deleteRun(run);
    expect(store.searchCalls(q({ field: 'number', text: '33111222' })).total).toBe(0);
  });

  it('every search statement uses an index (no full scan of calls)', () => {
    const db = new Database(file, { readonly: true });
    try {
      for (const name of ['calls_search_contact', 'calls_search_call_id', 'calls_search_number', 'calls_search_any', 'calls_search_run', 'calls_search_recent'] as const) {
        const plan = db
          .prepare(`EXPLAIN QUERY PLAN ${STATEMENTS[name].sql}`)
          .all({ from_ms: 0, to_ms: 1e15, verdict: 'any', limit: 10, offset: 0, prefix: 'a', prefix_end: 'b', match: '"abc"', run_id: 'r' }) as Array<{ detail: string }>;
        const details = plan.map((p) => p.detail).join(' | ');
        expect(details, name).not.toMatch(/SCAN calls\b(?! USING)/);
      }
    } finally {
      db.close();
    }
  });
});
