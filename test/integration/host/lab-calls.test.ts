// The Lab's dashboard handlers with real parts (SIP on loopback, the CXone emulator, SQLite in a
// temp dir): a SIP listener of the settings answering as the bot, a call placed to it with edited
// X- headers, a call through a trunk (outbound proxy), a recording served as bytes, Signals
// without a call and through a connection whose secret is not set.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallSummary } from '../../../src/shared/types';
import { Lab } from '../../../src/main/lab';

let lab: Lab;
const savedBus = process.env.DBUS_SESSION_BUS_ADDRESS;

beforeAll(async () => {
  process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/cxone-sip-lab-calls-test';
  lab = await Lab.start({ dbFile: join(mkdtempSync(join(tmpdir(), 'lab-calls-')), 'history.db'), host: 'browser', keychainService: `cxone-sip-lab-test-${process.pid}` });
});
afterAll(async () => {
  await lab?.stop();
  if (savedBus === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
  else process.env.DBUS_SESSION_BUS_ADDRESS = savedBus;
});

async function until<T>(fn: () => T | null | undefined, what: string): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() - start > 10_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const ok = <T>(r: { ok: true; value: T } | { ok: false; error: string }): T => {
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

describe('Lab: listeners, placing calls, trunks, recordings, Signals', () => {
  let listenerUri = '';
  let listenerId = '';

  it('a SIP listener of the settings starts, shows in app/info, and answers as the bot of its profile', async () => {
    const view = ok(await lab.handlers['settings/saveListener']({ transport: 'udp', host: '127.0.0.1', port: 0, advertiseHost: null, profile: 'synthflow', enabled: true }));
    expect(view.status).toBe('listening');
    expect(view.uri).toMatch(/^sip:bot@127\.0\.0\.1:\d+;transport=udp$/);
    listenerUri = view.uri!;
    listenerId = view.id;
    expect(ok(await lab.handlers['app/info'](null)).listeners.map((l) => l.uri)).toContain(listenerUri);
    expect(ok(await lab.handlers['settings/get'](null)).listeners).toEqual([expect.objectContaining({ id: listenerId, status: 'listening' })]);
  });

  it('places a call to a SIP URI with edited X- headers; the contact-id placeholders are filled in', async () => {
    const target = listenerUri.replace(/^sip:bot@/, 'sip:15550100@').replace(/;transport=udp$/, '');
    const { callRef } = ok(
      await lab.handlers['calls/place']({
        target,
        profile: 'synthflow',
        transport: 'udp',
        headers: [
          { name: 'X-MasterId', value: '{masterId}' },
          { name: 'X-Child', value: 'child {childId}' },
        ],
        trunkId: null,
        botSignals: false,
      }),
    );
    const uac = ok(await lab.handlers['calls/get']({ id: callRef }));
    expect(uac.role).toBe('uac');
    const uas = await until(() => lab.store.findCallBySipCallId(uac.callId, 'uas'), 'the bot leg');
    const detail = await until(() => {
      const d = lab.store.getCall(uas.id);
      return d?.verdict ? d : null;
    }, 'the verdict');
    expect(detail.profile).toBe('synthflow');
    expect(detail.verdict).toMatchObject({ ok: true, header: 'X-MasterId' });
    const master = detail.contactId!;
    expect(detail.invite!.headers).toEqual(expect.arrayContaining([{ name: 'X-Child', value: `child ${Number(master) + 1}` }]));
    await until(() => lab.recorder.get(uas.id)?.call.state === 'answered', 'answered');
    ok(await lab.handlers['calls/hangup']({ id: uas.id }));
  });

  it('a disabled listener stops; a deleted one is gone', async () => {
    const { status: _s, uri: _u, error: _e, ...s } = ok(await lab.handlers['settings/get'](null)).listeners[0]!;
    const stopped = ok(await lab.handlers['settings/saveListener']({ ...s, enabled: false }));
    expect(stopped).toMatchObject({ status: 'stopped', uri: null });
    expect(ok(await lab.handlers['app/info'](null)).listeners.map((l) => l.uri)).not.toContain(listenerUri);
    ok(await lab.handlers['settings/deleteListener']({ id: listenerId }));
    expect(ok(await lab.handlers['settings/get'](null)).listeners).toEqual([]);
  });

  it('a listener that cannot bind reports its error instead of failing the save', async () => {
    const tcp = ok(await lab.handlers['app/info'](null)).listeners.find((l) => l.transport === 'tcp')!;
    const view = ok(await lab.handlers['settings/saveListener']({ transport: 'tcp', host: '127.0.0.1', port: tcp.port, advertiseHost: null, profile: 'kore', enabled: true }));
    expect(view.status).toBe('error');
    expect(view.error).toMatch(/EADDRINUSE|in use/i);
    ok(await lab.handlers['settings/deleteListener']({ id: view.id }));
  });

  it('places a call to a number through a trunk (the trunk is the outbound proxy)', async () => {
    const tcp = ok(await lab.handlers['app/info'](null)).listeners.find((l) => l.transport === 'tcp')!;
    const trunk = ok(await lab.handlers['settings/saveTrunk']({ name: 'Loopback', host: '127.0.0.1', port: tcp.port, transport: 'tcp', domain: 'carrier.example', username: null, register: false }));
    const before = new Set(lab.store.listCalls({ limit: 100 }).map((c) => c.id));
    const { callRef } = ok(await lab.handlers['calls/place']({ target: '+15550100', profile: 'kore', transport: 'tcp', headers: null, trunkId: trunk.id, botSignals: false }));
    const uac = ok(await lab.handlers['calls/get']({ id: callRef }));
    expect(uac.requestUri).toBe('sip:+15550100@carrier.example');
    const uas = await until(() => lab.store.listCalls({ limit: 100 }).find((c: CallSummary) => !before.has(c.id) && c.role === 'uas' && c.callId === uac.callId), 'the call at the bot');
    expect(uas.requestUri).toMatch(/^sip:\+15550100@carrier\.example/);
    await until(() => lab.recorder.get(uas.id)?.call.state === 'answered', 'answered');
    ok(await lab.handlers['calls/hangup']({ id: uas.id }));
    const err = await lab.handlers['calls/place']({ target: '', profile: 'kore', transport: 'tcp', headers: null, trunkId: trunk.id, botSignals: false });
    expect(err).toMatchObject({ ok: false, error: 'give the number (or SIP URI) to call through the trunk' });
    ok(await lab.handlers['settings/deleteTrunk']({ id: trunk.id }));
  });

  it('a trunk that REGISTERs shows why its registration failed (nothing listens there)', async () => {
    const { createServer } = await import('node:net');
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as { port: number }).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const view = ok(await lab.handlers['settings/saveTrunk']({ name: 'Closed', host: '127.0.0.1', port, transport: 'tcp', domain: 'carrier.example', username: null, register: true }));
    expect(view.registration.state).toBe('failed');
    expect(view.registration.error).toBeTruthy();
    ok(await lab.handlers['settings/deleteTrunk']({ id: view.id }));
  });

  it('a trunk that REGISTERs is registered (a loopback registrar), and unregisters when deleted', async () => {
    const dgram = await import('node:dgram');
    const sock = dgram.createSocket('udp4');
    const seen: string[] = [];
    sock.on('message', (buf, from) => {
      const req = buf.toString('utf8');
      if (!req.startsWith('REGISTER ')) return;
      seen.push(req);
      const echo = req.split('\r\n').filter((l) => /^(Via|From|To|Call-ID|CSeq|Contact):/i.test(l));
      sock.send(Buffer.from(['SIP/2.0 200 OK', ...echo, 'Content-Length: 0', '', ''].join('\r\n')), from.port, from.address);
    });
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    try {
      const view = ok(await lab.handlers['settings/saveTrunk']({ name: 'Registrar', host: '127.0.0.1', port: sock.address().port, transport: 'udp', domain: 'carrier.example', username: null, register: true }));
      expect(view.registration).toMatchObject({ state: 'registered', error: null });
      expect(seen[0]).toMatch(/^REGISTER sip:127\.0\.0\.1:\d+;transport=udp SIP\/2\.0/);
      expect(seen[0]).toMatch(/^To: <sip:cxone@carrier\.example>/m);
      ok(await lab.handlers['settings/deleteTrunk']({ id: view.id }));
      expect(seen.at(-1)).toMatch(/expires=0/i);
    } finally {
      sock.close();
    }
  });

  it('refuses unusable targets with a message', async () => {
    const r = await lab.handlers['calls/place']({ target: 'bot.example', profile: 'kore', transport: 'udp', headers: null, trunkId: null, botSignals: false });
    expect(r).toMatchObject({ ok: false, error: expect.stringMatching(/must be a SIP URI/) });
    const tls = await lab.handlers['calls/place']({ target: '', profile: 'kore', transport: 'tls', headers: null, trunkId: null, botSignals: false });
    expect(tls).toMatchObject({ ok: false, error: expect.stringMatching(/no built-in bot listener over TLS/) });
  });

  it('serves a call recording as bytes; says so when there is none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-rec-'));
    const wav = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVEfmt '), Buffer.alloc(28)]);
    writeFileSync(join(dir, 'x.wav'), wav);
    const [call] = lab.store.listCalls({ limit: 1 });
    const stats = { direction: 'in' as const, ssrc: null, ssrcChanges: 0, packets: 0, payloadBytes: 0, expected: 0, lost: 0, lossPercent: 0, outOfOrder: 0, duplicates: 0, jitterMs: 0, maxJitterMs: 0, firstMonoMs: null, lastMonoMs: null };
    const media = { codec: 'PCMU' as const, localRtp: '127.0.0.1:1', remoteRtp: null, sent: { ...stats, direction: 'out' as const }, received: stats, rtcp: [], dtmf: [], recordingPath: join(dir, 'x.wav'), firstVoiceMonoMs: null, oneWayAudio: { verdict: 'none' as const, detail: '' } };
    lab.store.saveCall({ ...call!, id: 'with-recording', media });
    const rec = ok(await lab.handlers['calls/recording']({ id: 'with-recording' }));
    expect(Buffer.from(rec.base64, 'base64').equals(wav)).toBe(true);
    expect(await lab.handlers['calls/recording']({ id: call!.id })).toMatchObject({ ok: false, error: expect.stringMatching(/no recording/) });
  });

  it('Signals: a bare contact id through the emulator; a connection without its secret is refused', async () => {
    const rec = ok(await lab.handlers['signals/send']({ contactId: '999', params: { p1: 'AgentHandoff' }, profile: 'kore' }));
    expect(rec).toMatchObject({ status: 404, ok: false, callRef: null });
    expect(JSON.stringify(rec.exchange)).toMatch(/\[redacted\]/);
    expect(ok(await lab.handlers['signals/list']({ limit: 10 })).map((s) => s.id)).toContain(rec.id);
    const conn = await lab.handlers['settings/saveConnection']({ name: 'No secret', auth: 'access-key', area: 'na1', issuer: null, apiBase: null, apiVersion: 'v30.0', pathStyle: 'incontactapi', accessKeyId: 'AK', clientId: null });
    const id = ok(conn).id;
    const r = await lab.handlers['signals/send']({ contactId: '123', params: { p1: 'x' }, connectionId: id });
    expect(r).toMatchObject({ ok: false, error: expect.stringMatching(/no keychain|secret is not set/) });
    const t = ok(await lab.handlers['settings/testConnection']({ id }));
    expect(t).toMatchObject({ ok: false, checks: [] });
  });
});
