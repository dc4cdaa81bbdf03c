import { describe, expect, it } from 'vitest';
import { parseHeaderOption, parseListen, parseSignalParams } from '../../../src/main/cli/args';

describe('parseListen', () => {
  it('reads transport, host and port', () => {
    expect(parseListen('udp:127.0.0.1:5070')).toEqual({ transport: 'udp', host: '127.0.0.1', port: 5070 });
    expect(parseListen('TCP:0.0.0.0:0')).toEqual({ transport: 'tcp', host: '0.0.0.0', port: 0 });
    expect(parseListen('tcp:[::1]:5060')).toEqual({ transport: 'tcp', host: '::1', port: 5060 });
  });
  it('names the expected form on bad input', () => {
    expect(() => parseListen('127.0.0.1:5060')).toThrow(/<udp\|tcp>:<host>:<port>/);
    expect(() => parseListen('tls:1.2.3.4:5061')).toThrow(/expected/);
    expect(() => parseListen('udp:h:70000')).toThrow(/out of range/);
  });
});

describe('parseSignalParams', () => {
  it('splits on commas that start a new pN=', () => {
    expect(parseSignalParams(['p1=AgentHandoff,p3=sess-1'])).toEqual({ p1: 'AgentHandoff', p3: 'sess-1' });
  });
  it('keeps commas inside values and merges repeated options', () => {
    expect(parseSignalParams(['p2=a,b,c', 'p9=x=y'])).toEqual({ p2: 'a,b,c', p9: 'x=y' });
  });
  it('refuses names other than p1..p9', () => {
    expect(() => parseSignalParams(['p10=x'])).toThrow(/p1\.\.p9/);
    expect(() => parseSignalParams(['foo'])).toThrow(/pN=value/);
  });
});

describe('parseHeaderOption', () => {
  it('splits name and value', () => {
    expect(parseHeaderOption('X-ContactID: 42')).toEqual({ name: 'X-ContactID', value: '42' });
  });
  it('refuses a header without a colon', () => {
    expect(() => parseHeaderOption('X-ContactID 42')).toThrow(/X-Name: value/);
  });
});
