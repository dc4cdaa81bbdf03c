/**
 * Contact checks against the real emulator: details and end of a contact, the pre-signal checks
 * (live, right leg) and the check after; and through the bot over real SIP on loopback: the
 * pre-signal check in the bot's Signal path, the wrong leg under Synthflow, and a 202 that never
 * drops the leg, flagged after the configured wait.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { checkAfterSignal, checksBeforeSignal } from '../../../src/main/cxone/contact-checks';
import type { CxoneClient } from '../../../src/main/cxone/client';
import { getProfile } from '../../../src/main/profiles';
import { BotAgent, type BotCallResult } from '../../../src/main/scenarios/bot-agent';
import { CallRecorder } from '../../../src/main/scenarios/call-recorder';
import { SipEndpoint } from '../../../src/main/sip/endpoint';
import { client, emulator } from './helpers';

const synthflow = getProfile('synthflow');
const MASTER = '20000000100';
const CHILD = '20000000101';
const PSEUDO = '+15550100';

async function callPair(): Promise<{ api: Awaited<ReturnType<typeof emulator>>; c: CxoneClient }> {
  const api = await emulator();
  api.contacts.add({ contactId: MASTER, role: 'master', toAddr: '+18005550000', onSignal: () => {} });
  api.contacts.add({ contactId: CHILD, role: 'child', masterId: MASTER, toAddr: PSEUDO });
  return { api, c: client(api) };
}

describe('contact APIs', () => {
  it('details of an active, then ended contact; end answers 202 once, then 404', async () => {
    const { api, c } = await callPair();
    const ended = new Promise<string>((resolve) => api.once('contact-end', (e) => resolve(e.contactId)));
    const before = await c.contactDetails(CHILD);
    expect(before).toMatchObject({ ok: true, contact: { contactId: CHILD, masterContactId: MASTER, active: true, state: 'Active', toAddr: PSEUDO } });
    expect(await c.endContact(CHILD)).toMatchObject({ ok: true, status: 202 });
    expect(await ended).toBe(CHILD);
    const again = await c.endContact(CHILD);
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.message).toBe(`end contact ${CHILD}: end contact ${CHILD}: not found (404) at ${again.url}: contact ${CHILD} has already ended`);
    const after = await c.contactDetails(CHILD);
    expect(after).toMatchObject({ ok: true, contact: { active: false, state: 'Ended' } });
    const unknown = await c.contactDetails('1');
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.message).toContain('contact 1 is unknown');
  });

  it('before signalling: the MasterId is live through its child on the pseudo number, and the right leg under Synthflow', async () => {
    const { c } = await callPair();
    const checks = await checksBeforeSignal(c, MASTER, { profile: synthflow, toAddr: PSEUDO });
    expect(checks).toEqual([
      { name: 'contact-live', ok: true, detail: expect.stringMatching(new RegExp(`^contact ${MASTER} is active \\(host 127\\.0\\.0\\.1:\\d+, API v28\\.0, path /incontactapi/services/v28\\.0/contacts/active, [\\d.]+ ms\\)$`)) },
      { name: 'signal-leg', ok: true, detail: expect.stringContaining(`contact ${MASTER} is the parent script's (the MasterId), which waits in ONSIGNAL under Synthflow`), source: expect.objectContaining({ kind: 'seed' }) },
    ]);
  });

  it('before signalling: under Synthflow the child id is reported as the wrong leg', async () => {
    const { c } = await callPair();
    const checks = await checksBeforeSignal(c, CHILD, { profile: synthflow, toAddr: PSEUDO });
    expect(checks[1]).toMatchObject({
      name: 'signal-leg',
      ok: false,
      detail: expect.stringContaining(`wrong leg: this id, ${CHILD}, is the child leg's (MasterId ${MASTER}); the script waiting in ONSIGNAL is the parent script's: signal the MasterId ${MASTER}`),
    });
  });

  it('before signalling: an ended contact is not live', async () => {
    const { api, c } = await callPair();
    api.contacts.end(CHILD);
    api.contacts.end(MASTER);
    const checks = await checksBeforeSignal(c, MASTER, { profile: synthflow, toAddr: PSEUDO });
    expect(checks).toEqual([
      { name: 'contact-live', ok: false, detail: `contact ${MASTER} is not among the active contacts placed to ${PSEUDO} (no active contact placed to ${PSEUDO}): the call has ended, or the id is not this call's ContactId/MasterId` },
    ]);
  });

  it('after signalling: the details check says the contact ended', async () => {
    const { c } = await callPair();
    expect(await checkAfterSignal(c, CHILD)).toMatchObject({ name: 'contact-details', ok: true, detail: expect.stringContaining(`contact ${CHILD}: active (Active), MasterId ${MASTER}`) });
    await c.endContact(CHILD);
    expect((await checkAfterSignal(c, CHILD)).detail).toMatch(new RegExp(`^contact ${CHILD}: ended at \\S+ \\(Ended\\), MasterId ${MASTER} \\(host `));
    expect(await c.checkBeforeSignal(CHILD, synthflow)).toEqual([]); // not configured: nothing runs
  });
});

describe('through the bot (SIP on loopback)', () => {
  const endpoints: SipEndpoint[] = [];
  afterEach(async () => {
    await Promise.all(endpoints.splice(0).map((e) => e.stop()));
  });

  async function botCall(headerValue: string, c: CxoneClient, dropWaitMs: number, logs: string[] = [], profile = synthflow): Promise<BotCallResult> {
    const bot = await SipEndpoint.start({ transport: 'udp', host: '127.0.0.1', port: 0, user: 'bot' });
    const cxone = await SipEndpoint.start({ transport: 'udp', host: '127.0.0.1', port: 0, user: 'cxone' });
    endpoints.push(bot, cxone);
    const agent = new BotAgent({ endpoint: bot, profile, recorder: new CallRecorder(null, null), runId: null, client: c, autoSignal: true, dropWaitMs, maxCallMs: 5000, log: (level, m) => logs.push(`${level} ${m}`) });
    const done = new Promise<BotCallResult>((resolve) => agent.once('call-done', resolve));
    cxone.invite(`sip:15550100@127.0.0.1:${bot.listener.port};transport=udp`, { extraHeaders: [{ name: 'X-MasterId', value: headerValue }] });
    return done;
  }

  it('Synthflow, the child id in X-MasterId: the pre-signal check and the Signal both say wrong leg', async () => {
    const { api } = await callPair();
    const c = client(api, { preSignalCheck: { toAddr: PSEUDO } });
    const r = await botCall(CHILD, c, 2000);
    const byName = Object.fromEntries(r.tracked.checks.map((k) => [k.name, k]));
    expect(byName['contact-live']?.ok).toBe(true);
    expect(byName['signal-leg']).toMatchObject({ ok: false, detail: expect.stringContaining(`signal the MasterId ${MASTER}`) });
    expect(byName['signal-accepted']).toMatchObject({ ok: false, detail: expect.stringMatching(new RegExp(`^wrong leg: accepted \\(202\\) but contact ${CHILD}'s script has no ONSIGNAL, so nothing happens; the parent script holds the ONSIGNAL: signal the MasterId ${MASTER} \\(emulator\\) \\(http://`)) });
    expect(r.signal?.status).toBe(202);
  });

  it('a 202 that never drops the leg is flagged after the configured wait', async () => {
    const { api } = await callPair(); // the MasterId's ONSIGNAL does nothing: the leg stays up
    const logs: string[] = [];
    const r = await botCall(MASTER, client(api), 200, logs);
    expect(r.signal).toMatchObject({ ok: true, status: 202 });
    expect(logs).toContainEqual(expect.stringMatching(/^warn bot: signal accepted but CXone did not drop call \S+ within 200 ms$/));
    // After the wait the bot ends the leg itself; the check fails because CXone should have.
    const check = r.checks.find((k) => k.name === 'leg-dropped');
    expect(check?.ok).toBe(false);
    expect(check?.detail).toMatch(/^signal accepted but the leg was not dropped within [\d.]+ s \(the bot hung up itself [\d.]+ ms after the Signal\)$/);
  });

  it('where who ends the leg is assumed (as for PolyAI), a leg CXone never dropped is a warning, not a failure', async () => {
    expect(getProfile('polyai').sources?.hangsUp?.kind).toBe('assumed');
    // Synthflow's reading of the MasterId, with PolyAI's unsourced "CXone ends the bot leg".
    const assumedHangUp = { ...synthflow, sources: { ...synthflow.sources, hangsUp: getProfile('polyai').sources!.hangsUp! } };
    const { api } = await callPair();
    const r = await botCall(MASTER, client(api), 200, [], assumedHangUp);
    expect(r.signal).toMatchObject({ ok: true });
    const check = r.checks.find((k) => k.name === 'leg-dropped');
    expect(check).toMatchObject({ ok: true, warn: true, source: { kind: 'assumed' } });
    expect(check?.detail).toMatch(/^warning \(who ends the leg is assumed here: .*\): signal accepted but the leg was not dropped within/);
  });
});
