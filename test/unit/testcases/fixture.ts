/** A synthetic test run (a passed, a failed and a set-up-failed case) for the report tests. */
import type { TestRunResult } from '../../../src/main/testcases/types';

const tone = (ms: number): Int16Array => Int16Array.from({ length: ms * 8 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000)));

export function sampleRun(): TestRunResult & { not_run: string[] } {
  const base = { mode: 'embedded' as const, profile: 'kore', transport: 'udp', started_wall_ms: 1_800_000_000_000, call_id: 'abc@h', cxone_outcome: 'REQAGENT', latency: { invite_to_200: 12.5 }, dtmf_received: [], dtmf_sent: [{ digit: '2', at_ms: 900 }], attempts: 1, expect_declared: true };
  return {
    ok: false,
    started_wall_ms: 1_800_000_000_000,
    duration_ms: 4000,
    not_run: ['later case'],
    cases: [
      {
        ...base,
        name: 'good <case> & "quotes"',
        file: '/x/good.yaml',
        ok: true,
        error: null,
        duration_ms: 1500,
        expectations: [{ name: 'contact-id', ok: true, detail: 'X-ExternalCallId = 123' }],
        speech: [{ start_ms: 300, end_ms: 800 }],
        steps: [
          { index: 0, kind: 'expect_speech', label: 'expect_speech within 5s', status: 'passed', ok: true, at_ms: 300, started_ms: 100, duration_ms: 200, detail: 'talking' },
          { index: 1, kind: 'dtmf', label: 'dtmf 2', status: 'passed', ok: true, at_ms: 900, started_ms: 900, duration_ms: 160, detail: 'sent 2' },
        ],
        media: {
          messages: [
            { callId: 'abc@h', direction: 'out', transport: 'udp', local: '127.0.0.1:5060', remote: '127.0.0.1:5070', monoMs: 1, wallMs: 1_800_000_000_001, firstLine: 'INVITE sip:bot@127.0.0.1 SIP/2.0', method: 'INVITE', raw: 'INVITE sip:bot@127.0.0.1 SIP/2.0\r\n\r\n' } as never,
          ],
          received: tone(1000),
          sent: tone(500),
        },
      },
      {
        ...base,
        name: 'bad case',
        file: '/x/bad.yaml',
        ok: false,
        error: null,
        duration_ms: 2000,
        expectations: [{ name: 'cxone-outcome', ok: false, detail: 'expected HANGUP' }],
        speech: [],
        steps: [
          { index: 0, kind: 'expect_signal', label: 'expect_signal p1=X within 1s', status: 'failed', ok: false, at_ms: 1000, started_ms: 0, duration_ms: 1000, detail: 'no Signal with p1=X within 1s' },
          { index: 1, kind: 'hangup', label: 'hangup', status: 'skipped', ok: null, at_ms: null, started_ms: null, duration_ms: null, detail: 'skipped: step 1 (expect_signal) failed' },
        ],
      },
      {
        ...base,
        name: 'no set-up',
        file: '/x/setup.yaml',
        ok: false,
        error: 'the environment variable X is not set',
        duration_ms: 1,
        call_id: null,
        expectations: [],
        speech: [],
        steps: [{ index: 0, kind: 'wait', label: 'wait 1s', status: 'failed', ok: false, at_ms: null, started_ms: null, duration_ms: 0, detail: 'set-up failed: the environment variable X is not set' }],
      },
    ],
  };
}
