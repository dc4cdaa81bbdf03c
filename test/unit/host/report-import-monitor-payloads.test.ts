// Payload schemas of the issue-6 dashboard methods: reports/export, import/pcap, monitor/*.
import { describe, expect, it } from 'vitest';
import { validatePayload } from '../../../src/main/host/payload-schemas';
import { MAX_IMPORT_BYTES } from '../../../src/main/host/pcap-import';
import { exportBaseName } from '../../../src/main/host/report-export';

const redact = { phoneNumbers: false, ipAddresses: true };

describe('reports/export payload', () => {
  it('accepts a run or call ids with formats and redaction', () => {
    expect(validatePayload('reports/export', { selection: { runId: 'r1' }, formats: ['html', 'junit'], redact }).ok).toBe(true);
    expect(validatePayload('reports/export', { selection: { callIds: ['a', 'b'] }, formats: ['pcap'], redact }).ok).toBe(true);
  });
  it('refuses no format, an unknown format, an empty selection, both or neither selection, missing redaction', () => {
    expect(validatePayload('reports/export', { selection: { runId: 'r1' }, formats: [], redact }).ok).toBe(false);
    const pdf = validatePayload('reports/export', { selection: { runId: 'r1' }, formats: ['pdf'], redact });
    expect(!pdf.ok && pdf.error).toMatch(/formats/);
    expect(validatePayload('reports/export', { selection: { callIds: [] }, formats: ['html'], redact }).ok).toBe(false);
    expect(validatePayload('reports/export', { selection: { runId: 'r', callIds: ['a'] }, formats: ['html'], redact }).ok).toBe(false);
    expect(validatePayload('reports/export', { selection: {}, formats: ['html'], redact }).ok).toBe(false);
    expect(validatePayload('reports/export', { selection: { runId: 'r1' }, formats: ['html'] }).ok).toBe(false);
  });
  it('names files safely', () => {
    expect(exportBaseName({ runId: 'ab/../c d' })).toBe('cxone-sip-lab-run-ab_.._c_d');
    expect(exportBaseName({ callIds: ['x', 'y'] })).toBe('cxone-sip-lab-calls-2');
  });
});

describe('import/pcap payload', () => {
  it('accepts a file name, profile and base64 bytes', () => {
    expect(validatePayload('import/pcap', { fileName: 'a.pcap', profile: 'kore', base64: 'AAAA' }).ok).toBe(true);
  });
  it('refuses an empty capture, a missing profile, and more than the size cap with a clear message', () => {
    expect(validatePayload('import/pcap', { fileName: 'a.pcap', profile: 'kore', base64: '' }).ok).toBe(false);
    expect(validatePayload('import/pcap', { fileName: 'a.pcap', base64: 'AAAA' }).ok).toBe(false);
    const big = validatePayload('import/pcap', { fileName: 'a.pcap', profile: 'kore', base64: 'A'.repeat(Math.ceil(MAX_IMPORT_BYTES / 3) * 4 + 4) });
    expect(!big.ok && big.error).toMatch(/larger than 50 MB/);
  });
});

describe('monitor payloads', () => {
  const start = { scenario: 'handoff', profile: 'kore', transport: 'udp', everyMs: 60_000, faults: ['server-error'] };
  it('accepts a handoff monitor and the other methods', () => {
    expect(validatePayload('monitor/start', start).ok).toBe(true);
    expect(validatePayload('monitor/stop', { id: 'm1' }).ok).toBe(true);
    expect(validatePayload('monitor/list', null).ok).toBe(true);
    expect(validatePayload('monitor/trends', { profile: 'kore', transport: 'udp' }).ok).toBe(true);
    expect(validatePayload('monitor/trends', {}).ok).toBe(true);
  });
  it('refuses another scenario, TLS, an interval under 1 s, too many faults, unknown fields', () => {
    expect(validatePayload('monitor/start', { ...start, scenario: 'load' }).ok).toBe(false);
    expect(validatePayload('monitor/start', { ...start, transport: 'tls' }).ok).toBe(false);
    const fast = validatePayload('monitor/start', { ...start, everyMs: 10 });
    expect(!fast.ok && fast.error).toMatch(/everyMs/);
    expect(validatePayload('monitor/start', { ...start, faults: Array(17).fill('reset') }).ok).toBe(false);
    expect(validatePayload('monitor/start', { ...start, runs: 3 }).ok).toBe(false);
    expect(validatePayload('monitor/stop', {}).ok).toBe(false);
  });
});
