// The script lane from the emulator's stored steps (history migration 7) against the inferred
// lane: stored steps are drawn at their own stamps with the emulator's text, the inference stays
// for calls without steps, and the agent panel's outcome follows the emulator when it names one.
import { describe, expect, it } from 'vitest';
import { buildTimeline } from '../../../src/main/timeline/build';
import type { TimelineInput } from '../../../src/main/timeline/input';
import type { ScriptStepKind, ScriptStepRecord } from '../../../src/shared/types';
import { ANCHOR, handoffLegs, signal } from '../../helpers/timeline/fixtures';

const CID = '18815573621';

function step(seq: number, mono: number, kind: ScriptStepKind, label: string, text = label, source: string | null = null, data: Pick<ScriptStepRecord, 'params' | 'contactId'> = { params: null, contactId: null }): ScriptStepRecord {
  return { seq, monoMs: mono, wallMs: ANCHOR + mono, kind, label, text: source ? `${text} [${source}]` : text, source, ...data };
}

/** The steps the emulator takes on a good Watson handoff (ONSIGNAL while the Signal is answered at 280..288, BYE at 300). */
const GOOD: ScriptStepRecord[] = [
  step(1, -2, 'sipputheader', 'SIPPUTHEADER X-ContactID', `SIPPUTHEADER X-ContactID = ${CID}`, 'seed 002'),
  step(2, -1.9, 'placecall', 'PLACECALL', 'PLACECALL sip:15550100@127.0.0.1', 'seed 002'),
  step(3, 285, 'onsignal', 'ONSIGNAL p1=wa-key-1', `ONSIGNAL fired in the script (${CID}) with p1=wa-key-1`, 'seed 002', { params: { p1: 'wa-key-1' }, contactId: CID }),
  step(4, 286, 'signal', 'Signal 202 received', `Signal to ${CID} (the script): 202, ONSIGNAL fired`, null, { params: { p1: 'wa-key-1' }, contactId: CID }),
  step(5, 287, 'note', 'drop the bot leg', 'drop the bot leg (BYE)', 'assumed here'),
  step(6, 307, 'reqagent', 'REQAGENT', 'REQAGENT with the ONSIGNAL variables p1=wa-key-1'),
  step(7, 308, 'agent', 'agent answered', 'the agent answered (0 ms after the transfer)'),
];

function input(steps: ScriptStepRecord[] | undefined, signals = [signal('sig-1', CID, 250, 202, { p1: 'wa-key-1' })]): TimelineInput {
  const { cxone, bot } = handoffLegs(CID, 300);
  return { contactId: CID, calls: [{ call: steps ? { ...cxone, scriptSteps: steps } : cxone, runKind: 'handoff' }, { call: bot, runKind: 'handoff' }], signals };
}

const lane = (t: ReturnType<typeof buildTimeline>) => t.events.filter((e) => e.lane === 'script');

