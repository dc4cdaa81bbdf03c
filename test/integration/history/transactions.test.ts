/**
 * Crash consistency of the history store: a transaction that throws leaves nothing behind, and a
 * process killed in the middle of a transaction leaves the last committed state.
 */
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../../src/main/history/store';
import { T0, sampleCall, sampleMessages, tempDir } from './fixtures/sample-call';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

function rowCounts(file: string): Record<string, number> {
  const db = new Database(file, { readonly: true });
  const out: Record<string, number> = {};
  for (const t of ['runs', 'calls', 'sip_messages', 'signals', 'checks']) {
    out[t] = (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
  }
  db.close();
  return out;
}

describe('HistoryStore.transaction', () => {
  it('writes nothing of a run whose transaction throws half way', () => {
    const file = join(dir, 'h.db');
    const store = HistoryStore.open(file);
    const boom = new Error('scenario step failed');
    expect(() =>
      store.transaction(() => {
        const runId = store.createRun({ id: 'r', kind: 'handoff', profile: 'kore', transport: 'udp', startedWallMs: T0 });
        store.saveCall(sampleCall('c1', runId));
        for (const m of sampleMessages()) store.addSipMessage('c1', m);
        store.addCheck({ name: 'contact-id header', ok: true, detail: '', runId, callRef: 'c1' });
        store.saveCall(sampleCall('c2', runId));
        throw boom;
      }),
    ).toThrow(boom);

    expect(store.getRun('r')).toBeNull();
    expect(store.getCall('c1')).toBeNull();
    expect(store.listCalls()).toEqual([]);
    store.close();
    expect(rowCounts(file)).toEqual({ runs: 0, calls: 0, sip_messages: 0, signals: 0, checks: 0 });
  });

  it('commits everything of a transaction that returns, and returns its value', () => {
    const store = HistoryStore.open(join(dir, 'h.db'));
    const runId = store.transaction(() => {
      const id = store.createRun({ kind: 'handoff', profile: 'kore', transport: 'udp', startedWallMs: T0 });
      store.saveCall(sampleCall('c1', id));
      return id;
    });
    expect(store.getRun(runId)?.callIds).toEqual(['c1']);
    store.close();
  });

  it('rolls back only the inner part of a nested transaction that throws', () => {
    const store = HistoryStore.open(join(dir, 'h.db'));
    store.transaction(() => {
      store.createRun({ id: 'r', kind: 'handoff', profile: 'kore', transport: 'udp', startedWallMs: T0 });
      expect(() =>
        store.transaction(() => {
          store.saveCall(sampleCall('c1', 'r'));
          throw new Error('inner');
        }),
      ).toThrow('inner');
    });
    expect(store.getRun('r')?.callIds).toEqual([]);
    store.close();
  });

  it('refuses an async function and rolls back what it wrote before its first await', async () => {
    const store = HistoryStore.open(join(dir, 'h.db'));
    let pending: Promise<void> | undefined;
    expect(() =>
      store.transaction(() => {
        store.createRun({ id: 'r', kind: 'handoff', profile: 'kore', transport: 'udp', startedWallMs: T0 });
        pending = (async () => {})();
        return pending;
      }),
    ).toThrow(/synchronous/);
    await pending;
    expect(store.getRun('r')).toBeNull();
    store.close();
  });
});

describe('a process killed in the middle of a transaction', () => {
  it('leaves the last committed state and nothing of the open transaction', async () => {
    const file = join(dir, 'h.db');
    const writer = fileURLToPath(new URL('./fixtures/crash-writer.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', writer, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((res) =>
      child.on('exit', (c, s) => res([c, s])),
    );
    expect({ stdout, stderr: stderr.trim(), code, signal }).toEqual({
      stdout: 'committed\nin transaction\n',
      stderr: '',
      code: null,
      signal: 'SIGKILL',
    });
    // Uncommitted pages reached the WAL before the kill: recovery must drop them.
    expect(existsSync(`${file}-wal`) && statSync(`${file}-wal`).size).toBeGreaterThan(1_000_000);

    const store = HistoryStore.open(file);
    expect(store.getRun('partial')).toBeNull();
    expect(store.getCall('partial-call')).toBeNull();
    expect(store.getRun('committed')?.callIds).toEqual(['committed-call']);
    expect(store.getCall('committed-call')?.messages).toEqual(sampleMessages());
    store.close();

    const db = new Database(file, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
    expect(rowCounts(file)).toEqual({ runs: 1, calls: 1, sip_messages: 6, signals: 0, checks: 0 });
  });
});
