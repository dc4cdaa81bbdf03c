/**
 * `emulate` mode end to end on real sockets: the case is CXone (its emulated API on a fixed port,
 * the credentials of the case) and calls a separate bot that only signals after it received a
 * digit AND heard the caller speak (the reference bot with `requireBoth`, its own SIP endpoint and
 * CXone client pointed at the case's API). The case passes when the caller does both; it fails,
 * naming the step, when the caller only presses the digit, and when the bot signals the wrong p1.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CxoneClient } from '../../../src/main/cxone/client';
import { synthesize } from '../../../src/main/media/tts';
import { getProfile } from '../../../src/main/profiles';
import { LabRuntime } from '../../../src/main/runtime/lab-runtime';
import type { TestRunReport } from '../../../src/main/runs/test-case';
import { BotAgent } from '../../../src/main/scenarios/bot-agent';
import type { BotConversationOptions } from '../../../src/main/scenarios/bot-conversation';
import { CallRecorder } from '../../../src/main/scenarios/call-recorder';
import { SipEndpoint } from '../../../src/main/sip/endpoint';

/** A free TCP port on loopback (bound, read, released). */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** Starts the independent bot: greets, then signals only after a digit and a spoken turn. */
async function startBot(apiPort: number, conversation: BotConversationOptions): Promise<string> {
  const profile = getProfile('kore');
  const ep = await SipEndpoint.start({ transport: 'udp', host: '127.0.0.1', port: 0, user: 'bot' });
  cleanups.push(() => ep.stop());
  const base = `http://127.0.0.1:${apiPort}`;
  const client = new CxoneClient({ authBase: base, apiBase: base, apiVersion: profile.apiVersion, pathStyle: profile.pathStyle, credentials: { accessKeyId: 'lab', accessKeySecret: 'lab-secret' } });
  new BotAgent({
    endpoint: ep,
    profile,
    recorder: new CallRecorder(null, null, () => {}),
    runId: null,
    client,
    autoSignal: true,
    greeting: await synthesize('Hello. Tell me what you need and press 2.'),
    conversation,
    maxCallMs: 30_000,
  });
  return `sip:bot@127.0.0.1:${ep.listener.port}`;
}

function writeCase(target: string, apiPort: number, steps: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'emulate-case-'));
  const file = join(dir, 'case.yaml');
  writeFileSync(
    file,
    `name: the bot hands over after a digit and speech
profile: kore
mode: emulate
sip: { target: "${target}", transport: udp }
cxone: { api_listen: "127.0.0.1:${apiPort}", access_key_id: lab, access_key_secret: "\${env:LAB_TEST_SECRET}" }
timeout: 40s
steps:
${steps}`,
  );
  return file;
}

const CALLER = `  - expect_speech: { within: 5s }
  - wait_silence: { for: 600ms, within: 15s }
  - say: "I want to talk to a person"
  - dtmf: "2"
  - expect_signal: { within: 6s, params: { p1: AgentHandoff }, status: 2xx }
  - expect_hangup: { within: 5s, by: remote }
`;

async function run(file: string): Promise<TestRunReport> {
  const rt = LabRuntime.open({ dbFile: null });
  try {
    return await rt.run<TestRunReport>('test', { paths: [file] });
  } finally {
    await rt.close();
  }
}

function failedStep(r: TestRunReport): string {
  const s = r.cases[0]!.steps.find((x) => x.status === 'failed');
  return s ? `${s.kind}: ${s.detail}` : 'none';
}

describe('emulate mode against a bot that needs a digit and speech', () => {
  process.env.LAB_TEST_SECRET = 'lab-secret';
  const both: BotConversationOptions = { onDtmf: { '2': { p1: 'AgentHandoff' } }, requireBoth: true, silentForMs: 500, listenMs: 20_000, onNoInput: 'hangup' };

  it('passes when the caller speaks and presses 2', async () => {
    const port = await freePort();
    const target = await startBot(port, both);
    const r = await run(writeCase(target, port, CALLER));
    expect(failedStep(r)).toBe('none');
    expect(r.ok).toBe(true);
    const c = r.cases[0]!;
    expect(c.steps.map((s) => s.status)).toEqual(['passed', 'passed', 'passed', 'passed', 'passed', 'passed']);
    expect(c.expectations.find((k) => k.name === 'contact-id')?.ok).toBe(true);
    expect(c.cxone_outcome).toBe('REQAGENT');
    // the secret given as ${env:…} is in no detail
    expect(JSON.stringify(c)).not.toContain('lab-secret');
  }, 60_000);

  it('fails at expect_signal when the caller only presses the digit', async () => {
    const port = await freePort();
    const target = await startBot(port, both);
    const r = await run(writeCase(target, port, CALLER.replace('  - say: "I want to talk to a person"\n', '')));
    expect(r.ok).toBe(false);
    expect(failedStep(r)).toMatch(/^expect_signal: no Signal with p1=AgentHandoff/);
    expect(r.cases[0]!.steps.at(-1)!.status).toBe('skipped');
  }, 60_000);

  it('fails at expect_signal when the bot signals the wrong p1', async () => {
    const port = await freePort();
    const target = await startBot(port, { ...both, onDtmf: { '2': { p1: 'WrongQueue' } } });
    const r = await run(writeCase(target, port, CALLER));
    expect(r.ok).toBe(false);
    expect(failedStep(r)).toMatch(/^expect_signal: no Signal with p1=AgentHandoff.*got: Signal p1=WrongQueue/);
  }, 60_000);
});
