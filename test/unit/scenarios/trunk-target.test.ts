import { describe, expect, it } from 'vitest';
import { applyHeaderOverrides, resolveCallTarget } from '../../../src/main/scenarios/trunk-target';

describe('resolveCallTarget', () => {
  it('keeps a SIP URI; its host is the domain and the first hop', () => {
    expect(resolveCallTarget('sip:bot@10.0.0.5:5060;transport=tcp')).toEqual({ requestUri: 'sip:bot@10.0.0.5:5060;transport=tcp', domain: '10.0.0.5', firstHopHost: '10.0.0.5' });
    expect(resolveCallTarget('bot@bots.example')).toMatchObject({ requestUri: 'sip:bot@bots.example', domain: 'bots.example' });
  });

  it('sends a number to the trunk, the proxy being the first hop', () => {
    expect(resolveCallTarget('+1 (555) 010-0', { trunk: 'trunk.example:5080', outboundProxy: 'sip:10.1.1.1;lr' })).toEqual({
      requestUri: 'sip:+15550100@trunk.example:5080',
      domain: 'trunk.example',
      firstHopHost: '10.1.1.1',
    });
    expect(resolveCallTarget('15550100', { outboundProxy: '10.1.1.1:5070' }).requestUri).toBe('sip:15550100@10.1.1.1:5070');
  });

  it('explains a number without a trunk and an unusable target', () => {
    expect(() => resolveCallTarget('15550100')).toThrow('"15550100" is a number: give --trunk <host[:port]> (or --via <proxy>) so the call goes to sip:15550100@<trunk>');
    expect(() => resolveCallTarget('hello world')).toThrow(/give a SIP URI \(sip:bot@10\.0\.0\.5:5060\) or a number with --trunk/);
    expect(() => resolveCallTarget('1555', { trunk: 'bad host' })).toThrow(/--trunk "bad host": expected host\[:port\] or a SIP URI/);
  });
});

describe('applyHeaderOverrides', () => {
  const base = [
    { name: 'X-ExternalCallId', value: '123' },
    { name: 'X-Campaign', value: 'spring' },
  ];
  it('replaces by name (taking the new spelling), removes on an empty value, appends others', () => {
    expect(
      applyHeaderOverrides(base, [
        { name: 'x-externalcallid', value: '999' },
        { name: 'X-Campaign', value: '' },
        { name: 'X-Extra', value: 'a' },
      ]),
    ).toEqual([
      { name: 'x-externalcallid', value: '999' },
      { name: 'X-Extra', value: 'a' },
    ]);
    expect(base).toHaveLength(2);
  });
});
