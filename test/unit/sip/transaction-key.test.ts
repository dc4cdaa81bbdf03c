import { describe, expect, it } from 'vitest';
import { isParseError, parseSipMessage, topVia, viaBranch, type ParsedSipMessage } from '../../../src/main/sip/message';
import { addRfc2543Contact, normalizedSentBy, peerBranchOf, ServerTransactionBranches } from '../../../src/main/sip/transaction-key';
import { appendToTopViaBranch, replaceTopViaBranch } from '../../../src/main/sip/top-via-edit';

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
  it('keeps no state for a request with a magic-cookie branch', () => {
    const t = new ServerTransactionBranches();
    const text = req('INVITE', { via: 'Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-1' });
    expect(branchOf(t.inbound(text, parse(text)))).toMatch(/^z9hG4bK-1\.s[0-9a-f]{16}$/);
    expect(t.size).toBe(0);
  });

  it('gives a branchless INVITE and its retransmission the same branch, and the next request another', () => {
    const t = new ServerTransactionBranches();
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
    const t = new ServerTransactionBranches();
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
      const t = new ServerTransactionBranches();
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

describe('magic-cookie transaction matching: branch, sent-by and method (RFC 3261 §17.2.3)', () => {
  const t = new ServerTransactionBranches();
  const keyOf = (method: string, via: string, cseqMethod = method): string => {
    const text = req(method, { via: `Via: ${via}`, cseqMethod });
    return branchOf(t.inbound(text, parse(text)))!;
  };

  it('reads sent-by with the host in lower case and the default port of the transport (§18.2.2, §19.1.2)', () => {
    expect(normalizedSentBy('SIP/2.0/UDP Host.Example.COM;branch=z9hG4bK1')).toBe('host.example.com:5060');
    expect(normalizedSentBy('SIP/2.0/tcp host.example.com:5060')).toBe('host.example.com:5060');
    expect(normalizedSentBy('SIP/2.0/TLS host.example.com;rport')).toBe('host.example.com:5061');
    expect(normalizedSentBy('SIP / 2.0 / UDP 10.0.0.1 : 05070 ;branch=z9hG4bK1')).toBe('10.0.0.1:5070');
    expect(normalizedSentBy('SIP/2.0/UDP [2001:DB8::1]:5062;branch=z9hG4bK1')).toBe('[2001:db8::1]:5062');
    expect(normalizedSentBy('SIP/2.0/UDP [2001:db8::1]')).toBe('[2001:db8::1]:5060');
    expect(normalizedSentBy('SIP/2.0/UDP Host:123456;branch=z9hG4bK1')).toBe('host:123456');
    expect(normalizedSentBy('SIP/2.0/UDP')).toBeUndefined();
  });

  it('gives the same branch and sent-by, however spelled, the same key; another sent-by or method another key', () => {
    const base = keyOf('INVITE', 'SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-same');
    expect(keyOf('INVITE', 'SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-same')).toBe(base);
    expect(keyOf('INVITE', 'SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-same;rport')).toBe(base);
    expect(keyOf('INVITE', 'SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bK-same')).toBe(base);
    expect(keyOf('INVITE', 'SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bK-same')).not.toBe(base);
    expect(keyOf('INVITE', 'SIP/2.0/UDP 10.0.0.9;branch=z9hG4bK-same')).not.toBe(base);
    expect(keyOf('INVITE', 'SIP/2.0/TLS 10.0.0.1;branch=z9hG4bK-same')).not.toBe(base);
    expect(keyOf('INVITE', 'SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-other')).not.toBe(base);
    expect(keyOf('OPTIONS', 'SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-same')).not.toBe(base);
    expect(keyOf('BYE', 'SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-same')).not.toBe(keyOf('OPTIONS', 'SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-same'));
    // ACK matches the INVITE (§17.2.3); CANCEL carries it too, for sip.js's §9.2 lookup.
    expect(keyOf('ACK', 'SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-same')).toBe(base);
    expect(keyOf('CANCEL', 'SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-same')).toBe(base);
    expect(keyOf('ACK', 'SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bK-same')).not.toBe(base);
  });

  it("puts the peer's branch back in every response, and only a suffix made here is taken off", () => {
    for (const method of ['INVITE', 'CANCEL', 'OPTIONS']) {
      const text = req(method, { via: 'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-p1;rport' });
      const inbound = t.inbound(text, parse(text));
      expect(inbound).toContain(';branch=z9hG4bK-p1.s');
      const out = response(inbound, 200, method);
      expect(t.outbound(out, parse(out)), method).toContain('\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-p1;rport\r\n');
    }
    const made = branchOf(t.inbound(req('OPTIONS', { via: 'Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-p2' }), parse(req('OPTIONS', { via: 'Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-p2' }))))!;
    expect(peerBranchOf(made, 'SIP/2.0/UDP 10.0.0.1;branch=x', 'OPTIONS')).toBe('z9hG4bK-p2');
    expect(peerBranchOf(made, 'SIP/2.0/UDP 10.0.0.2;branch=x', 'OPTIONS')).toBeUndefined();
    expect(peerBranchOf(made, 'SIP/2.0/UDP 10.0.0.1;branch=x', 'BYE')).toBeUndefined();
    expect(peerBranchOf('z9hG4bK-peer.s0123456789abcdef', 'SIP/2.0/UDP 10.0.0.1', 'OPTIONS')).toBeUndefined();
    const foreign = response(req('OPTIONS', { via: 'Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-peer.s0123456789abcdef' }), 200, 'OPTIONS');
    expect(t.outbound(foreign, parse(foreign))).toBe(foreign);
  });

  it('appends to the branch in place, whatever the spacing, and rewrites a folded top Via', () => {
    const spaced = 'OPTIONS sip:a@b SIP/2.0\r\nv : SIP/2.0/UDP h ; branch = z9hG4bK-x ;rport, SIP/2.0/UDP g;branch=z9hG4bK-x\r\nCSeq: 1 OPTIONS\r\n\r\n';
    expect(appendToTopViaBranch(spaced, 'z9hG4bK-x', '.sS')).toBe(spaced.replace('z9hG4bK-x ;', 'z9hG4bK-x.sS ;'));
    const folded = 'OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h\r\n ;branch=z9hG4bK-y\r\nCSeq: 1 OPTIONS\r\n\r\n';
    expect(appendToTopViaBranch(folded, 'z9hG4bK-y', '.sS')).toBe('OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h ;branch=z9hG4bK-y.sS\r\nCSeq: 1 OPTIONS\r\n\r\n');
  });
});

describe('rekey / restore: the text and its parse, as the transport passes them on', () => {
  const samples = [
    req('INVITE', { via: 'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-a1;rport' }),
    req('ACK', { via: 'v: SIP/2.0/TCP Host.example;branch=z9hG4bK-a1', toTag: 't9' }),
    req('CANCEL', { via: 'Via: SIP/2.0/UDP [2001:db8::1]:5062;branch=z9hG4bK-a1, SIP/2.0/UDP 10.0.0.9;branch=z9hG4bK-up' }),
    req('OPTIONS', { via: 'Via: SIP/2.0/UDP 10.0.0.1\r\n ;branch=z9hG4bK-folded' }),
    req('OPTIONS', { via: 'Via: SIP/2.0/UDP 10.0.0.1; branch=z9hG4bK-spaced;x=1' }),
    req('OPTIONS', { via: 'Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-dup;branch=z9hG4bK-dup' }),
    req('INVITE'),
    req('INVITE', { via: 'Via: SIP/2.0/UDP 10.0.0.1;branch=old1' }),
    req('OPTIONS', { via: 'Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-x.s0123456789abcdef' }),
  ];

  it('rekey gives the text inbound() and addRfc2543Contact() give, and the parse of that text', () => {
    for (const text of samples) {
      const t = new ServerTransactionBranches();
      const want = addRfc2543Contact(new ServerTransactionBranches().inbound(text, parse(text)), parse(text));
      const got = t.rekey(text, parse(text));
      expect(got.text, text).toBe(want);
      expect(got.parsed, text).toEqual(parse(want));
    }
  });

  it("restore gives the text outbound() gives, and the parse of that text, for responses to each", () => {
    for (const text of samples) {
      for (const status of [100, 180, 200, 486]) {
        const t = new ServerTransactionBranches();
        const inbound = t.rekey(text, parse(text)).text;
        const method = parse(text).method!;
        const out = [`SIP/2.0 ${status} X`, ...inbound.split('\r\n').filter((l) => /^(via|v)\s*:|^ /i.test(l)), 'From: <sip:alice@10.0.0.1>;tag=f1', 'To: <sip:bob@10.0.0.2>;tag=t9', 'Call-ID: c2543@10.0.0.1', `CSeq: 1 ${method}`, 'Content-Length: 0', '', ''].join('\r\n');
        const want = new ServerTransactionBranches();
        want.rekey(text, parse(text));
        const wantText = want.outbound(out, parse(out));
        const got = t.restore(out, parse(out));
        expect(got.text, `${status} to ${text}`).toBe(wantText);
        expect(got.parsed, `${status} to ${text}`).toEqual(parse(wantText));
        // The peer sees its own branch (or none) again.
        expect(viaBranch(topVia(got.parsed.headers)!), `${status} to ${text}`).toBe(viaBranch(topVia(parse(text).headers)!));
      }
    }
  });
});
