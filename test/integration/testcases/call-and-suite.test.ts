/**
 * `call` mode (a plain outbound call with the case's headers, no emulated API) against the
 * reference bot on its own endpoint, and the suite options: --bail keeps later cases from running,
 * a failed case names its failing step, and the JUnit report has one testcase per step.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedCxone } from '../../../src/main/emulator/embedded';
import { synthesize } from '../../../src/main/media/tts';
import { getProfile } from '../../../src/main/profiles';
import { renderTestJunit } from '../../../src/main/reports/test-junit';
import { LabRuntime } from '../../../src/main/runtime/lab-runtime';
import type { TestRunReport } from '../../../src/main/runs/test-case';
import { BotAgent } from '../../../src/main/scenarios/bot-agent';
import { CallRecorder } from '../../../src/main/scenarios/call-recorder';
import { SipEndpoint } from '../../../src/main/sip/endpoint';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function run(paths: string[], opts: { bail?: boolean } = {}): Promise<TestRunReport> {
  const rt = LabRuntime.open({ dbFile: null });
  try {
    return await rt.run<TestRunReport>('test', { paths, ...opts });
  } finally {
    await rt.close();
  }
}

describe('call mode', () => {
  it('talks to a bot reached by a plain call carrying the header CXone would put', async () => {
    const profile = getProfile('kore');
    const cxone = await startEmbeddedCxone();
    cleanups.push(() => cxone.stop());
    cxone.api.contacts.add({ contactId: '12345678901', role: 'master', onSignal: () => {} });
    const ep = await SipEndpoint.start({ transport: 'tcp', host: '127.0.0.1', port: 0, user: 'bot' });
    cleanups.push(() => ep.stop());
    new BotAgent({
      endpoint: ep,
      profile,
      recorder: new CallRecorder(null, null, () => {}),
      runId: null,
      client: cxone.clientFor(profile),
      autoSignal: true,
      greeting: await synthesize('Press 2 for an agent.'),
      conversation: { onDtmf: { '2': { p1: 'AgentHandoff' } } },
    });
    const dir = mkdtempSync(join(tmpdir(), 'call-case-'));
    const file = join(dir, 'call.yaml');
    writeFileSync(
      file,
      `name: a plain call to the bot
profile: kore
mode: call
sip:
  target: "sip:bot@127.0.0.1:${ep.listener.port};transport=tcp"
  transport: tcp
  headers: { X-ExternalCallId: "12345678901" }
steps:
  - expect_speech: { within: 5s }
  - wait_silence: { for: 500ms, within: 10s }
  - dtmf: "2"
  - expect_hangup: { within: 5s, by: remote }
`,
    );
    const r = await run([file]);
    const c = r.cases[0]!;
    const failed = c.steps.find((s) => s.status === 'failed');
    expect(failed ? `${failed.kind}: ${failed.detail}` : 'none').toBe('none');
    expect(r.ok).toBe(true);
    expect(c.transport).toBe('tcp');
    expect(c.dtmf_sent.map((d) => d.digit)).toEqual(['2']);
    expect(c.speech.length).toBeGreaterThanOrEqual(1);
    expect(c.latency.answer_to_first_voice).toBeGreaterThanOrEqual(0);
  }, 60_000);
});

describe('suite options', () => {
  it('--bail: a failed case names its step and the next cases are not run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bail-suite-'));
    writeFileSync(join(dir, 'a-fails.yaml'), 'name: A expects the wrong p1\nprofile: kore\nsteps:\n  - expect_signal: { within: 3s, params: { p1: Nope } }\n  - expect_hangup: { within: 5s }\n');
    writeFileSync(join(dir, 'b-passes.yaml'), 'name: B\nprofile: kore\nsteps:\n  - expect_signal: { within: 5s }\n');
    const r = await run([dir], { bail: true });
    expect(r.ok).toBe(false);
    expect(r.cases.map((c) => c.name)).toEqual(['A expects the wrong p1']);
    expect(r.not_run).toEqual(['B']);
    const a = r.cases[0]!;
    expect(a.steps.map((s) => s.status)).toEqual(['failed', 'skipped']);
    expect(a.steps[0]!.detail).toMatch(/no Signal with p1=Nope within 3s.*got: Signal p1=AgentHandoff/);
    const xml = renderTestJunit(r);
    expect(xml).toContain('<testcase name="01 expect_signal p1=Nope within 3s"');
    expect(xml).toContain('<skipped/>');
    // without --bail both run
    const all = await run([dir]);
    expect(all.cases.map((c) => [c.name, c.ok])).toEqual([['A expects the wrong p1', false], ['B', true]]);
  }, 60_000);

  it('runs a case given as text (the dashboard editor, a monitor)', async () => {
    const rt = LabRuntime.open({ dbFile: null });
    try {
      const r = await rt.run<TestRunReport>('test', { inline: [{ text: 'name: inline\nprofile: watson\nsteps:\n  - expect_signal: { within: 5s, status: 2xx }\n' }] });
      expect(r.cases.map((c) => [c.name, c.ok])).toEqual([['inline', true]]);
    } finally {
      await rt.close();
    }
  }, 30_000);
});
