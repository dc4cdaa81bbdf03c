/** The one-way-audio verdict from packet counts, with the voice detector's finding in the detail. */
import { describe, expect, it } from 'vitest';
import { emptyStreamStats } from '../../../src/main/media/media-report';
import { oneWayAudioVerdict } from '../../../src/main/media/one-way-audio';

const stats = (direction: 'in' | 'out', packets: number) => ({ ...emptyStreamStats(direction), packets });

describe('oneWayAudioVerdict', () => {
  it('judges both, sent-only, received-only and none', () => {
    expect(oneWayAudioVerdict(stats('out', 5), stats('in', 4), true)).toEqual({ verdict: 'both', detail: 'RTP both ways: 5 packets sent, 4 received; voice detected in it' });
    expect(oneWayAudioVerdict(stats('out', 5), stats('in', 0), false).verdict).toBe('sent-only');
    expect(oneWayAudioVerdict(stats('out', 0), stats('in', 3), false)).toEqual({
      verdict: 'received-only',
      detail: 'one-way audio: the peer sent 3 RTP packets; no voice detected in it (silence), we sent none',
    });
    expect(oneWayAudioVerdict(stats('out', 0), stats('in', 0), false).verdict).toBe('none');
  });
});
