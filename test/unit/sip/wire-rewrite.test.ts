import { describe, expect, it } from 'vitest';
import { parseSipMessage, type ParsedSipMessage } from '../../../src/main/sip/message';
import { requestTarget, uriTarget, viaTarget } from '../../../src/main/sip/routing';
import { addViaPort, editForSipJs, rewriteRequestUri, sentByHasPort, stripViaPort } from '../../../src/main/sip/wire-rewrite';
import { parsedOf, redactCredentials, wireRecord } from '../../../src/main/sip/wire-record';

const REQ =
  'INVITE sip:bot@127.0.0.1:5070 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1\r\nTo: <sip:bot@h>\r\nContent-Length: 24\r\n\r\nVia: SIP/2.0/UDP body;x\n';

function parsed(text: string): ParsedSipMessage {
  const p = parseSipMessage(text);
  if ('error' in p) throw new Error(p.error);
  return p;
}

describe('Via port edits', () => {
  it('adds the listen port and rport to the top Via only, never touching the body', () => {
    const out = addViaPort(REQ, 5080, true);
    expect(out).toContain('Via: SIP/2.0/UDP 127.0.0.1:5080;branch=z9hG4bK1;rport\r\n');
    expect(out.endsWith('\r\n\r\nVia: SIP/2.0/UDP body;x\n')).toBe(true);
    expect(out.length - REQ.length).toBe(':5080;rport'.length);
  });

  it('keeps an existing port and rport; edits only the first of comma-separated Via values', () => {
    const text = 'BYE sip:a@b SIP/2.0\r\nv: SIP/2.0/TCP 10.0.0.1:5099;rport;branch=z9, SIP/2.0/TCP 10.0.0.2;branch=y\r\n\r\n';
    expect(addViaPort(text, 5080, true)).toBe(text);
    const noPort = text.replace('10.0.0.1:5099;rport', '10.0.0.1');
    expect(addViaPort(noPort, 5080, false)).toContain('v: SIP/2.0/TCP 10.0.0.1:5080;branch=z9, SIP/2.0/TCP 10.0.0.2;branch=y');
  });

  it('strips the port from the top Via of a response', () => {
    const resp = 'SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5080;branch=z9hG4bK1;rport=5080;received=127.0.0.1\r\n\r\n';
    expect(stripViaPort(resp)).toBe(resp.replace('127.0.0.1:5080;', '127.0.0.1;'));
    expect(sentByHasPort('[::1]:5060')).toBe(true);
    expect(sentByHasPort('[::1]')).toBe(false);
  });

  it('rewrites the Request-URI and nothing else', () => {
    expect(rewriteRequestUri(REQ, 'sip:lab@127.0.0.1:5080')).toBe(REQ.replace('sip:bot@127.0.0.1:5070', 'sip:lab@127.0.0.1:5080'));
    expect(rewriteRequestUri('SIP/2.0 200 OK\r\n\r\n', 'sip:x@y')).toBe('SIP/2.0 200 OK\r\n\r\n');
  });
});

describe('the edit an incoming message gets before sip.js (editForSipJs)', () => {
  const ours = (tls: boolean) => ({ tls, ourRequestUri: () => 'sip:lab@127.0.0.1:5080' });
  const inDialog = (method: string, uri: string) =>
    `${method} ${uri} SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bK2\r\nt: <sip:lab@h>;tag=abc\r\nCSeq: 2 ${method}\r\n\r\n`;

  it('gives an out-of-dialog request our Request-URI, but not an ACK', () => {
    expect(editForSipJs(REQ, parsed(REQ), ours(false))).toBe(REQ.replace('sip:bot@127.0.0.1:5070', 'sip:lab@127.0.0.1:5080'));
    const ack = REQ.replace('INVITE sip:', 'ACK sip:');
    expect(editForSipJs(ack, parsed(ack), ours(false))).toBe(ack);
  });

  it('leaves an in-dialog request (To tag, compact t: too) as it is, except sips: over TLS', () => {
    const bye = inDialog('BYE', 'sips:lab@127.0.0.1:5061');
    expect(editForSipJs(bye, parsed(bye), ours(false))).toBe(bye);
    expect(editForSipJs(bye, parsed(bye), ours(true))).toBe(bye.replace('BYE sips:', 'BYE sip:'));
    const plain = inDialog('ACK', 'sip:lab@127.0.0.1:5061');
    expect(editForSipJs(plain, parsed(plain), ours(true))).toBe(plain);
  });

  it('takes the port off the top Via of a response', () => {
    const resp = 'SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5080;branch=z9hG4bK1\r\n\r\n';
    expect(editForSipJs(resp, parsed(resp), ours(false))).toBe(resp.replace('127.0.0.1:5080;', '127.0.0.1;'));
  });
});

