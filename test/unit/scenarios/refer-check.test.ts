import { describe, expect, it } from 'vitest';
import { referCheck } from '../../../src/main/scenarios/refer-check';
import type { SipMessageRecord } from '../../../src/shared/types';

const rec = (direction: 'in' | 'out', raw: string, status?: number): SipMessageRecord => ({
  callId: 'c1',
  direction,
  transport: 'udp',
  local: '127.0.0.1:5060',
  remote: '127.0.0.1:5062',
  monoMs: 1,
  wallMs: 1,
  firstLine: raw.split('\r\n')[0]!,
  method: 'REFER',
  raw,
  ...(status !== undefined ? { status } : {}),
});

describe('referCheck', () => {
  it('is null without a REFER from the far end (our own requests do not count)', () => {
    expect(referCheck([])).toBeNull();
    expect(referCheck([rec('out', 'REFER sip:b@x SIP/2.0\r\nRefer-To: <sip:c@x>\r\n\r\n')])).toBeNull();
  });

  it('reads Refer-To in its compact form, and says when the REFER is still unanswered', () => {
    const c = referCheck([rec('in', 'REFER sip:lab@x SIP/2.0\r\nr: <sip:agent@pbx.example;user=phone>\r\nCSeq: 2 REFER\r\n\r\n')])!;
    expect(c).toMatchObject({ name: 'transfer-by-refer', ok: true, warn: true, source: { kind: 'assumed' } });
    expect(c.detail).toMatch(/^the far end sent REFER \(Refer-To: <sip:agent@pbx\.example;user=phone>\): a transfer by SIP/);
  });

  it('names our final answer to it', () => {
    const c = referCheck([
      rec('in', 'REFER sip:lab@x SIP/2.0\r\nContent-Length: 0\r\n\r\n'),
      rec('out', 'SIP/2.0 405 Method Not Allowed\r\nCSeq: 2 REFER\r\n\r\n', 405),
    ])!;
    expect(c.detail).toMatch(/^the far end sent REFER \(Refer-To: \(no Refer-To\)\), answered 405 Method Not Allowed:/);
  });
});
