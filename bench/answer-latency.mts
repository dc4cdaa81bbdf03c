/**
 * Benchmark: how fast the app answers an INVITE, against SIPp's own UAS in the same run.
 *
 * One raw UDP client (this file) sends N sequential calls (INVITE with SDP and an X-ContactID,
 * ACK, BYE) to (a) `sipp -sn uas` and (b) a SipEndpoint answering as the bot, stamping INVITE sent →
 * 100 / 180 / 200 received with `performance.now()`. It prints p50, p95 and max for each, and the
 * ratio app / SIPp. Run: `npx tsx bench/answer-latency.mts [calls]` (needs `sipp` on PATH).
 * Nothing here asserts a timing; it prints figures.
 */
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { SipEndpoint } from '../src/main/sip/endpoint';

const CALLS = Number(process.argv[2] ?? 200);
const HOST = '127.0.0.1';

interface Marks {
  r100: number[];
  r180: number[];
  r200: number[];
}

async function client(): Promise<{ sock: dgram.Socket; port: number; waitFor: (callId: string, pred: (m: string) => boolean) => Promise<[string, number]> }> {
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, HOST, () => r()));
  const waiters: { callId: string; pred: (m: string) => boolean; resolve: (v: [string, number]) => void }[] = [];
  sock.on('message', (b) => {
    const t = performance.now();
    const m = b.toString();
    const i = waiters.findIndex((w) => m.includes(`Call-ID: ${w.callId}`) && w.pred(m));
    if (i >= 0) waiters.splice(i, 1)[0]!.resolve([m, t]);
  });
  return {
    sock,
    port: sock.address().port,
    waitFor: (callId, pred) => new Promise((resolve) => waiters.push({ callId, pred, resolve })),
  };
}

function invite(target: number, me: number, callId: string): string {
  const sdp = `v=0\r\no=- 1 1 IN IP4 ${HOST}\r\ns=-\r\nc=IN IP4 ${HOST}\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n`;
  return [
    `INVITE sip:15550100@${HOST}:${target} SIP/2.0`,
    `Via: SIP/2.0/UDP ${HOST}:${me};branch=z9hG4bK-${callId};rport`,
    `From: <sip:cxone@${HOST}:${me}>;tag=t-${callId}`,
    `To: <sip:15550100@${HOST}:${target}>`,
    `Call-ID: ${callId}`,
    'CSeq: 1 INVITE',
    `Contact: <sip:cxone@${HOST}:${me}>`,
    'Max-Forwards: 70',
    'X-ContactID: 998877',
    'Content-Type: application/sdp',
    `Content-Length: ${Buffer.byteLength(sdp)}`,
    '',
    sdp,
  ].join('\r\n');
}

function inDialog(method: 'ACK' | 'BYE', cseq: number, target: number, me: number, callId: string, to: string): string {
  return [
    `${method} sip:bot@${HOST}:${target} SIP/2.0`,
    `Via: SIP/2.0/UDP ${HOST}:${me};branch=z9hG4bK-${method}-${callId};rport`,
    `From: <sip:cxone@${HOST}:${me}>;tag=t-${callId}`,
    `To: ${to}`,
    `Call-ID: ${callId}`,
    `CSeq: ${cseq} ${method}`,
    'Max-Forwards: 70',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

async function run(label: string, target: number): Promise<Marks> {
  const c = await client();
  const marks: Marks = { r100: [], r180: [], r200: [] };
  for (let i = 0; i < CALLS; i++) {
    const callId = `${label}-${i}-${process.pid}`;
    const got100 = c.waitFor(callId, (m) => m.startsWith('SIP/2.0 100'));
    const got180 = c.waitFor(callId, (m) => m.startsWith('SIP/2.0 180'));
    const got200 = c.waitFor(callId, (m) => m.startsWith('SIP/2.0 200') && m.includes('INVITE'));
    const t0 = performance.now();
    c.sock.send(invite(target, c.port, callId), target, HOST);
    const [ok, t200] = await got200;
    marks.r200.push(t200 - t0);
    const [, t100] = await Promise.race([got100, Promise.resolve(['', NaN] as [string, number])]);
    const [, t180] = await Promise.race([got180, Promise.resolve(['', NaN] as [string, number])]);
    if (!Number.isNaN(t100)) marks.r100.push(t100 - t0);
    if (!Number.isNaN(t180)) marks.r180.push(t180 - t0);
    const to = /^To: (.*)$/m.exec(ok)![1]!.trim();
    c.sock.send(inDialog('ACK', 1, target, c.port, callId, to), target, HOST);
    const byeOk = c.waitFor(callId, (m) => m.startsWith('SIP/2.0 200') && m.includes('BYE'));
    c.sock.send(inDialog('BYE', 2, target, c.port, callId, to), target, HOST);
    await byeOk;
  }
  c.sock.close();
  return marks;
}

function stats(xs: number[]): { p50: number; p95: number; max: number; n: number } {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  return { p50: at(0.5), p95: at(0.95), max: s[s.length - 1] ?? NaN, n: s.length };
}

const fmt = (x: number): string => (Number.isNaN(x) ? '   -   ' : x.toFixed(3).padStart(7));

// (a) SIPp's UAS
const sippPort = 47600 + (process.pid % 200);
const sipp = spawn('sipp', ['-sn', 'uas', '-i', HOST, '-p', String(sippPort), '-m', String(CALLS), '-nostdin', '-bg'], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 500));
const sippMarks = await run('sipp', sippPort);
sipp.kill();

// (b) the app's endpoint, answering as the bot (accept at once)
const bot = await SipEndpoint.start({ transport: 'udp', host: HOST, port: 0, user: 'bot' });
bot.onInvite = (call) => void call.accept();
const warm = await run('warm', bot.listener.port).catch(() => null);
void warm;
const appMarks = await run('app', bot.listener.port);
await bot.stop();

console.log(`answer latency, ${CALLS} sequential UDP calls on loopback (ms, INVITE sent → response received by the client)`);
console.log('mark           |        SIPp uas (p50 / p95 / max)  |   app endpoint (p50 / p95 / max)  | p50 ratio app/SIPp');
for (const k of ['r100', 'r180', 'r200'] as const) {
  const a = stats(sippMarks[k]);
  const b = stats(appMarks[k]);
  const name = { r100: 'invite_to_100', r180: 'invite_to_180', r200: 'invite_to_200' }[k];
  console.log(`${name.padEnd(14)} | ${fmt(a.p50)} ${fmt(a.p95)} ${fmt(a.max)} (n=${a.n}) | ${fmt(b.p50)} ${fmt(b.p95)} ${fmt(b.max)} (n=${b.n}) | ${a.n && b.n ? (b.p50 / a.p50).toFixed(1) : '-'}`);
}
process.exit(0);
