/**
 * Properties of the RFC 3261 §17.2.3 keys (fast-check): for any magic-cookie branch, sent-by
 * spelling and method, (1) two requests get the same sip.js branch exactly when their branch,
 * normalized sent-by and matching method (ACK and CANCEL as INVITE) are equal, and (2) every
 * response puts the peer's Via back as it was, with a parse equal to a parse of its text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isParseError, parseSipMessage, topVia, viaBranch, type ParsedSipMessage } from '../../../src/main/sip/message';
import { normalizedSentBy, ServerTransactionBranches } from '../../../src/main/sip/transaction-key';

function parse(text: string): ParsedSipMessage {
  const p = parseSipMessage(text);
  if (isParseError(p)) throw new Error(p.error);
  return p;
}

const TOKEN = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`\'~';
const branchArb = fc.string({ unit: fc.constantFrom(...TOKEN.split('')), minLength: 0, maxLength: 24 }).map((s) => `z9hG4bK${s}`);
/** A host in some case, with or without a port (5060/5061 written out or left to the default). */
const sentByArb = fc.record({
  host: fc.constantFrom('10.0.0.1', 'pbx.example.com', 'PBX.Example.COM', '[2001:db8::1]', '[2001:DB8::1]'),
  port: fc.constantFrom(undefined, 5060, 5061, 5070),
  transport: fc.constantFrom('UDP', 'TCP', 'TLS', 'udp'),
  params: fc.constantFrom('', ';rport', ';received=10.9.9.9', ';rport;x=1'),
  space: fc.constantFrom(';', '; '),
});
const methodArb = fc.constantFrom('INVITE', 'ACK', 'CANCEL', 'OPTIONS', 'BYE', 'INFO');

type SentBy = { host: string; port: number | undefined; transport: string; params: string; space: string };

function viaOf(s: SentBy, branch: string): string {
  return `SIP/2.0/${s.transport} ${s.host}${s.port === undefined ? '' : `:${s.port}`}${s.params}${s.space}branch=${branch}`;
}

function request(method: string, via: string): string {
  return [`${method} sip:bot@10.0.0.2 SIP/2.0`, `Via: ${via}`, 'From: <sip:a@10.0.0.1>;tag=f', 'To: <sip:bot@10.0.0.2>', 'Call-ID: prop', `CSeq: 1 ${method}`, 'Content-Length: 0', '', ''].join('\r\n');
}

const matching = (m: string): string => (m === 'ACK' || m === 'CANCEL' ? 'INVITE' : m);

describe('§17.2.3 transaction keys, for any branch, sent-by and method', () => {
  it('give two requests one sip.js branch exactly when branch, normalized sent-by and matching method are equal', () => {
    const t = new ServerTransactionBranches();
    const keyOf = (method: string, via: string): string => {
      const text = request(method, via);
      return viaBranch(topVia(t.rekey(text, parse(text)).parsed.headers)!)!;
    };
    fc.assert(
      fc.property(branchArb, fc.boolean(), branchArb, sentByArb, sentByArb, methodArb, methodArb, (b1, same, b2raw, s1, s2, m1, m2) => {
        const b2 = same ? b1 : b2raw;
        const v1 = viaOf(s1, b1);
        const v2 = viaOf(s2, b2);
        const equalKey = b1 === b2 && normalizedSentBy(v1) === normalizedSentBy(v2) && matching(m1) === matching(m2);
        expect(keyOf(m1, v1) === keyOf(m2, v2)).toBe(equalKey);
      }),
      { numRuns: 2000, seed: 17_2_3 },
    );
  });

  it("give every response the peer's Via back, with a parse equal to a parse of its text", () => {
    const t = new ServerTransactionBranches();
    fc.assert(
      fc.property(branchArb, sentByArb, methodArb.filter((m) => m !== 'ACK'), fc.constantFrom(100, 180, 200, 487), (branch, s, method, status) => {
        const via = viaOf(s, branch);
        const text = request(method, via);
        const keyed = t.rekey(text, parse(text));
        expect(keyed.parsed).toEqual(parse(keyed.text));
        const response = [`SIP/2.0 ${status} X`, `Via: ${topVia(keyed.parsed.headers)}`, 'From: <sip:a@10.0.0.1>;tag=f', 'To: <sip:bot@10.0.0.2>;tag=t', 'Call-ID: prop', `CSeq: 1 ${method}`, 'Content-Length: 0', '', ''].join('\r\n');
        const out = t.restore(response, parse(response));
        expect(topVia(out.parsed.headers)).toBe(via);
        expect(out.text).toContain(`\r\nVia: ${via}\r\n`);
        expect(out.parsed).toEqual(parse(out.text));
      }),
      { numRuns: 2000, seed: 3261 },
    );
  });
});
