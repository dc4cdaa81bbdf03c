import { describe, expect, it } from 'vitest';
import { isParseError, parseSipMessage, topVia, viaBranch, type ParsedSipMessage } from '../../../src/main/sip/message';
import { addRfc2543Contact, replaceTopViaBranch, Rfc2543Branches } from '../../../src/main/sip/transaction-key';

function req(method: string, opts: { cseq?: number; cseqMethod?: string; toTag?: string; via?: string } = {}): string {
  return [
    `${method} sip:bob@10.0.0.2 SIP/2.0`,
    opts.via ?? 'Via: SIP/2.0/UDP 10.0.0.1:5060',
    'From: <sip:alice@10.0.0.1>;tag=f1',
    `To: <sip:bob@10.0.0.2>${opts.toTag ? `;tag=${opts.toTag}` : ''}`,
    'Call-ID: c2543@10.0.0.1',
    `CSeq: ${opts.cseq ?? 1} ${opts.cseqMethod ?? method}`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

function parse(text: string): ParsedSipMessage {
  const p = parseSipMessage(text);
  if (isParseError(p)) throw new Error(p.error);
  return p;
}

function branchOf(text: string): string | undefined {
  const v = topVia(parse(text).headers);
  return v ? viaBranch(v) : undefined;
}

function response(to: string, status: number, method = 'INVITE'): string {
  const p = parse(to);
  return [`SIP/2.0 ${status} X`, `Via: ${topVia(p.headers)}`, 'From: <sip:alice@10.0.0.1>;tag=f1', 'To: <sip:bob@10.0.0.2>;tag=t9', 'Call-ID: c2543@10.0.0.1', `CSeq: 1 ${method}`, 'Content-Length: 0', '', ''].join('\r\n');
}

describe('RFC 2543 transaction matching (RFC 3261 §17.2.3)', () => {
  it('leaves a request with a magic-cookie branch alone', () => {
    const t = new Rfc2543Branches();
    const text = req('INVITE', { via: 'Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-1' });
    expect(t.inbound(text, parse(text))).toBe(text);
    expect(t.size).toBe(0);
  });

  it('gives a branchless INVITE and its retransmission the same branch, and the next request another', () => {
    const t = new Rfc2543Branches();
    const a = req('INVITE');
    const first = branchOf(t.inbound(a, parse(a)));
    const again = branchOf(t.inbound(a, parse(a)));
    const bye = req('BYE', { cseq: 2, toTag: 't9' });
    expect(first).toMatch(/^z9hG4bK\./);
    expect(again).toBe(first);
    expect(branchOf(t.inbound(bye, parse(bye)))).not.toBe(first);
    const cancel = req('CANCEL');
    expect(branchOf(t.inbound(cancel, parse(cancel)))).toBe(first);
  });

  it("keys a branch that lacks the magic cookie by the RFC 2543 rules too, and puts the peer's branch back in responses", () => {
    const t = new Rfc2543Branches();
    const a = req('INVITE', { via: 'Via: SIP/2.0/UDP 10.0.0.1;branch=old1;rport' });
    const inbound = t.inbound(a, parse(a));
    const synth = branchOf(inbound)!;
    expect(synth).toMatch(/^z9hG4bK\./);
    const out = response(inbound, 180);
    expect(t.outbound(out, parse(out))).toContain('Via: SIP/2.0/UDP 10.0.0.1;branch=old1;rport\r\n');
    const none = req('OPTIONS');
    const noneIn = t.inbound(none, parse(none));
    const noneOut = response(noneIn, 200, 'OPTIONS');
    expect(t.outbound(noneOut, parse(noneOut))).toContain('Via: SIP/2.0/UDP 10.0.0.1:5060\r\n');
  });

  it("matches an ACK to its INVITE's transaction after a non-2xx, and gives it its own after a 2xx", () => {
    for (const [status, same] of [[486, true], [200, false]] as const) {
      const t = new Rfc2543Branches();
      const inv = req('INVITE');
      const inbound = t.inbound(inv, parse(inv));
      const fin = response(inbound, status);
      t.outbound(fin, parse(fin));
      const ack = req('ACK', { toTag: 't9' });
      expect(branchOf(t.inbound(ack, parse(ack))) === branchOf(inbound), `after ${status}`).toBe(same);
    }
  });

  it('rewrites a folded, spaced top Via into one line and keeps the other values of that header', () => {
    const text = 'OPTIONS sip:a@b SIP/2.0\r\nVia  : SIP  /   2.0\r\n /UDP\r\n    192.0.2.2;branch=390skdjuw , SIP/2.0/TCP x.example\r\nCSeq: 1 OPTIONS\r\n\r\n';
    expect(replaceTopViaBranch(text, 'z9hG4bK.X')).toBe('OPTIONS sip:a@b SIP/2.0\r\nVia: SIP  /   2.0 /UDP 192.0.2.2;branch=z9hG4bK.X, SIP/2.0/TCP x.example\r\nCSeq: 1 OPTIONS\r\n\r\n');
  });

  it('gives an RFC 2543 INVITE without Contact one from its Via (RFC 4475 §3.4), and leaves RFC 3261 ones to be refused', () => {
    const old = req('INVITE');
    expect(addRfc2543Contact(old, parse(old))).toContain('\r\nContact: <sip:alice@10.0.0.1:5060>\r\n\r\n');
    const modern = req('INVITE', { via: 'Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-1' });
    expect(addRfc2543Contact(modern, parse(modern))).toBe(modern);
    const bye = req('BYE', { toTag: 't' });
    expect(addRfc2543Contact(bye, parse(bye))).toBe(bye);
  });
});
