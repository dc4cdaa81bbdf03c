// Live updates are batched (issue 5 item 9): N concurrent emulated calls through a real Lab (SIP on
// loopback, the CXone emulator, SQLite in a temp dir) produce one `live/batch` per interval, each
// call at most once per batch with its latest state, instead of one event per SIP message.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveBatch } from '../../../src/shared/contract';
import { Lab } from '../../../src/main/lab';

let lab: Lab | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
});

const dbFile = (): string => join(mkdtempSync(join(tmpdir(), 'lab-batch-')), 'history.db');

async function waitFor(cond: () => boolean, what: string, limitMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('live batches', () => {
  it('20 concurrent calls answered: nothing is sent until the batch is flushed, then one batch with each leg once', async () => {
    const pending: Array<() => void> = [];
    lab = await Lab.start({
      dbFile: dbFile(),
      host: 'browser',
      recordDir: null,
      startSavedListeners: false,
      batchScheduler: (flush) => {
        pending.push(flush);
        return () => pending.splice(pending.indexOf(flush), 1);
      },
    });
    const batches: LiveBatch[] = [];
    lab.onEvent((name, payload) => {
      if (name === 'live/batch') batches.push(payload as LiveBatch);
    });
    const N = 20;
    const placed = await Promise.all(
      Array.from({ length: N }, () => lab!.handlers['calls/place']({ target: '', profile: 'kore', transport: 'udp', headers: null, trunkId: null, botSignals: false })),
    );
    const refs = placed.map((r) => (r.ok ? r.value.callRef : ''));
    expect(refs.every(Boolean)).toBe(true);
    await waitFor(() => refs.every((id) => lab!.recorder.get(id)?.call.state === 'answered'), 'every bot leg answered');
    await waitFor(() => lab!.store.listCalls({ limit: 100 }).filter((c) => c.state === 'answered').length === 2 * N, 'both legs answered');
    expect(batches).toEqual([]);
    expect(pending).toHaveLength(1);

    pending.splice(0).forEach((f) => f());
    expect(batches).toHaveLength(1);
    const ids = batches[0]!.calls.map((c) => c.id);
    expect(ids).toHaveLength(2 * N);
    expect(new Set(ids).size).toBe(2 * N);
    expect(batches[0]!.calls.every((c) => c.state === 'answered')).toBe(true);
    for (const id of refs) expect(batches[0]!.sipMessages[id]).toBeGreaterThanOrEqual(4); // INVITE, 100, 180, 200 (+ ACK)

    await Promise.all(refs.map((id) => lab!.handlers['calls/hangup']({ id })));
    await waitFor(() => lab!.store.listCalls({ limit: 100 }).every((c) => c.state === 'ended'), 'every leg ended');
    lab.flushLive();
    expect(batches).toHaveLength(2);
    expect(batches[1]!.calls.filter((c) => c.state === 'ended')).toHaveLength(2 * N);
  });

  it('100 concurrent full handoffs: far fewer batches than changes, each call at most once per batch, the last state last', async () => {
    lab = await Lab.start({ dbFile: dbFile(), host: 'browser', recordDir: null, startSavedListeners: false });
    const batches: LiveBatch[] = [];
    lab.onEvent((name, payload) => {
      if (name === 'live/batch') batches.push(payload as LiveBatch);
    });
    const N = 100;
    const placed = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        lab!.handlers['calls/place']({ target: '', profile: 'watson', transport: i % 2 ? 'tcp' : 'udp', headers: null, trunkId: null, botSignals: true }),
      ),
    );
    expect(placed.filter((r) => !r.ok)).toEqual([]);
    await waitFor(() => lab!.store.listCalls({ limit: 1000 }).filter((c) => c.state === 'ended').length === 2 * N, 'every leg ended', 60_000);
    const announced = (): number => batches.reduce((n, b) => n + Object.values(b.sipMessages).reduce((a, x) => a + x, 0), 0);
    // A sent UDP message is stored and announced once its wire-thread stamp is back (call-recorder.ts): the last 200 to a BYE may land just after its call ended.
    await waitFor(() => (lab!.flushLive(), announced() >= 2 * N * 7), 'every leg\'s messages announced');
    lab.flushLive();

    const messages = announced();
    const changes = batches.reduce((n, b) => n + b.calls.length, 0);
    expect(messages).toBeGreaterThanOrEqual(2 * N * 7);
    expect(batches.length).toBeLessThan(messages / 4);
    for (const b of batches) expect(new Set(b.calls.map((c) => c.id)).size).toBe(b.calls.length);
    const last = new Map<string, string>();
    for (const b of batches) for (const c of b.calls) if (c.state) last.set(c.id, c.state);
    expect(last.size).toBe(2 * N);
    expect([...last.values()].every((s) => s === 'ended')).toBe(true);
    expect(changes).toBeLessThan(messages);
  }, 90_000);
});
