// Ctrl-C and SIGKILL to the whole process group of `lab answer` in the middle of SIPp traffic
// (30 calls/s): the --json file parses and holds the calls so far, the --journal has them too,
// and the next start (opening the history) leaves no call "answered" for ever: calls that were up
// when the process was killed are `interrupted` at the time of their last SIP message.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { processAlive } from '../../../src/main/history/interrupted';
import { HistoryStore } from '../../../src/main/history/store';
import { readJournal } from '../../../src/main/reports/journal';
import { freePort, runSipp, sippAvailable } from '../../helpers/sip/sipp';
import { listeningPort, root, startLab } from './lab-process';

const scenario = join(root, 'test/interop/scenarios/uac_xheader_remote_bye.xml');

async function underLoad(): Promise<{ dir: string; app: ReturnType<typeof startLab>; stopSipp: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'lab-kill-'));
  const app = startLab(['answer', '--listen', 'udp:127.0.0.1:0', '--profile', 'watson', '--cxone-api', 'embedded', '--calls', '100000', '--json', join(dir, 'r.json'), '--journal', join(dir, 'r.jsonl'), '--db', join(dir, 'h.db')]);
  await app.waitFor((o) => /listening: sip:bot@127\.0\.0\.1:\d+/.test(o), 'the listening line');
  const port = listeningPort(app.output());
  const sippPort = await freePort(4);
  const sipp = runSipp([`127.0.0.1:${port}`, '-sf', scenario, '-s', '4930123456', '-t', 'u1', '-i', '127.0.0.1', '-p', String(sippPort), '-mp', String(sippPort + 2), '-r', '30', '-m', '3000', '-nostdin'], { cwd: dir, timeoutMs: 120_000 });
  // Some calls done (each prints its checks), more coming.
  await app.waitFor((o) => (o.match(/ {2}checks:/g) ?? []).length >= 15, '15 calls done');
  return { dir, app, stopSipp: sipp.kill };
}

function callStates(db: string): Record<string, number> {
  const d = new Database(db, { readonly: true });
  const rows = d.prepare('SELECT state, count(*) AS n FROM calls GROUP BY state').all() as { state: string; n: number }[];
  d.close();
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

describe.skipIf(!sippAvailable())('lab answer killed mid-run', () => {
  it('SIGKILL to the process group: the report files hold the calls so far; the next start marks the open calls interrupted', { timeout: 120_000 }, async () => {
    const { dir, app, stopSipp } = await underLoad();
    app.signalGroup('SIGKILL');
    expect((await app.done).signal).toBe('SIGKILL');
    stopSipp();
    const json = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as { status: string; calls: { callId: string }[] };
    expect(json.status).toBe('running');
    const journal = readJournal(join(dir, 'r.jsonl'));
    expect(journal.summary).toBeNull();
    // tsx's exit is seen first; the lab process itself (the journal's pid) dies a moment later.
    const pid = journal.header?.pid as number;
    while (processAlive(pid)) await new Promise((r) => setTimeout(r, 20));
    expect(journal.calls.length).toBeGreaterThanOrEqual(15);
    // The JSON is rewritten at most every 200 ms: it may lag the journal, never lead it.
    expect(json.calls.length).toBeGreaterThanOrEqual(1);
    expect(json.calls.length).toBeLessThanOrEqual(journal.calls.length);
    const before = callStates(join(dir, 'h.db'));
    const live = (before.answered ?? 0) + (before.ringing ?? 0) + (before.inviting ?? 0) + (before.ending ?? 0);
    expect(live, JSON.stringify(before)).toBeGreaterThan(0);

    const store = HistoryStore.open(join(dir, 'h.db'));
    expect(store.interruptedAtOpen.calls).toBe(live);
    const after = store.listCalls({ limit: 10_000 });
    store.close();
    expect(after.filter((c) => !['ended', 'failed', 'interrupted'].includes(c.state))).toEqual([]);
    const interrupted = after.filter((c) => c.state === 'interrupted');
    expect(interrupted).toHaveLength(live);
    for (const c of interrupted) {
      expect(c.endedWallMs).toBeGreaterThanOrEqual(c.startedWallMs);
      expect(c.end?.reason).toMatch(/^interrupted/);
    }
  });

  it('SIGINT to the process group: exit 1, the final report says interrupted by SIGINT, the journal ends with its summary, no call is left open', { timeout: 120_000 }, async () => {
    const { dir, app, stopSipp } = await underLoad();
    app.signalGroup('SIGINT');
    const done = await app.done;
    stopSipp();
    expect(done, app.output().slice(-2000)).toEqual({ code: 1, signal: null });
    expect(app.output()).toMatch(/interrupted \(SIGINT\)/);
    const json = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as { ok: boolean; interrupted: { signal: string; openCalls: number }; calls: unknown[] };
    expect(json.ok).toBe(false);
    expect(json.interrupted.signal).toBe('SIGINT');
    const journal = readJournal(join(dir, 'r.jsonl'));
    expect(journal.summary).toMatchObject({ status: 'interrupted', interrupted: { signal: 'SIGINT' } });
    expect(journal.calls).toHaveLength(json.calls.length);
    const store = HistoryStore.open(join(dir, 'h.db'));
    const calls = store.listCalls({ limit: 10_000 });
    store.close();
    expect(calls.filter((c) => !['ended', 'failed', 'interrupted'].includes(c.state))).toEqual([]);
  });
});
