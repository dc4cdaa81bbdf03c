// The monitor's --every values.
import { describe, expect, it } from 'vitest';
import { formatInterval, parseInterval } from '../../../src/main/monitor/interval';

describe('parseInterval', () => {
  it.each([
    ['5m', 300_000], ['30s', 30_000], ['1h', 3_600_000], ['250ms', 250], ['90', 90_000], ['1.5m', 90_000], [' 2 M ', 120_000],
  ])('%s = %d ms', (text, ms) => expect(parseInterval(text)).toBe(ms));

  it.each(['', 'soon', '5x', '-1m', '0s', 'm5'])('refuses %j', (text) => expect(() => parseInterval(text)).toThrow(/interval/));

  it('formats back', () => {
    expect([300_000, 30_000, 3_600_000, 250, 90_000].map(formatInterval)).toEqual(['5m', '30s', '1h', '250ms', '90s']);
  });
});
