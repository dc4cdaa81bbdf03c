/**
 * The conversation API on a real call on loopback: A says a sentence (offline TTS) and B hears a
 * turn start and end; digits by SIP INFO and RFC 4733 reach B's waits, its media report and its
 * ladder; comfort-noise packets are no speech.
 */
import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { monoNow } from '../../../src/main/clock';
import { conversationOf, DtmfWaitError } from '../../../src/main/media/conversation';
import { MediaTestBag } from '../../helpers/media/media-call';
import { waitUntil } from '../../helpers/media/audio';

const bag = new MediaTestBag();
afterEach(() => bag.release());

describe('CallConversation', () => {
  it('B hears the sentence A says: a turn starts after A began and ends after A finished', async () => {
    const { aCall, bCall } = await bag.call();
    const a = conversationOf(aCall);
    const b = conversationOf(bCall);
    const heard = b.waitForSpeech({ withinMs: 10_000 });
    const said = await a.say('Hello, I would like to talk to a person please.');
    const start = await heard;
    expect(start).toBeGreaterThanOrEqual(said.startMonoMs);
    const silentSince = await b.waitForSilence({ forMs: 300, withinMs: 10_000 });
    expect(silentSince).toBeGreaterThan(start);
    expect(said.durationMs).toBeGreaterThan(1000);
    const seg = b.speech.segments;
    expect(seg.length).toBeGreaterThanOrEqual(1);
    expect(seg.at(-1)!.endMonoMs).toBe(silentSince);
  });

  it('digits by SIP INFO reach B: its wait, its dtmf event, its media report (via info) and its ladder', async () => {
    const { aCall, bCall } = await bag.call();
    const b = conversationOf(bCall);
    const events: string[] = [];
    bCall.on('dtmf', (d) => events.push(`${d.digit}/${d.via}`));
    const waiting = b.waitForDtmf({ digits: '2#', withinMs: 10_000 });
    await conversationOf(aCall).sendDtmf('12#', 'info', { durationMs: 40, gapMs: 0 });
    const got = await waiting;
    expect(got.map((d) => d.digit)).toEqual(['2', '#']);
    expect(events).toEqual(['1/info', '2/info', '#/info']);
    expect(bCall.mediaReport().dtmf.map((d) => `${d.direction}${d.digit}${d.via}${d.durationMs}`)).toEqual(['in1info40', 'in2info40', 'in#info40']);
    expect(aCall.mediaReport().dtmf.map((d) => `${d.direction}${d.digit}`)).toEqual(['out1', 'out2', 'out#']);
    const infos = bCall.messages.filter((m) => m.method === 'INFO' && m.status === undefined);
    expect(infos).toHaveLength(3);
    expect(infos[0]!.raw).toMatch(/Content-Type: application\/dtmf-relay/i);
    expect(infos[0]!.raw).toMatch(/Signal=1\r\nDuration=40/);
    expect(bCall.messages.filter((m) => m.method === 'INFO' && m.status === 200)).toHaveLength(3);
  });

  it('an RFC 4733 digit satisfies a wait too; a wait that runs out names what came', async () => {
    const { aCall, bCall } = await bag.call();
    const b = conversationOf(bCall);
    const since = monoNow();
    await conversationOf(aCall).sendDtmf('5');
    await expect(b.waitForDtmf({ digits: '5', withinMs: 5000, sinceMonoMs: since })).resolves.toHaveLength(1);
    const err = await b.waitForDtmf({ digits: '9', withinMs: 20, sinceMonoMs: since }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DtmfWaitError);
    expect(err).toMatchObject({ reason: 'timeout', received: '5' });
  });

  it('comfort-noise packets (payload type 13) are no speech', async () => {
    const { bCall } = await bag.call();
    const sock = dgram.createSocket('udp4');
    bag.add({ close: () => void sock.close() });
    const port = bCall.media.local.port;
    for (let i = 0; i < 50; i++) {
      const pkt = Buffer.alloc(13);
      pkt[0] = 0x80;
      pkt[1] = 13; // CN
      pkt.writeUInt16BE(i, 2);
      pkt.writeUInt32BE(i * 160, 4);
      pkt.writeUInt32BE(0x1234, 8);
      pkt[12] = 30; // noise level −30 dBov
      await new Promise<void>((r) => sock.send(pkt, port, '127.0.0.1', () => r()));
    }
    await waitUntil(() => bCall.media.rtpPacketsIn >= 50, 'the CN packets');
    expect(conversationOf(bCall).speech.segments).toEqual([]);
    expect(conversationOf(bCall).speech.speaking).toBe(false);
  });
});
