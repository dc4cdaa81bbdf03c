/** SIP INFO DTMF bodies: application/dtmf-relay both ways, application/dtmf, event codes, junk. */
import { describe, expect, it } from 'vitest';
import { dtmfRelayBody, parseDtmfInfo } from '../../../src/main/sip/dtmf-info';

describe('dtmf-relay bodies', () => {
  it('writes Signal and Duration lines and reads them back', () => {
    expect(dtmfRelayBody('2')).toBe('Signal=2\r\nDuration=160\r\n');
    expect(dtmfRelayBody('#', 250)).toBe('Signal=#\r\nDuration=250\r\n');
    expect(parseDtmfInfo('application/dtmf-relay', dtmfRelayBody('a', 120))).toEqual({ digit: 'A', durationMs: 120 });
    expect(() => dtmfRelayBody('x')).toThrow(/not a DTMF digit/);
  });

  it('reads the variants peers send', () => {
    expect(parseDtmfInfo('Application/DTMF-Relay; charset=utf-8', 'signal = 7\nduration=100')).toEqual({ digit: '7', durationMs: 100 });
    expect(parseDtmfInfo('application/dtmf-relay', 'Signal=11\r\nDuration=160')).toEqual({ digit: '#', durationMs: 160 });
    expect(parseDtmfInfo('application/dtmf-relay', 'Signal=*\r\n')).toEqual({ digit: '*', durationMs: 0 });
    expect(parseDtmfInfo('application/dtmf', '5\r\n')).toEqual({ digit: '5', durationMs: 0 });
  });

  it('ignores other bodies and junk', () => {
    expect(parseDtmfInfo('application/media_control+xml', '<x/>')).toBeUndefined();
    expect(parseDtmfInfo(undefined, 'Signal=1')).toBeUndefined();
    expect(parseDtmfInfo('application/dtmf-relay', 'Signal=99\r\nDuration=160')).toBeUndefined();
    expect(parseDtmfInfo('application/dtmf-relay', 'Duration=160')).toBeUndefined();
    expect(parseDtmfInfo('application/dtmf', 'xyz')).toBeUndefined();
  });
});