describe('routing targets', () => {
  it('sends a request to the first Route URI, else the Request-URI (default port 5060)', () => {
    expect(requestTarget(parsed(REQ))).toEqual({ host: '127.0.0.1', port: 5070 });
    const routed = REQ.replace('To:', 'Route: <sip:10.1.1.1:5062;lr>, <sip:10.2.2.2;lr>\r\nTo:');
    expect(requestTarget(parsed(routed))).toEqual({ host: '10.1.1.1', port: 5062 });
    expect(uriTarget('<sip:host.example;transport=tcp>')).toEqual({ host: 'host.example', port: 5060 });
    expect(uriTarget('sips:a@b')).toEqual({ host: 'b', port: 5061 });
    expect(uriTarget('not a uri')).toBeUndefined();
  });

  it('falls back to Via received/rport/sent-by for a response (RFC 3261 §18.2.2, RFC 3581)', () => {
    const base = 'SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP VIA\r\n\r\n';
    const via = (v: string): ParsedSipMessage => parsed(base.replace('VIA', v));
    expect(viaTarget(via('10.0.0.1:5099;branch=z'))).toEqual({ host: '10.0.0.1', port: 5099 });
    expect(viaTarget(via('10.0.0.1;branch=z'))).toEqual({ host: '10.0.0.1', port: 5060 });
    expect(viaTarget(via('10.0.0.1:5099;received=192.0.2.1;rport=40000'))).toEqual({ host: '192.0.2.1', port: 40000 });
  });
});

describe('wire records', () => {
  it('redact Authorization and Proxy-Authorization credentials and keep everything else', () => {
    const raw =
      'INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9\r\nAuthorization: Digest username="bot", realm="r",\r\n response="0123abcd", nonce="n"\r\nproxy-authorization: Bearer s3cr3t\r\nCall-ID: c1\r\nContent-Length: 4\r\n\r\nbody';
    const rec = wireRecord(raw, parseSipMessage(raw), {
      direction: 'out',
      transport: 'tcp',
      local: '127.0.0.1:1',
      remote: '127.0.0.1:2',
      stamp: { monoMs: 1, wallMs: 2 },
    });
    expect(rec.raw).toBe(
      'INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9\r\nAuthorization: Digest [redacted]\r\nproxy-authorization: Bearer [redacted]\r\nCall-ID: c1\r\nContent-Length: 4\r\n\r\nbody',
    );
    expect(rec).toMatchObject({ callId: 'c1', method: 'INVITE', firstLine: 'INVITE sip:a@b SIP/2.0' });
    expect(redactCredentials('OPTIONS sip:a@b SIP/2.0\r\nCall-ID: 1\r\n\r\n')).toBe('OPTIONS sip:a@b SIP/2.0\r\nCall-ID: 1\r\n\r\n');
  });

  it('record an unparseable message with its first line and an empty Call-ID', () => {
    const raw = 'garbage line\r\nmore';
    const rec = wireRecord(raw, parseSipMessage(raw), {
      direction: 'in',
      transport: 'udp',
      local: 'l',
      remote: 'r',
      stamp: { monoMs: 1, wallMs: 2 },
    });
    expect(rec).toMatchObject({ callId: '', method: '', firstLine: 'garbage line', raw });
    expect(rec.status).toBeUndefined();
    expect(parsedOf(rec)).toBeNull();
  });

  it('keep the parse of their text for its readers, never serialised, and none when credentials were redacted', () => {
    const ctx = { direction: 'out' as const, transport: 'udp' as const, local: 'l', remote: 'r', stamp: { monoMs: 1, wallMs: 2 } };
    const plain = 'INVITE sip:a@b SIP/2.0\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\n\r\n';
    const parsed = parseSipMessage(plain);
    const rec = wireRecord(plain, parsed, ctx);
    expect(parsedOf(rec)).toBe(parsed);
    expect(Object.keys(rec)).not.toContain('parsed');
    expect(JSON.parse(JSON.stringify(rec))).toEqual({ ...rec });
    const secret = 'INVITE sip:a@b SIP/2.0\r\nAuthorization: Digest response="0123abcd"\r\nCall-ID: c2\r\n\r\n';
    const redacted = wireRecord(secret, parseSipMessage(secret), ctx);
    expect(parsedOf(redacted)).toBeNull();
    expect(JSON.stringify(redacted)).not.toContain('0123abcd');
  });
});
