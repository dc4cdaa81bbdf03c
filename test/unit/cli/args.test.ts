import { describe, expect, it } from 'vitest';
import { parseHeaderOption, parseListen, parseSignalParams, parseTlsFlags } from '../../../src/main/cli/args';

describe('parseListen', () => {
  it('reads transport, host and port', () => {
    expect(parseListen('udp:127.0.0.1:5070')).toEqual({ transport: 'udp', host: '127.0.0.1', port: 5070 });
    expect(parseListen('TCP:0.0.0.0:0')).toEqual({ transport: 'tcp', host: '0.0.0.0', port: 0 });
    expect(parseListen('tcp:[::1]:5060')).toEqual({ transport: 'tcp', host: '::1', port: 5060 });
    expect(parseListen('tls:1.2.3.4:5061')).toEqual({ transport: 'tls', host: '1.2.3.4', port: 5061 });
  });
  it('names the expected form on bad input', () => {
    expect(() => parseListen('127.0.0.1:5060')).toThrow(/<udp\|tcp\|tls>:<host>:<port>/);
    expect(() => parseListen('sctp:1.2.3.4:5061')).toThrow(/expected/);
    expect(() => parseListen('udp:h:70000')).toThrow(/out of range/);
  });
});

describe('parseTlsFlags', () => {
  it('turns the flags into TLS options for a TLS listener', () => {
    expect(parseTlsFlags({ 'tls-cert': 'c.pem', 'tls-key': 'k.pem', 'ca-file': 'ca.pem' }, 'tls', true)).toEqual({ certFile: 'c.pem', keyFile: 'k.pem', caFile: 'ca.pem' });
    expect(parseTlsFlags({ 'tls-self-signed': true }, 'tls', true)).toEqual({ selfSigned: true });
  });
  it('lets a caller (not a listener) go without a certificate', () => {
    expect(parseTlsFlags({ 'ca-file': 'ca.pem' }, 'tls', false)).toEqual({ caFile: 'ca.pem' });
    expect(parseTlsFlags({}, 'tls', false)).toEqual({});
  });
  it('refuses flags that do not fit together or the transport', () => {
    expect(() => parseTlsFlags({}, 'tls', true)).toThrow('a TLS listener needs a certificate: --tls-cert FILE --tls-key FILE, or --tls-self-signed');
    expect(() => parseTlsFlags({ 'tls-cert': 'c.pem' }, 'tls', true)).toThrow(/--tls-cert and --tls-key go together/);
    expect(() => parseTlsFlags({ 'tls-cert': 'c', 'tls-key': 'k', 'tls-self-signed': true }, 'tls', true)).toThrow(/one of them, not both/);
    expect(() => parseTlsFlags({ 'ca-file': 'ca.pem' }, 'tcp', false)).toThrow('--ca-file: only for SIP over TLS (tls:<host>:<port>)');
    expect(parseTlsFlags({ 'tls-self-signed': false }, 'udp', true)).toBeUndefined();
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