describe('timeline: the script lane as the emulator ran it', () => {
  it('draws the stored steps at their own stamps, in order, with the emulator\'s text and its source', () => {
    const t = buildTimeline(input(GOOD));
    const s = lane(t);
    expect(s.map((e) => e.label)).toEqual(GOOD.map((x) => x.label));
    // The origin is the first step (SIPPUTHEADER, 2 ms before the INVITE left).
    expect(s.map((e) => e.atMs)).toEqual(GOOD.map((x) => Math.round((x.monoMs + 2) * 1000) / 1000));
    for (const e of s) expect(e.detail).toMatch(/as the emulator ran it \(step \d of the script that placed Call-ID call-1\)$/);
    expect(s[0]!.detail).toMatch(/^SIPPUTHEADER X-ContactID = 18815573621 \[seed 002\]/);
    expect(s.every((e) => e.source.callRef === 'cxone-leg')).toBe(true);
    // The first two events of the whole timeline are the script's, then the INVITE.
    expect(t.events.slice(0, 3).map((e) => `${e.lane}:${e.label}`)).toEqual(['script:SIPPUTHEADER X-ContactID', 'script:PLACECALL', 'caller:INVITE']);
    // Nothing inferred is left on the lane.
    expect(t.events.some((e) => /inferred from SIP and Signals/.test(e.detail))).toBe(false);
    expect(t.agent?.outcome).toBe('REQAGENT');
    expect(t.agent?.onSignal?.atMs).toBe(287);
    expect(t.agent?.variables).toEqual([{ name: 'p1', value: 'wa-key-1' }]);
    expect(t.agent?.screenPop).toMatchObject({ kind: 'url' });
  });

  it('keeps the inference, and says so, for a call without steps', () => {
    const t = buildTimeline(input(undefined));
    expect(lane(t).map((e) => e.label)).toEqual(['SIPPUTHEADER X-ContactID', 'PLACECALL', 'ONSIGNAL p1=wa-key-1', 'REQAGENT']);
    for (const e of lane(t)) expect(e.detail).toMatch(/\(inferred from SIP and Signals\)$/);
    expect(t.agent?.outcome).toBe('REQAGENT');
  });

  it('the agent panel follows the emulator: HANGUP from its step, ONRELEASE when the bot hung up first', () => {
    const hangup = [...GOOD.slice(0, 5), step(6, 307, 'hangup', 'HANGUP', 'HANGUP (p1=hangup)')];
    expect(buildTimeline(input(hangup)).agent?.outcome).toBe('HANGUP');
    const onrelease = [...GOOD.slice(0, 2), step(3, 302, 'onrelease', 'ONRELEASE', 'the bot hung up (BYE) before any ONSIGNAL: ONRELEASE'), step(4, 303, 'onrelease', 'ONRELEASE → agent'), step(5, 304, 'agent', 'agent answered')];
    const t = buildTimeline(input(onrelease, []));
    expect(t.agent?.outcome).toBe('ONRELEASE');
    expect(t.agent?.onSignal).toBeNull();
  });

  it('a finished script that never fired ONSIGNAL overrides an accepted Signal the inference would read as ONSIGNAL', () => {
    const none = [...GOOD.slice(0, 2), step(3, 286, 'signal', 'Signal 202 received'), step(4, 700, 'end', 'contact ended', 'no ONSIGNAL within 0.4 s: CXone ended the call')];
    const t = buildTimeline(input(none));
    expect(t.agent?.outcome).toBe('none');
    expect(t.agent?.onSignal).toBeNull();
    expect(lane(t).map((e) => e.label)).toEqual(['SIPPUTHEADER X-ContactID', 'PLACECALL', 'Signal 202 received', 'contact ended']);
  });

  it('a script still running when history was read: its steps so far, then what it has not done yet, inferred', () => {
    const t = buildTimeline(input(GOOD.slice(0, 5)));
    const s = lane(t);
    expect(s.map((e) => e.label)).toEqual([...GOOD.slice(0, 5).map((x) => x.label), 'REQAGENT']);
    expect(s.at(-1)!.detail).toMatch(/inferred from SIP and Signals/);
    expect(t.agent?.outcome).toBe('REQAGENT');
  });

  it('ONSIGNAL\'s p1..p9 and contact come from the step\'s data (migration 8), not its text; a row stored before it says none recorded', () => {
    // No Signal in history (e.g. sent by another process): the agent panel reads the step's own parameters.
    const other = '18815573699';
    const data = GOOD.map((x) => (x.kind === 'onsignal' ? { ...x, text: 'ONSIGNAL fired (text that names nothing)', params: { p1: 'wa-key-9', p3: 'x y' }, contactId: other } : x));
    const t = buildTimeline(input(data, []));
    expect(t.agent?.variables).toEqual([{ name: 'p1', value: 'wa-key-9' }, { name: 'p3', value: 'x y' }]);
    expect(t.agent?.onSignal?.contactId).toBe(other);
    expect(lane(t).find((e) => e.label.startsWith('ONSIGNAL'))!.detail).toMatch(/the Studio variables p1\.\.p9 on ONSIGNAL: p1=wa-key-9, p3=x y/);
    // A v7 row: the text still names p1, the columns are NULL: nothing is parsed back out of the text.
    const old = GOOD.map((x) => ({ ...x, params: null, contactId: null }));
    const o = buildTimeline(input(old, []));
    expect(o.agent?.variables).toEqual([]);
    expect(o.agent?.onSignal?.contactId).toBe(CID);
    expect(lane(o).find((e) => e.label.startsWith('ONSIGNAL'))!.detail).toMatch(/on ONSIGNAL: none recorded/);
  });

  it('places the steps on the clock plan of their leg (another process: shifted like its SIP messages)', () => {
    const base = input(GOOD);
    const shift = 5_000;
    // The whole contact recorded by another process whose monotonic clock started 5 s later: same wall times.
    const moved: TimelineInput = {
      ...base,
      calls: base.calls.map(({ call, runKind }) => ({
        runKind,
        call: { ...call, messages: call.messages.map((m) => ({ ...m, monoMs: m.monoMs - shift })), scriptSteps: call.scriptSteps?.map((x) => ({ ...x, monoMs: x.monoMs - shift })) },
      })),
      signals: base.signals.map((x) => ({ ...x, doneMonoMs: x.doneMonoMs === null ? null : x.doneMonoMs - shift })),
    };
    const a = buildTimeline(base);
    const b = buildTimeline(moved);
    expect(lane(b).map((e) => [e.label, e.atMs])).toEqual(lane(a).map((e) => [e.label, e.atMs]));
  });
});
