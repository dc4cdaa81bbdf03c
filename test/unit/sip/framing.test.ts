import { describe, expect, it } from 'vitest';
import { contentLengthOf, SipStreamFramer, type FrameEvent } from '../../../src/main/sip/framing';

function msg(body: string, extra = ''): string {
  const len = Buffer.byteLength(body, 'utf8');
  return `INVITE sip:bot@127.0.0.1 SIP/2.0\r\nCall-ID: abc\r\n${extra}Content-Length: ${len}\r\n\r\n${body}`;
}

function messages(events: FrameEvent[]): string[] {
  return events.filter((e) => e.kind === 'message').map((e) => (e as { text: string }).text);
}

describe('SipStreamFramer', () => {
  it('frames a message fed byte by byte, including a multibyte UTF-8 body', () => {
    const body = 'v=0\r\ns=Grüße – 日本語 🎧\r\n';
    const text = msg(body);
    const bytes = Buffer.from(text, 'utf8');
    expect(bytes.length).toBeGreaterThan(text.length); // multibyte: bytes ≠ characters
    const f = new SipStreamFramer();
    const events: FrameEvent[] = [];
    for (const b of bytes) events.push(...f.push(Buffer.from([b])));
    expect(events).toEqual([{ kind: 'message', text, byteLength: bytes.length }]);
    expect(f.bufferedBytes).toBe(0);
  });

  it('splits coalesced messages and keeps a partial tail for the next chunk', () => {
    const a = msg('first body');
    const b = msg('', 'X-ContactID: 998877\r\n');
    const c = msg('third');
    const all = Buffer.from(a + b + c, 'utf8');
    const cut = all.length - 4;
    const f = new SipStreamFramer();
    expect(messages(f.push(all.subarray(0, cut)))).toEqual([a, b]);
    expect(f.bufferedBytes).toBe(Buffer.byteLength(c) - 4);
    expect(messages(f.push(all.subarray(cut)))).toEqual([c]);
  });

  it('reports a double-CRLF ping and strips CRLFs before a start line', () => {
    const f = new SipStreamFramer();
    expect(f.push(Buffer.from('\r\n\r\n'))).toEqual([{ kind: 'ping' }]);
    const a = msg('x');
    const events = f.push(Buffer.from(`\r\n${a}\r\n\r\n`));
    expect(events.map((e) => e.kind)).toEqual(['pong', 'message', 'ping']);
    expect(messages(events)).toEqual([a]);
  });

  it('recognises a ping split across chunks', () => {
    const f = new SipStreamFramer();
    expect(f.push(Buffer.from('\r\n'))).toEqual([]);
    expect(f.push(Buffer.from('\r'))).toEqual([]);
    expect(f.push(Buffer.from('\n'))).toEqual([{ kind: 'ping' }]);
  });

  it('treats a missing Content-Length as an empty body and accepts the compact form l:', () => {
    const f = new SipStreamFramer();
    const noCl = 'OPTIONS sip:bot@h SIP/2.0\r\nCall-ID: 1\r\n\r\n';
    const compact = 'OPTIONS sip:bot@h SIP/2.0\r\nl: 3\r\n\r\nabc';
    expect(messages(f.push(Buffer.from(noCl + compact)))).toEqual([noCl, compact]);
  });

  it('fails once the headers exceed the cap without a blank line, then yields nothing more', () => {
    const f = new SipStreamFramer({ maxHeaderBytes: 1024 });
    const big = `INVITE sip:bot@h SIP/2.0\r\n${'X-Pad: '.padEnd(2000, 'a')}\r\n`;
    const events = f.push(Buffer.from(big));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'error' });
    expect((events[0] as { reason: string }).reason).toMatch(/exceed 1024 bytes/);
    expect(f.push(Buffer.from(msg('x')))).toEqual([]);
  });

  it('fails when a complete header block is larger than the cap', () => {
    const f = new SipStreamFramer({ maxHeaderBytes: 100 });
    const events = f.push(Buffer.from(msg('', `X-Pad: ${'b'.repeat(200)}\r\n`)));
    expect(events).toEqual([{ kind: 'error', reason: expect.stringMatching(/exceed the cap of 100 bytes/), head: expect.stringMatching(/^INVITE /), status: 513 }]);
  });

  it('fails on an unreadable Content-Length, handing back the header block for a 400', () => {
    const f = new SipStreamFramer();
    const head = 'INVITE sip:a@b SIP/2.0\r\nContent-Length: ten\r\n\r\n';
    const events = f.push(Buffer.from(head));
    expect(events).toEqual([{ kind: 'error', reason: 'invalid Content-Length "ten"', head, status: 400 }]);
  });
});

describe('contentLengthOf', () => {
  it('reads Content-Length case-insensitively, 0 when absent, error when conflicting', () => {
    expect(contentLengthOf('INVITE x SIP/2.0\r\ncontent-length:  42')).toBe(42);
    expect(contentLengthOf('INVITE x SIP/2.0\r\nCall-ID: 1')).toBe(0);
    expect(contentLengthOf('X\r\nContent-Length: 1\r\nl: 2')).toEqual({ error: 'conflicting Content-Length headers' });
  });
});
