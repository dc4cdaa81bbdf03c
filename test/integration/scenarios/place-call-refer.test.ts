/**
 * `lab call` to a far end that answers, then tries to transfer the call with REFER (RFC 3515)
 * instead of a Signal: the lab answers 405 and follows nothing (sip/methods.ts), and the report
 * carries the `transfer-by-refer` warning (scenarios/refer-check.ts), which never fails the call.
 * The far end is a raw UDP socket on loopback; the lab's side is the real runPlaceCall.
 */
import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { runPlaceCall } from '../../../src/main/scenarios/place-call';

const socks: dgram.Socket[] = [];
afterEach(() => socks.splice(0).forEach((s) => s.close()));

/** A far end that answers with 200, sends REFER once the ACK is in, and hangs up (BYE) once the REFER is answered. */
async function referringBot(): Promise<{ port: number; referAnswer: Promise<string> }> {
  const sock = dgram.createSocket('udp4');
  socks.push(sock);
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  const port = sock.address().port;
  let dialog: { callId: string; from: string; to: string; target: string; peer: number } | null = null;
  let cseq = 1;
  let answered!: (m: string) => void;
  const referAnswer = new Promise<string>((r) => (answered = r));
  const request = (method: string, extra: string[] = []): string => {
    const d = dialog!;
    return [`${method} ${d.target} SIP/2.0`, `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK-bot-${method}-${cseq}`, 'Max-Forwards: 70', `From: ${d.to}`, `To: ${d.from}`, `Call-ID: ${d.callId}`, `CSeq: ${cseq++} ${method}`, `Contact: <sip:bot@127.0.0.1:${port}>`, ...extra, 'Content-Length: 0', '', ''].join('\r\n');
  };
  sock.on('message', (b, rinfo) => {
    const m = b.toString('utf8');
    const head = m.split('\r\n\r\n')[0]!.split('\r\n');
    const h = (name: string): string => head.find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))?.replace(/^[^:]+:\s*/, '') ?? '';
    if (m.startsWith('INVITE ')) {
      const sdp = ['v=0', 'o=bot 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 40000 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', ''].join('\r\n');
      const to = `${h('To')};tag=bot`;
      dialog = { callId: h('Call-ID'), from: h('From'), to, target: /<([^>]+)>/.exec(h('Contact'))![1]!, peer: rinfo.port };
      const ok = ['SIP/2.0 200 OK', ...head.filter((l) => /^(Via|From|Call-ID|CSeq):/i.test(l)), `To: ${to}`, `Contact: <sip:bot@127.0.0.1:${port}>`, 'Content-Type: application/sdp', `Content-Length: ${sdp.length}`, '', sdp].join('\r\n');
      sock.send(ok, rinfo.port, '127.0.0.1');
    } else if (m.startsWith('ACK ') && dialog && cseq === 1) {
      sock.send(request('REFER', [`Refer-To: <sip:agent@127.0.0.1:5999>`, `Referred-By: <sip:bot@127.0.0.1:${port}>`]), dialog.peer, '127.0.0.1');
    } else if (m.startsWith('SIP/2.0 ') && / REFER$/.test(h('CSeq'))) {
      answered(head[0]!);
      sock.send(request('BYE'), dialog!.peer, '127.0.0.1');
    } else if (m.startsWith('BYE ')) {
      sock.send(['SIP/2.0 200 OK', ...head.filter((l) => /^(Via|From|To|Call-ID|CSeq):/i.test(l)), 'Content-Length: 0', '', ''].join('\r\n'), rinfo.port, '127.0.0.1');
    }
  });
  return { port, referAnswer };
}

describe('lab call: a far end that transfers by REFER', () => {
  it('gets 405, nothing is followed, and the report warns transfer-by-refer', async () => {
    const bot = await referringBot();
    const report = await runPlaceCall({ target: `sip:bot@127.0.0.1:${bot.port}`, profile: 'watson', transport: 'udp', prompt: null, recordDir: null, local: { host: '127.0.0.1' }, lingerMs: 20 });
    expect(await bot.referAnswer).toBe('SIP/2.0 405 Method Not Allowed');
    const c = report.calls[0]!;
    expect(c.end).toEqual({ by: 'remote', reason: 'BYE' });
    const warn = c.checks.find((k) => k.name === 'transfer-by-refer');
    expect(warn).toMatchObject({ ok: true, warn: true, source: { kind: 'assumed' } });
    expect(warn!.detail).toBe('the far end sent REFER (Refer-To: <sip:agent@127.0.0.1:5999>), answered 405 Method Not Allowed: a transfer by SIP, not the Signal that hands the call back to CXone; the lab does not follow REFER');
    expect(report.ok).toBe(c.checks.every((k) => k.ok));
  });
});
