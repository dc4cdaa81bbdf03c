// The one text form of a Signal's p1..p9 (shared/signal-params.ts), used by the emulator's steps,
// the checks, the test-case steps, the timeline and the dashboard.
import { describe, expect, it } from 'vitest';
import { formatSignalParams, NO_SIGNAL_PARAMS } from '../../src/shared/signal-params';
import type { SignalParams } from '../../src/shared/types';

describe('formatSignalParams', () => {
  it('writes the set parameters as a query string in p1..p9 order, whatever order they were given in', () => {
    expect(formatSignalParams({ p9: 'z', p3: 'c=d&e', p1: 'AgentHandoff' })).toBe('p1=AgentHandoff&p3=c=d&e&p9=z');
  });
  it('leaves out empty and undefined values and names that are not p1..p9; none set reads "no parameters"', () => {
    expect(formatSignalParams({ p1: '', p2: undefined, p4: 'x' })).toBe('p4=x');
    expect(formatSignalParams({ p10: 'no' } as unknown as SignalParams)).toBe(NO_SIGNAL_PARAMS);
    expect(formatSignalParams({})).toBe('no parameters');
  });
});
