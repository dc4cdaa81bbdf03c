/**
 * `lab load` (issue 12 §4): places calls at a rate as CXone's PLACECALL would, each with the
 * profile's headers put by SIPPUTHEADER (placecall-headers.ts) and its own contact id, on one
 * {@link SipEndpoint}; counts what happened in {@link LoadStats}. Nothing of a call is kept once
 * it ended but its contribution to the stats (and the optional one-line record handed to
 * `onCall`), so memory stays flat however many calls run.
 */
import type { VendorProfile } from '../../shared/profile';
import { monoNow } from '../clock';
import { childContactId, placeCallHeaders } from '../emulator/placecall-headers';
import type { HistoryStore } from '../history/store';
import type { SipCall } from '../sip/call';
import type { SipEndpoint } from '../sip/endpoint';
import type { CallRecorder } from '../scenarios/call-recorder';
import { sipMarks } from '../scenarios/latency';
import type { ContactSource } from './contacts';
import { paceCalls } from './rate';
import { LoadStats, type LoadCallOutcome } from './stats';

/** What the engine works with (explicit, so it runs on the runtime or alone in a test). */
export interface LoadEngineDeps {
  endpoint: SipEndpoint;
  profile: VendorProfile;
  /** Records each call in history (and on the event stream); null: not recorded. */
  recorder: CallRecorder | null;
  runId: string | null;
  /** Shared history where the far end (the app as the bot) writes its verdicts; null: not read. */
  store: HistoryStore | null;
  contacts: ContactSource;
  /** The caller's prompt (8 kHz samples) played once answered; null: no media played. */
  prompt: Int16Array | null;
  signal?: AbortSignal;
  log?: (level: 'debug' | 'info' | 'warn' | 'error', msg: string) => void;
}

/** The pacing and per-call options of {@link runLoadEngine}. */
export interface LoadEngineOptions {
  target: string;
  rate: number;
  calls: number;
  concurrent?: number;
  durationMs?: number;
  holdMs: number;
  answerTimeoutMs: number;
  headers: { name: string; value: string }[];
}

/** One ended call, as the journal records it (small: no SIP text). */
export interface LoadCallRecord {
  i: number;
  callId: string;
  contactId: string;
  /** The final response to the INVITE (`200 OK`, `486 Busy Here`), or why there was none. */
  result: string;
  /** null when the call did not fail. */
  failure: string | null;
  end: { by: string; reason: string } | null;
  latency: LoadCallOutcome['marks'];
  /** The far end's contact-id verdict (shared history), null when unknown. */
  farContactIdOk: boolean | null;
}

/** How long to wait for a call's end after our BYE or CANCEL (ms): RFC 3261 Timer F/B scale. */
const END_WAIT_MS = 32_000;
/** After an abort, how long a call still gets to end (ms) before it is counted as cut. */
const ABORT_END_WAIT_MS = 2_000;

/**
 * Runs the load and returns its stats once every started call has ended.
 * @param onCall - each call as it ends (for the journal and the progress).
 * @param stats - where to count (pass one to read figures while it runs).
 */
export async function runLoadEngine(
  deps: LoadEngineDeps,
  o: LoadEngineOptions,
  stats: LoadStats = new LoadStats(),
  onCall?: (rec: LoadCallRecord) => void,
): Promise<LoadStats> {
  const log = deps.log ?? (() => {});
  const verdicts = { ok: 0, failed: 0, unknown: 0 };
  // Every live call waits on the abort: one listener on the caller's signal, fanned out to the
  // calls through a Set (an AbortSignal's addEventListener scans its listeners for a duplicate, so
  // one listener per live call costs O(live²) at thousands of live calls).
  const aborts = new AbortFan(deps.signal);
  await paceCalls({
    rate: o.rate,
    calls: o.calls,
    concurrent: o.concurrent,
    durationMs: o.durationMs,
    signal: deps.signal,
    start: async (i) => {
      const rec = await placeOne(deps, aborts, o, i, stats, log);
      if (rec.farContactIdOk === true) verdicts.ok += 1;
      else if (rec.farContactIdOk === false) verdicts.failed += 1;
      else verdicts.unknown += 1;
      try {
        onCall?.(rec);
      } catch (e) {
        log('error', `load: onCall threw: ${(e as Error).message}`);
      }
    },
  });
  if (deps.store && verdicts.ok + verdicts.failed > 0) stats.setFarVerdicts(verdicts);
  return stats;
}

/** The Request-URI of a call: the target, with the user part replaced by the contact's number when given. */
export function requestUriFor(target: string, number: string | undefined): string {
  if (!number) return target;
  const m = /^(sips?:)(?:[^@]*@)?(.*)$/i.exec(target);
  return m ? `${m[1]}${number}@${m[2]}` : target;
}

