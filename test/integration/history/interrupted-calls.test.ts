/**
 * Calls left open by a killed process are marked `interrupted` at the next open, with the time they
 * were last seen (their last SIP message); a live process's open calls are never touched.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../../src/main/history/store';
import { INTERRUPTED_REASON, processAlive } from '../../../src/main/history/interrupted';
import { T0, sampleCall, sampleMessages, tempDir } from './fixtures/sample-call';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

function startWriter(file: string): { child: ChildProcess; ready: Promise<void>; exited: Promise<void> } {
  const writer = fileURLToPath(new URL('./fixtures/open-call-writer.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', writer, file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (b: Buffer) => b.toString().includes('open') && resolve());
    child.on('exit', () => reject(new Error(`writer exited early: ${err}`)));
  });
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  return { child, ready, exited };
}

describe('interrupted calls', () => {
  it('a live process keeps its open call; once it is killed (SIGKILL) the next open marks the call interrupted at its last message', async () => {
    const file = join(dir, 'h.db');
    const w = startWriter(file);
    await w.ready;

    const during = HistoryStore.open(file);
    expect(during.interruptedAtOpen.calls).toBe(0);
    expect(during.getCall('open-call')?.state).toBe('answered');
    during.close();

    w.child.kill('SIGKILL');
    await w.exited;

    const after = HistoryStore.open(file);
    expect(after.interruptedAtOpen).toEqual({ calls: 1, runs: 1, sessions: 1 });
    const call = after.getCall('open-call')!;
    expect(call.state).toBe('interrupted');
    expect(call.endedWallMs).toBe(T0 + 30); // the 200 OK, the 4th message
    expect(call.end).toEqual({ by: 'none', reason: INTERRUPTED_REASON });
    expect(after.getRun('killed-run')).toMatchObject({ ok: false, endedWallMs: T0 + 30 });
    after.close();

    const again = HistoryStore.open(file);
    expect(again.interruptedAtOpen.calls).toBe(0);
    again.close();
  });

  it('ended calls and calls of live sessions are left alone; a call without messages is last seen at its start', () => {
    const file = join(dir, 'h.db');
    const a = HistoryStore.open(file);
    a.createRun({ id: 'r', kind: 'answer', profile: 'kore', transport: 'udp', startedWallMs: T0 });
    a.saveCall(sampleCall('done', 'r'));
    a.saveCall(sampleCall('ringing', 'r', { state: 'ringing', endedWallMs: null, end: null, startedWallMs: T0 + 5 }));
    for (const m of sampleMessages()) a.addSipMessage('done', m);
    // Another store of this (live) process opens: nothing is marked.
    const b = HistoryStore.open(file);
    expect(b.interruptedAtOpen.calls).toBe(0);
    b.close();
    // `a` closes cleanly with a call still open: no live session owns it any more.
    a.close();
    const c = HistoryStore.open(file);
    expect(c.interruptedAtOpen.calls).toBe(1);
    expect(c.getCall('ringing')).toMatchObject({ state: 'interrupted', endedWallMs: T0 + 5 });
    expect(c.getCall('done')?.state).toBe('ended');
    c.close();
  });

  it('processAlive: this process is alive, pid 0 and a reaped child are not', async () => {
    expect(processAlive(process.pid)).toBe(true);
    expect(processAlive(0)).toBe(false);
    const child = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => child.on('exit', r));
    expect(processAlive(child.pid!)).toBe(false);
  });
});
