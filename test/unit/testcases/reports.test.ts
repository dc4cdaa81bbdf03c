import { describe, expect, it } from 'vitest';
import { renderTestHtml, wavBytes } from '../../../src/main/reports/test-html';
import { testJsonReport } from '../../../src/main/reports/test-json';
import { renderTestJunit } from '../../../src/main/reports/test-junit';
import { sampleRun } from './fixture';

describe('test reports', () => {
  it('JSON: ok, cases with steps (kind, ok, at_ms, detail), no audio', () => {
    const j = testJsonReport(sampleRun());
    expect(j.ok).toBe(false);
    expect(j.summary).toEqual({ cases: 3, passed: 1, failed: 2, not_run: 1 });
    expect(j.cases[1]!.steps[0]).toMatchObject({ kind: 'expect_signal', ok: false, at_ms: 1000, detail: 'no Signal with p1=X within 1s' });
    expect(JSON.stringify(j)).not.toContain('"media"');
  });

  it('JUnit: one testcase per step, the expectations in a suite of their own, failures, skips and set-up errors', () => {
    const xml = renderTestJunit(sampleRun(), 'host');
    expect((xml.match(/<testsuite /g) ?? []).length).toBe(5);
    expect(xml).toMatch(/name="bad case" [^>]* tests="2" failures="1" errors="0" skipped="1"/);
    expect(xml).toMatch(/name="bad case · expectations" [^>]* tests="1" failures="1"/);
    expect((xml.match(/<testcase /g) ?? []).length).toBe(2 + 1 + 2 + 1 + 1 + 1);
    expect(xml).toContain('<failure message="at 1000 ms: no Signal with p1=X within 1s" type="step">');
    expect(xml).toContain('<skipped/>');
    expect(xml).toContain('<error message="the environment variable X is not set" type="setup">');
    expect(xml).toContain('name="good &lt;case&gt; &amp; &quot;quotes&quot;"');
  });

  it('HTML: steps, waveforms with the steps marked, players with WAV data, the ladder; nothing external', () => {
    const html = renderTestHtml(sampleRun());
    expect(html).toContain('FAIL: 1/3 cases passed');
    expect(html).toContain('aria-label="audio of both directions with the steps"');
    expect(html).toMatch(/<audio controls preload="none" src="data:audio\/wav;base64,UklGR/);
    expect(html).toContain('INVITE');
    expect(html).toContain('good &lt;case&gt;');
    expect(html).not.toMatch(/<script|src="http|href="http/);
  });

  it('writes a valid 8 kHz mono WAV header', () => {
    const b = wavBytes(new Int16Array([1, -1, 2]));
    expect(b.toString('ascii', 0, 4)).toBe('RIFF');
    expect(b.readUInt32LE(24)).toBe(8000);
    expect(b.readUInt32LE(40)).toBe(6);
    expect(b.length).toBe(50);
  });
});
