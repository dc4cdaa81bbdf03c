// Issue 11 with real parts (SQLite in a temp dir, loopback SIP, the embedded CXone emulator):
// a monitor started through the contract runs on the dashboard's runtime — its runs' calls come
// on the same event stream as the dashboard's, over the process's one SQLite connection — and
// after N calls every live map of the runtime is empty (their records stay in history).
import { readdirSync, readlinkSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LiveBatch, MonitorView } from '../../../src/shared/contract';
import { dispatch } from '../../../src/main/host/dispatch';
import { HistoryStore } from '../../../src/main/history/store';
import { Lab } from '../../../src/main/lab';
import type { AnswerReport } from '../../../src/main/runs/answer';
import { LabRuntime } from '../../../src/main/runtime/lab-runtime';
import type { RuntimeEventName } from '../../../src/main/runtime/events';
import { SipEndpoint } from '../../../src/main/sip/endpoint';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  vi.restoreAllMocks();
});

const dbIn = (): string => join(mkdtempSync(join(tmpdir(), 'lab-runtime-')), 'history.db');

/** Open file descriptors of this process on `file` itself (one per better-sqlite3 connection; WAL and SHM files excluded). */
function handlesOn(file: string): number {
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === file) n++;
    } catch {
      /* closed meanwhile */
    }
  }
  return n;
}

function waitFor<T>(fn: () => T | null | undefined | false, what: string, ms = 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    const tick = (): void => {
      const v = fn();
      if (v) return resolve(v);
      if (Date.now() - start > ms) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 20);
    };
    tick();
  });
}

/**
 * The maps that hold a call while it lives and must be empty once it ended. Left out: the SIP
 * transaction layer's entries, which RFC 3261 §17 keeps for a fixed time after the last response
 * (Timer J/L: 32 s; the UDP response cache for retransmitted requests): bounded by time, not calls.
 */
const TIMER_BOUNDED = /Transactions$|\.cached|\.awaitingAck$|\.retransmitting$/;
const nonZero = (sizes: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(sizes).filter(([k, v]) => v !== 0 && !TIMER_BOUNDED.test(k)));

