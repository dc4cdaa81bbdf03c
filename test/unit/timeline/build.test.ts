import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildTimeline } from '../../../src/main/timeline/build';
import { compareDrafts, type DraftEvent } from '../../../src/main/timeline/draft';
import type { TimelineInput } from '../../../src/main/timeline/input';
import { watsonTranscriptUrl } from '../../../src/main/timeline/agent-view';
import { ANCHOR, handoffLegs, leg, media, msg, signal } from '../../helpers/timeline/fixtures';

const CID = '18815573621';

function goodHandoff(): TimelineInput {
  const { cxone, bot } = handoffLegs(CID, 300);
  const s = signal('sig-1', CID, 250, 202, { p1: 'wa-key-1' });
  // Signal answered at 288 (250 + 30 token + 8 HTTP); CXone's BYE at 300.
  return { contactId: CID, calls: [{ call: cxone, runKind: 'handoff' }, { call: bot, runKind: 'handoff' }], signals: [s] };
}

describe('timeline: one clock, one order', () => {
  it('puts every leg, the script, the API and the audio on one clock in causal order', () => {
    const t = buildTimeline(goodHandoff());
    expect(t.lanes).toEqual(['caller', 'script', 'api', 'bot']);
    expect(t.originWallMs).toBe(ANCHOR);
    const head = t.events.slice(0, 4).map((e) => `${e.lane}:${e.label}`);
    expect(head).toEqual(['script:SIPPUTHEADER X-ContactID', 'script:PLACECALL', 'caller:INVITE', 'bot:INVITE']);
    // Equal stamps (100, 180, 200 read from one TCP segment) keep their seq order.
    const callerResponses = t.events.filter((e) => e.lane === 'caller' && e.atMs === 20).map((e) => e.label);
    expect(callerResponses).toEqual(['100 Trying', '180 Ringing', '200 OK']);
    for (let i = 1; i < t.events.length; i++) expect(t.events[i]!.atMs).toBeGreaterThanOrEqual(t.events[i - 1]!.atMs);
    const token = t.events.find((e) => e.kind === 'token')!;
    const sig = t.events.find((e) => e.kind === 'signal')!;
    expect([token.atMs, token.durMs, sig.atMs, sig.durMs]).toEqual([250, 30, 280, 8]);
    const onSignal = t.events.find((e) => e.label.startsWith('ONSIGNAL'))!;
    expect(onSignal.atMs).toBe(288);
    const outcome = t.events.find((e) => e.label === 'REQAGENT')!;
    expect(outcome.atMs).toBe(300); // at CXone's BYE, which drops the bot leg
    expect(t.notes).toEqual([]);
  });

  it('gives the same timeline whatever order history returned the records in', () => {
    const base = goodHandoff();
    base.signals.push(signal('sig-0', CID, 200, 401, { p1: 'wa-key-1' }));
    const expected = JSON.stringify(buildTimeline(base));
    const n = base.calls.length;
    const m = base.signals.length;
    fc.assert(
      fc.property(
        fc.shuffledSubarray(base.calls, { minLength: n, maxLength: n }),
        fc.shuffledSubarray(base.signals, { minLength: m, maxLength: m }),
        (calls, signals) => JSON.stringify(buildTimeline({ ...base, calls, signals })) === expected,
      ),
    );
  });

  it('orders drafts totally: time, then rank, then lane, then source order, then id', () => {
    const d = (id: string, mono: number, rank: number, lane: DraftEvent['lane'], order: number): DraftEvent => ({ id, mono, rank, lane, order, kind: 'sip', durMs: 0, label: id, detail: '', direction: null, ok: null, source: {} });
    const xs = [d('e', 5, 2, 'bot', 1), d('a', 5, 2, 'caller', 2), d('b', 5, 0, 'script', 0), d('c', 4, 9, 'steps', 9), d('f', 5, 2, 'bot', 1)];
    fc.assert(fc.property(fc.shuffledSubarray(xs, { minLength: xs.length, maxLength: xs.length }), (perm) => {
      return perm.sort(compareDrafts).map((x) => x.id).join('') === 'cbaef';
    }));
  });

  it('draws the stored latency marks as spans between the events they were measured from', () => {
    const t = buildTimeline(goodHandoff());
    const s = (name: string, lane: string) => t.spans.find((x) => x.name === name && x.lane === lane)!;
    expect(s('invite_to_200', 'caller')).toMatchObject({ fromMs: 0, toMs: 20, ms: 20 });
    expect(s('invite_to_200', 'bot')).toMatchObject({ fromMs: 3, toMs: 17, ms: 14 });
    expect(s('token_ms', 'api')).toMatchObject({ fromMs: 250, toMs: 280 });
    expect(s('signal_http_ms', 'api')).toMatchObject({ fromMs: 280, toMs: 288 });
    expect(s('signal_to_bye_ms', 'script')).toMatchObject({ fromMs: 288, toMs: 290 });
    expect(s('answer_to_first_voice', 'caller')).toMatchObject({ fromMs: 20, toMs: 80 });
  });

  it('takes each audio stream from its sender and places DTMF once', () => {
    const input = goodHandoff();
    input.calls[0]!.call.media = media([30, 400], [28, 390], 80, [{ direction: 'out', digit: '5', startMonoMs: 100, durationMs: 120 }]);
    input.calls[1]!.call.media = media([28, 390], [31, 401], 150, [{ direction: 'in', digit: '5', startMonoMs: 102, durationMs: 120 }]);
    const t = buildTimeline(input);
    const rtp = t.events.filter((e) => e.kind === 'rtp');
    expect(rtp.map((e) => [e.lane, e.atMs, e.durMs, e.direction])).toEqual([
      ['bot', 28, 362, 'out'],
      ['caller', 30, 370, 'out'],
    ]);
    const dtmf = t.events.filter((e) => e.kind === 'dtmf');
    expect(dtmf.map((e) => [e.lane, e.label, e.atMs, e.durMs])).toEqual([['caller', 'DTMF 5', 100, 120]]);
    expect(t.events.filter((e) => e.kind === 'voice').map((e) => [e.lane, e.atMs])).toEqual([['bot', 80], ['caller', 150]]);
  });

  it('places voice bands when the media report carries them', () => {
    const input = goodHandoff();
    const m = media([28, 390], [31, 401], 150);
    input.calls[1]!.call.media = { ...m, voiceBands: [{ direction: 'out', startMonoMs: 40, endMonoMs: 200 }, { direction: 'in', startMonoMs: 210, endMonoMs: 240 }] } as typeof m;
    const t = buildTimeline(input);
    const bands = t.events.filter((e) => e.kind === 'voice' && e.durMs > 0).map((e) => [e.lane, e.label, e.atMs, e.durMs]);
    expect(bands).toEqual([['bot', 'bot speaks', 40, 160], ['caller', 'caller speaks', 210, 30]]);
  });
});

