/**
 * Audio on the timeline, from each leg's media report (migration 2): RTP flowing as a band per
 * direction (first → last packet), voice activity (the report's bands, both directions, else the
 * VAD's first speech frame as a point), and RFC 4733 DTMF digits as spans of their duration.
 * Who speaks: the uac leg sends the caller's audio and receives the bot's; the uas leg the reverse.
 * Both legs of an embedded call report the same streams; each stream is taken from its sender's
 * report when there is one (its stamps are where the packets left), else from its receiver's.
 */
import type { TimelineLaneId } from '../../shared/timeline';
import type { CallDetail, Direction, DtmfDigitRecord, MediaReport, RtpStreamStats } from '../../shared/types';
import { RANK, type DraftEvent } from './draft';
import type { TimelineInput } from './input';
import type { ClockPlan } from './clock';

type Speaker = 'caller' | 'bot';

function speakerOf(role: CallDetail['role'], direction: Direction): Speaker {
  // uac = CXone/caller side: what it sends is the caller's audio.
  return (role === 'uac') === (direction === 'out') ? 'caller' : 'bot';
}

function laneOf(s: Speaker): TimelineLaneId {
  return s;
}

function streamDetail(st: RtpStreamStats, media: MediaReport, who: Speaker, seenBy: string): string {
  const loss = st.direction === 'in' ? `, lost ${st.lost} (${st.lossPercent}%), jitter ${st.jitterMs} ms (max ${st.maxJitterMs} ms)` : '';
  return `RTP ${who === 'caller' ? 'caller → bot' : 'bot → caller'} (${media.codec ?? 'no codec'}), as ${seenBy}: ` +
    `${st.packets} packets, ${st.payloadBytes} bytes${loss}; SSRC ${st.ssrc ?? '-'}\n${media.localRtp} ⇄ ${media.remoteRtp ?? '-'}\n${media.oneWayAudio.detail}`;
}

interface Candidate { ev: DraftEvent; fromSender: boolean }

/** Audio events of every leg, one RTP band per speaker (sender's report preferred), voice and DTMF. */
export function mediaEvents(input: TimelineInput, plan: ClockPlan): DraftEvent[] {
  const rtp = new Map<Speaker, Candidate>();
  const voice = new Map<Speaker, Candidate[]>();
  const dtmf: Array<Candidate & { speaker: Speaker; start: number; digit: string }> = [];
  for (const { call } of input.calls) {
    const media = call.media;
    if (!media) continue;
    const shift = plan.callShift.get(call.id) ?? 0;
    const source = { callRef: call.id, runId: call.runId };
    for (const st of [media.sent, media.received]) {
      if (st.firstMonoMs === null || st.lastMonoMs === null) continue;
      const who = speakerOf(call.role, st.direction);
      const fromSender = st.direction === 'out';
      const prev = rtp.get(who);
      if (prev && (prev.fromSender || !fromSender)) continue;
      rtp.set(who, {
        fromSender,
        ev: {
          id: `rtp:${who}:${call.id}`, lane: laneOf(who), kind: 'rtp', mono: st.firstMonoMs + shift, durMs: st.lastMonoMs - st.firstMonoMs,
          label: `RTP ${who === 'caller' ? 'caller → bot' : 'bot → caller'}`, detail: streamDetail(st, media, who, fromSender ? 'sent' : 'received'),
          direction: fromSender ? 'out' : 'in', ok: st.direction === 'in' && st.lossPercent > 5 ? false : null, source, rank: RANK.media, order: 0,
        },
      });
    }
    // Bands both ways from the live VAD (media-session.ts), or from the recording (recorded-voice.ts)
    // for a call stored before bands were measured; else the first voice as a point.
    const bands = media.voiceBands;
    if (Array.isArray(bands) && bands.length > 0) {
      bands.forEach((b, i) => {
        const who = speakerOf(call.role, b.direction);
        const list = voice.get(who) ?? [];
        list.push({ fromSender: b.direction === 'out', ev: {
          id: `voice:${who}:${call.id}:${i}`, lane: laneOf(who), kind: 'voice', mono: b.startMonoMs + shift, durMs: Math.max(0, b.endMonoMs - b.startMonoMs),
          label: `${who} speaks`, detail: `voice activity ${who === 'caller' ? 'caller → bot' : 'bot → caller'}: ${Math.round(b.endMonoMs - b.startMonoMs)} ms`,
          direction: b.direction, ok: null, source, rank: RANK.media, order: 1 + i } });
        voice.set(who, list);
      });
    } else if (media.firstVoiceMonoMs !== null) {
      const who = speakerOf(call.role, 'in');
      const list = voice.get(who) ?? [];
      list.push({ fromSender: false, ev: {
        id: `voice:${who}:${call.id}:first`, lane: laneOf(who), kind: 'voice', mono: media.firstVoiceMonoMs + shift, durMs: 0,
        label: `${who} voice starts`, detail: `first voice in the ${who}'s audio (energy VAD, first 20 ms speech frame), as the ${who === 'bot' ? 'CXone side' : 'bot'} heard it`,
        direction: 'in', ok: null, source, rank: RANK.media, order: 1 } });
      voice.set(who, list);
    }
    media.dtmf.forEach((d: DtmfDigitRecord, i) => {
      const who = speakerOf(call.role, d.direction);
      dtmf.push({ speaker: who, start: d.startMonoMs + shift, digit: d.digit, fromSender: d.direction === 'out', ev: {
        id: `dtmf:${call.id}:${i}`, lane: laneOf(who), kind: 'dtmf', mono: d.startMonoMs + shift, durMs: d.durationMs,
        label: `DTMF ${d.digit}`, detail: `DTMF ${d.digit} from the ${who} (RFC 4733 telephone-event, ${d.durationMs} ms), ${d.direction === 'out' ? 'as sent' : 'as received'}`,
        direction: d.direction, ok: null, source, rank: RANK.media, order: 100 + i } });
    });
  }
  const out: DraftEvent[] = [...rtp.values()].map((c) => c.ev);
  for (const list of voice.values()) {
    const senders = list.filter((c) => c.fromSender);
    out.push(...(senders.length ? senders : list).map((c) => c.ev));
  }
  // A digit seen by both legs: keep the sender's record (within 100 ms of each other, same digit and speaker).
  for (const d of dtmf) {
    const twin = dtmf.find((o) => o !== d && o.speaker === d.speaker && o.digit === d.digit && Math.abs(o.start - d.start) < 100 && o.fromSender && !d.fromSender);
    if (!twin) out.push(d.ev);
  }
  return out;
}