describe('LabRuntime', () => {
  it('a monitor started through the contract: its runs reach the dashboard stream live, on one SQLite connection', async () => {
    const opens = vi.spyOn(HistoryStore, 'open');
    const dbFile = dbIn();
    const lab = await Lab.start({ dbFile, host: 'browser', recordDir: null, startSavedListeners: false, keychainService: `cxone-sip-lab-test-${process.pid}`, monitorHandoff: { dropWaitMs: 500, greeting: null } });
    cleanups.push(() => lab.stop());
    const batches: LiveBatch[] = [];
    const monitors: MonitorView[] = [];
    const core: RuntimeEventName[] = [];
    lab.onEvent((name, payload) => {
      if (name === 'live/batch') batches.push(payload as LiveBatch);
      if (name === 'monitor/updated') monitors.push(payload as MonitorView);
    });
    lab.runtime.events.onAny((name) => core.push(name));
    const handles: number[] = [];
    const sample = lab.runtime.events.on('sip/message', () => handles.push(handlesOn(lab.store.file)));

    const started = await dispatch(lab.handlers, 'monitor/start', { scenario: 'handoff', profile: 'watson', transport: 'udp', everyMs: 60_000, faults: [] });
    expect(started.ok).toBe(true);
    const id = (started as { ok: true; value: MonitorView }).value.id;
    const first = await waitFor(() => monitors.find((m) => m.id === id && m.runs.length > 0), 'the first run of the monitor');
    const runId = first.runs[0]!.runId!;
    expect(first.runs[0]!.ok).toBe(true);
    lab.flushLive();
    sample();

    // The monitor's calls came on the dashboard's stream, as they happened.
    const live = batches.flatMap((b) => b.calls).filter((c) => c.runId === runId);
    expect(new Set(live.map((c) => c.id)).size).toBe(2); // the CXone leg and the bot leg
    const states = batches.flatMap((b) => b.calls).filter((c) => live.some((l) => l.id === c.id) && c.state).map((c) => c.state);
    expect(states).toContain('ended');
    const messages = batches.reduce((n, b) => n + live.reduce((k, c) => k + (b.messages[c.id]?.length ?? 0), 0), 0);
    expect(messages).toBeGreaterThanOrEqual(10);
    expect(core).toEqual(expect.arrayContaining(['run/started', 'call/started', 'call/changed', 'sip/message', 'signal/added', 'check/added', 'run/ended', 'monitor/updated', 'call/released']));
    // The run is in the dashboard's history: same connection.
    expect(lab.store.listCalls({ limit: 10 }).filter((c) => c.runId === runId)).toHaveLength(2);

    // One SQLite connection in this process: one HistoryStore opened, one handle on the file while the monitor ran.
    expect(opens).toHaveBeenCalledTimes(1);
    expect(handles.length).toBeGreaterThan(0);
    expect(new Set(handles)).toEqual(new Set([1]));

    const stopped = await dispatch(lab.handlers, 'monitor/stop', { id });
    expect(stopped.ok && (stopped.value as MonitorView).state).toBe('stopped');
  }, 120_000);

  it('after N calls placed from the dashboard, every live map is empty', async () => {
    const lab = await Lab.start({ dbFile: dbIn(), host: 'browser', recordDir: null, startSavedListeners: false, keychainService: `cxone-sip-lab-test-${process.pid}` });
    cleanups.push(() => lab.stop());
    const N = 6;
    const placed = await Promise.all(
      Array.from({ length: N }, (_, i) => lab.handlers['calls/place']({ target: '', profile: 'watson', transport: i % 2 ? 'tcp' : 'udp', headers: null, trunkId: null, botSignals: true })),
    );
    expect(placed.filter((r) => !r.ok)).toEqual([]);
    await waitFor(() => lab.store.listCalls({ limit: 100 }).filter((c) => c.state === 'ended').length === 2 * N, 'every leg ended');
    const sizes = await waitFor(() => {
      const s = lab.runtime.liveMapSizes();
      return Object.keys(nonZero(s)).length === 0 ? s : null;
    }, 'every live map empty', 15_000).catch(() => lab.runtime.liveMapSizes());
    expect(nonZero(sizes)).toEqual({});
    expect(Object.keys(sizes)).toEqual(expect.arrayContaining(['recorder.tracked', 'lab.emulated', 'lab.botByCallId', 'lab.signalClients']));
  }, 120_000);

  it('lab answer: N calls from a SIP peer, and the report ends with every live map at 0', async () => {
    const runtime = LabRuntime.open({ dbFile: dbIn() });
    cleanups.push(() => runtime.close());
    const N = 5;
    let uri = '';
    const listening = new Promise<void>((r) => {
      void runtime
        .run<AnswerReport>('answer', {
          listen: { transport: 'tcp', host: '127.0.0.1', port: 0 },
          profile: 'watson',
          cxoneApi: { kind: 'embedded' },
          calls: N,
          dropWaitMs: 300,
          greeting: null,
          lingerMs: 200,
          onListening: (u: string) => {
            uri = u;
            r();
          },
        })
        .then((rep) => (report = rep));
    });
    let report: AnswerReport | null = null;
    await listening;
    const port = Number(/:(\d+);/.exec(uri)![1]);
    const peer = await SipEndpoint.start({ transport: 'tcp', host: '127.0.0.1', port: 0, user: 'cxone' });
    cleanups.push(() => peer.stop());
    for (let i = 0; i < N; i++) {
      const call = peer.invite(`sip:15550100@127.0.0.1:${port};transport=tcp`, { extraHeaders: [{ name: 'X-ContactID', value: `55500${i}` }] });
      await call.waitForEnd(20_000);
    }
    const done = await waitFor(() => report, 'the answer report');
    expect(done.calls).toHaveLength(N);
    expect(done.liveMaps['recorder.tracked']).toBe(0);
    expect(nonZero(done.liveMaps)).toEqual({});
    expect(runtime.store!.listCalls({ limit: 100 })).toHaveLength(N);
  }, 120_000);
});
