// Issue 14 item 5 in test cases: a call-mode Kore case over TCP leaves a placecall-tls warning
// (Kore's trunk is TLS, seed 000_d4ad4dad8823db79.txt) on the call in history; the case still passes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../../src/main/history/store';
import { LabRuntime } from '../../../src/main/runtime/lab-runtime';
import type { TestRunReport } from '../../../src/main/runs/test-case';
import { SipEndpoint } from '../../../src/main/sip/endpoint';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('PLACECALL rules in a call-mode case', () => {
  it('warns that Kore expects TLS, without failing the case', async () => {
    const ep = await SipEndpoint.start({ transport: 'tcp', host: '127.0.0.1', port: 0, user: 'bot' });
    cleanups.push(() => ep.stop());
    ep.onInvite = (call) => void call.accept().catch(() => {});
    const dir = mkdtempSync(join(tmpdir(), 'lab-case-rules-'));
    writeFileSync(
      join(dir, 'kore-tcp.yaml'),
      `name: Kore over TCP
profile: kore
mode: call
sip:
  target: "sip:+15550100@127.0.0.1:${ep.listener.port};transport=tcp"
  transport: tcp
  headers: { X-ExternalCallId: "12345678901" }
steps:
  - wait: 100ms
  - hangup:
`,
    );
    const dbFile = join(dir, 'h.db');
    const rt = LabRuntime.open({ dbFile });
    let r: TestRunReport;
    try {
      r = await rt.run<TestRunReport>('test', { paths: [dir] });
    } finally {
      await rt.close();
    }
    expect(r.cases[0]!.ok, JSON.stringify(r.cases[0]!.steps)).toBe(true);
    const store = HistoryStore.open(dbFile);
    try {
      const [summary] = store.listCalls({ limit: 5 });
      const call = store.getCall(summary!.id)!;
      expect(call.checks.find((k) => k.name === 'placecall-tls')).toMatchObject({ ok: true, warn: true, source: { kind: 'seed', ref: '000_d4ad4dad8823db79.txt' } });
    } finally {
      store.close();
    }
  }, 60_000);
});