async function placeOne(deps: LoadEngineDeps, aborts: AbortFan, o: LoadEngineOptions, i: number, stats: LoadStats, log: NonNullable<LoadEngineDeps['log']>): Promise<LoadCallRecord> {
  const contact = deps.contacts(i);
  const ids = { masterId: contact.contactId, childId: childContactId(contact.contactId) };
  const put = placeCallHeaders(deps.profile, ids);
  const headers = [...put.headers, ...o.headers];
  const start = monoNow();
  stats.started(start);
  let call: SipCall;
  try {
    call = deps.endpoint.invite(requestUriFor(o.target, contact.number), { extraHeaders: headers });
  } catch (e) {
    const failure = `not sent: ${(e as Error).message}`;
    stats.ended({ startMonoMs: start, answered: false, failure, marks: {} }, monoNow());
    return { i, callId: '', contactId: put.contactIdHeader.value, result: failure, failure, end: null, latency: {}, farContactIdOk: null };
  }
  deps.recorder?.track(call, { runId: deps.runId, profile: deps.profile.id });
  const gotAnswer = await aborts.race(
    call.waitForState('answered', o.answerTimeoutMs).then(
      () => true,
      () => false,
    ),
    false,
  );
  // Aborted (Ctrl-C) while the 200 was on its way: the call is up and needs its BYE.
  const answered = gotAnswer || call.state === 'answered' || call.state === 'ending' || call.state === 'ended';
  let timedOut = false;
  if (!answered && (call.state === 'inviting' || call.state === 'ringing')) {
    timedOut = true;
    await call.hangup().catch((e: Error) => log('warn', `load: CANCEL of ${call.callId} failed: ${e.message}`));
  }
  if (answered) {
    if (deps.prompt) call.playPrompt(deps.prompt).catch(() => {});
    if (o.holdMs > 0) await aborts.race(call.waitForEnd(o.holdMs).catch(() => null), null);
    if (call.state === 'answered') await call.hangup().catch((e: Error) => log('warn', `load: BYE of ${call.callId} failed: ${e.message}`));
  }
  // After Ctrl-C, a call whose CANCEL cannot go (no provisional response yet, RFC 3261 §9.1) is
  // not waited for until Timer B: it is counted now and abandoned when the endpoint stops.
  const end = await aborts.race(call.waitForEnd(END_WAIT_MS).catch(() => null), null, ABORT_END_WAIT_MS);
  const marks = sipMarks(call.messages, 'uac');
  const final = call.messages.find((m) => m.direction === 'in' && m.method === 'INVITE' && m.status !== undefined && m.status >= 200);
  const result = final ? final.firstLine.replace(/^SIP\/2\.0\s+/, '') : timedOut ? `no answer within ${o.answerTimeoutMs} ms` : (end?.reason ?? call.state);
  let failure: string | null = null;
  if (!answered) failure = !end && aborts.aborted ? 'interrupted before a final response' : timedOut ? 'timeout (no answer)' : final ? result : (end?.reason ?? 'no final response');
  else if (call.state !== 'ended') failure = `answered, then ${end?.reason ?? call.state}`;
  const media = deps.prompt && answered ? call.mediaReport().received : null;
  let farContactIdOk: boolean | null = null;
  if (deps.store) {
    try {
      farContactIdOk = deps.store.findCallBySipCallId(call.callId, 'uas')?.contactIdOk ?? null;
    } catch (e) {
      log('warn', `load: reading the far end's verdict of ${call.callId}: ${(e as Error).message}`);
    }
  }
  stats.ended(
    {
      startMonoMs: start,
      answered,
      failure,
      marks: { invite_to_100: marks.invite_to_100, invite_to_180: marks.invite_to_180, invite_to_200: marks.invite_to_200 },
      farVerdict: farContactIdOk,
      rtp: media ? { packets: media.packets, lost: media.lost, jitterMs: media.jitterMs } : null,
    },
    monoNow(),
  );
  return {
    i,
    callId: call.callId,
    contactId: put.contactIdHeader.value,
    result,
    failure,
    end: call.end,
    latency: stripUndefined({ invite_to_100: marks.invite_to_100, invite_to_180: marks.invite_to_180, invite_to_200: marks.invite_to_200 }),
    farContactIdOk,
  };
}

/**
 * The caller's abort (Ctrl-C) fanned out to every live call: one listener on the signal, the
 * waiting calls in a Set.
 */
class AbortFan {
  private readonly waiting = new Set<() => void>();
  aborted = false;

  constructor(signal: AbortSignal | undefined) {
    const fire = (): void => {
      this.aborted = true;
      for (const f of [...this.waiting]) f();
      this.waiting.clear();
    };
    if (signal?.aborted) fire();
    else signal?.addEventListener('abort', fire, { once: true });
  }

  /**
   * `p`'s value (or rejection), or `onAbort` once the signal has been aborted for `graceMs`
   * (Ctrl-C: stop waiting, end the call now; with a grace, let it finish if it can).
   */
  race<T>(p: Promise<T>, onAbort: T, graceMs = 0): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        this.waiting.delete(onSignal);
        clearTimeout(timer);
        return true;
      };
      const onSignal = (): void => {
        if (graceMs > 0) timer = setTimeout(() => settle() && resolve(onAbort), graceMs);
        else if (settle()) resolve(onAbort);
      };
      p.then(
        (v) => settle() && resolve(v),
        (e: unknown) => settle() && reject(e),
      );
      if (this.aborted) onSignal();
      else this.waiting.add(onSignal);
    });
  }
}

function stripUndefined<T extends Record<string, number | undefined>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}
