/**
 * The reference bot's greeting in the embedded default (`lab run handoff`): the bot plays
 * resources/prompts/greeting.wav right after answering, the emulated CXone side records it and
 * reports time to greeting (answer_to_first_voice) and answer_to_first_rtp; without a greeting
 * neither mark appears. Needs no SIPp (both sides are the app on loopback).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runHandoff } from '../../../src/main/scenarios/handoff';
import { normalizedCrossCorrelation, readWav } from '../../helpers/media/audio';
import { promptSamples } from '../../helpers/media/prompt-fixtures';

let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'greeting-handoff-'));
  return () => rmSync(dir, { recursive: true, force: true });
});

describe('the reference bot greets the caller (embedded default)', () => {
  it('kore: CXone records the greeting and reports time to greeting and to first RTP', async () => {
    const recordDir = join(dir, 'kore');
    const report = await runHandoff({ profile: 'kore', transport: 'udp', recordDir });
    expect(report.ok, JSON.stringify(report.calls[0]?.checks)).toBe(true);
    const latency = report.calls[0]!.latency;
    expect(latency.answer_to_first_rtp).toBeTypeOf('number');
    expect(latency.answer_to_first_voice).toBeTypeOf('number');
    expect(latency.answer_to_first_voice!).toBeGreaterThanOrEqual(latency.answer_to_first_rtp!);

    // What CXone recorded is the start of the greeting (the bot signals, then hangs up, mid-greeting).
    const files = readdirSync(recordDir).filter((f) => f.endsWith('.wav'));
    expect(files).toHaveLength(1);
    const recording = readWav(join(recordDir, files[0]!)).samples;
    expect(recording.length).toBeGreaterThanOrEqual(160 * 4);
    const ncc = normalizedCrossCorrelation(recording, promptSamples('greeting.wav'), 160);
    expect(ncc.value, `peak NCC ${ncc.value.toFixed(4)} at lag ${ncc.lag}`).toBeGreaterThan(0.9);
  });

  it('greeting: null plays nothing: no answer_to_first_rtp / answer_to_first_voice, the handoff still passes', async () => {
    const report = await runHandoff({ profile: 'synthflow', transport: 'tcp', greeting: null });
    expect(report.ok, JSON.stringify(report.calls[0]?.checks)).toBe(true);
    const latency = report.calls[0]!.latency;
    expect(latency.answer_to_first_rtp).toBeUndefined();
    expect(latency.answer_to_first_voice).toBeUndefined();
  });
});