describe('timeline: the script lane and the agent side', () => {
  it('Watson REQAGENT: the agent gets the transcript link PopURL builds from p1', () => {
    const t = buildTimeline(goodHandoff());
    expect(t.agent).toMatchObject({ outcome: 'REQAGENT', variables: [{ name: 'p1', value: 'wa-key-1' }], onSignal: { contactId: CID, atMs: 288 } });
    expect(t.agent?.screenPop).toMatchObject({ kind: 'url', url: watsonTranscriptUrl('wa-key-1') });
    expect(watsonTranscriptUrl('a b')).toBe('https://web-chat.global.assistant.watson.appdomain.cloud/loadAgentAppFrame.html?session_history_key=a%20b');
  });

  it('p1=hangup: HANGUP, no agent', () => {
    const input = goodHandoff();
    input.signals = [signal('sig-1', CID, 250, 202, { p1: 'hangup' })];
    const t = buildTimeline(input);
    expect(t.events.some((e) => e.label === 'HANGUP')).toBe(true);
    expect(t.agent).toMatchObject({ outcome: 'HANGUP', screenPop: null });
  });

  it('Synthflow: REQAGENT to the skill named in p1, parameters as a screen pop', () => {
    const input = goodHandoff();
    for (const c of input.calls) c.call.profile = 'synthflow';
    input.signals = [signal('sig-1', CID, 250, 202, { p1: 'Sales', p2: 'order 42' })];
    const t = buildTimeline(input);
    expect(t.agent).toMatchObject({ outcome: 'REQAGENT', skill: 'Sales', screenPop: { kind: 'params', rows: [{ name: 'p1', value: 'Sales' }, { name: 'p2', value: 'order 42' }] } });
  });

  it('a Signal to the wrong contact fires no ONSIGNAL and says which contact it named', () => {
    const input = goodHandoff();
    input.signals = [signal('sig-1', '999', 250, 404, { p1: 'wa-key-1' })];
    const t = buildTimeline(input);
    expect(t.events.some((e) => e.label.startsWith('ONSIGNAL'))).toBe(false);
    expect(t.events.find((e) => e.kind === 'signal')).toMatchObject({ ok: false, label: 'Signal 404 → 999 (8 ms)' });
    expect(t.notes.join('\n')).toMatch(/named contact 999, not 18815573621/);
    expect(t.agent?.outcome).toBe('none');
  });

  it('a Signal to the MasterId the INVITE also carried is not a wrong contact', () => {
    const { cxone, bot } = handoffLegs(CID, 300);
    for (const l of [cxone, bot]) l.messages[0] = { ...l.messages[0]!, raw: l.messages[0]!.raw.replace('X-ContactID', 'X-MasterId: 1111111111\r\nX-ContactID') };
    const t = buildTimeline({ contactId: CID, calls: [{ call: cxone, runKind: 'handoff' }, { call: bot, runKind: 'handoff' }], signals: [signal('sig-1', '1111111111', 250, 202, { p1: 'Sales' })] });
    expect(t.notes).toEqual([]);
    expect(t.agent?.onSignal?.contactId).toBe('1111111111');
  });

  it('a Signal after the caller hung up is flagged with how late it was', () => {
    const input = goodHandoff();
    input.signals = [signal('sig-1', CID, 350, 404, { p1: 'wa-key-1' })];
    const t = buildTimeline(input);
    expect(t.notes.join('\n')).toMatch(/sent 50 ms after CXone ended the call/);
    expect(t.events.find((e) => e.lane === 'script' && e.label === 'contact ended')?.atMs).toBe(300);
  });

  it('the bot hanging up before any Signal: ONRELEASE → agent', () => {
    const c = 'call-2';
    const bot = leg('bot-leg', 'uas', c, CID, [msg(c, 'in', 0, 'INVITE', 'INVITE', `X-ContactID: ${CID}\r\n`), msg(c, 'out', 5, '200'), msg(c, 'out', 90, 'BYE', 'BYE')]);
    const t = buildTimeline({ contactId: CID, calls: [{ call: bot, runKind: 'answer' }], signals: [] });
    expect(t.events.filter((e) => e.lane === 'script').map((e) => e.label)).toEqual(['SIPPUTHEADER X-ContactID', 'PLACECALL', 'ONRELEASE → agent']);
    expect(t.agent?.outcome).toBe('ONRELEASE');
  });

  it('case steps sit at at_ms after their call\'s INVITE on the steps lane', () => {
    const input = goodHandoff();
    input.steps = [
      { index: 0, name: 'expect_speech', atMs: 100, durMs: 50, ok: true },
      { index: 1, name: 'dtmf 1', atMs: 160, ok: null, callRef: 'bot-leg' },
    ];
    const t = buildTimeline(input);
    expect(t.lanes).toContain('steps');
    expect(t.events.filter((e) => e.lane === 'steps').map((e) => [e.label, e.atMs, e.durMs])).toEqual([['expect_speech', 100, 50], ['dtmf 1', 163, 0]]);
  });

  it('reads a test case\'s steps back from the step checks history keeps (issue 13 run-case.ts format)', () => {
    const input = goodHandoff();
    input.calls[0]!.call.checks = [
      { name: 'step 1 expect_speech', ok: true, detail: 'expect_speech within 5s at 150.4 ms: the far end started talking' },
      { name: 'step 2 dtmf', ok: true, detail: 'dtmf 0 at 158 ms: sent 0 as RFC 4733 telephone-events' },
      { name: 'step 3 expect_signal', ok: false, detail: 'expect_signal status 2xx within 10s at 755 ms: no Signal' },
      { name: 'expect contact-id', ok: true, detail: 'not a step' },
    ];
    const t = buildTimeline(input);
    expect(t.events.filter((e) => e.lane === 'steps').map((e) => [e.label, e.atMs, e.ok])).toEqual([
      ['expect_speech within 5s', 150.4, true],
      ['dtmf 0', 158, true],
      ['expect_signal status 2xx within 10s', 755, false],
    ]);
  });

  it('puts ONSIGNAL at CXone\'s BYE when the BYE beat the end of the Signal\'s response', () => {
    const input = goodHandoff();
    input.signals = [signal('sig-1', CID, 250, 202, { p1: 'wa-key-1' }, {}, 30, 60)]; // HTTP 280 → 340; BYE at 300
    const t = buildTimeline(input);
    const script = t.events.filter((e) => e.lane === 'script').map((e) => [e.label, e.atMs]);
    expect(script).toContainEqual(['ONSIGNAL p1=wa-key-1', 300]);
    const at300 = t.events.filter((e) => e.atMs === 300).map((e) => e.label);
    expect(at300.indexOf('ONSIGNAL p1=wa-key-1')).toBeLessThan(at300.indexOf('BYE'));
  });

  it('places a source recorded by another process by its wall clock, and says so', () => {
    const input = goodHandoff();
    const c = 'call-imported';
    // Same instants, but stamped by a process whose monotonic 0 is 5 s later.
    const other = ANCHOR + 5000;
    const imported = leg('imported', 'uas', c, CID, [msg(c, 'in', 1000, 'INVITE', 'INVITE', `X-ContactID: ${CID}\r\n`, other)], { runId: 'run-2' });
    input.calls.push({ call: imported, runKind: 'import' });
    const t = buildTimeline(input);
    const ev = t.events.find((e) => e.source.callRef === 'imported' && e.kind === 'sip')!;
    expect(ev.atMs).toBe(6000);
    expect(t.notes.join('\n')).toMatch(/placed by their wall clock/);
  });

  it('an unknown contact gives an empty timeline', () => {
    expect(buildTimeline({ contactId: '1', calls: [], signals: [] })).toMatchObject({ events: [], lanes: [], agent: null, durationMs: 0 });
  });
});
