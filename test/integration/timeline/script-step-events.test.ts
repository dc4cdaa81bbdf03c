// A stored step of the emulated CXone script is an event on the runtime's one stream (issue 15):
// a call placed through the contract against the embedded emulator and the reference bot on
// loopback, written to a real SQLite file. Every step history keeps is announced exactly once, as
// `script/step`, with the fields history reads back (p1..p9 and the contact as data, migration 8),
// and the same event crosses to the renderer's subscribers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Lab } from '../../../src/main/lab';
import type { RuntimeEventMap } from '../../../src/main/runtime/events';
import type { LabEvents } from '../../../src/shared/contract';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Resolves once `fn` returns a value (checked on each event of the stream it is given). */
function when<T>(subscribe: (wake: () => void) => () => void, fn: () => T | null | undefined | false, what: string, ms = 30_000): Promise<T> {
  return new Promise((resolve, reject) => {
    let off = (): void => {};
    const t = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for ${what}`));
    }, ms);
    const check = (): void => {
      const v = fn();
      if (!v) return;
      clearTimeout(t);
      off();
      resolve(v);
    };
    off = subscribe(check);
    check();
  });
}

describe('script/step: a stored script step on the runtime stream', () => {
  it('each step the emulated script stores is announced once, with its fields, to the runtime and to the renderer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-script-step-events-'));
    dirs.push(dir);
    const lab = await Lab.start({ dbFile: join(dir, 'history.db'), host: 'browser', recordDir: null, startSavedListeners: false, keychainService: `cxone-sip-lab-test-${process.pid}` });
    try {
      const core: Array<RuntimeEventMap['script/step']> = [];
      const wire: Array<LabEvents['script/step']> = [];
      lab.runtime.events.on('script/step', (e) => core.push(e));
      lab.onEvent((name, payload) => {
        if (name === 'script/step') wire.push(payload as LabEvents['script/step']);
      });
      const placed = await lab.handlers['calls/place']({ target: '', profile: 'watson', transport: 'tcp', headers: null, trunkId: null, botSignals: true });
      expect(placed.ok).toBe(true);
      // The script's last step (the agent answers REQAGENT) comes after the call ended, in its settle.
      await when((wake) => lab.runtime.events.on('script/step', wake), () => core.some((e) => e.step.kind === 'agent'), 'the agent step');

      const legs = new Set(core.map((e) => e.callRef));
      expect(legs.size).toBe(1);
      const callRef = [...legs][0]!;
      const leg = lab.store.getCall(callRef)!;
      expect(leg.role).toBe('uac'); // the CXone side: the leg the script placed
      const stored = lab.store.scriptSteps(callRef);
      // Once each, in the order history numbered them, with every field history reads back.
      expect(core.map((e) => e.step)).toEqual(stored.map(({ seq: _seq, ...rest }) => rest));
      expect(core.every((e) => e.runId === leg.runId)).toBe(true);
      const onSignal = core.find((e) => e.step.kind === 'onsignal')!.step;
      expect(onSignal.params?.p1).toBeTruthy();
      expect(onSignal.contactId).toMatch(/^\d{11}$/);
      const signal = core.find((e) => e.step.kind === 'signal')!.step;
      expect(signal.params).toEqual(onSignal.params);
      expect(core.find((e) => e.step.kind === 'placecall')!.step).toMatchObject({ params: null, contactId: null });
      // The renderer gets the same events, at once (not batched).
      expect(wire).toEqual(core);
    } finally {
      await lab.stop();
    }
  });
});
