/**
 * What each step does, on one call, for every mode (the drivers give the {@link StepEnv}): the
 * caller's side in embedded, emulate and call mode, the bot's side in answer mode. Each returns
 * its verdict ({@link StepOutcome}); nothing here throws for a far end that misbehaves.
 */
import { isAbsolute, resolve } from 'node:path';
import type { DtmfDigitRecord, SignalParams, SignalRecord } from '../../shared/types';
import { formatSignalParams } from '../../shared/signal-params';
import { monoNow } from '../clock';
import { loadPrompt } from '../media/prompt';
import { SpeechWaitError } from '../media/far-end-speech';
import type { SipCall } from '../sip/call';
import type { AudioTap } from './audio-tap';
import { formatDuration } from './duration';
import type { StepOutcome } from './engine';
import type { Feed } from './feed';
import type { CaseMode, CaseStep } from './schema';

/** Renders text to 8 kHz mono Int16 samples (offline TTS; media/tts.ts). @throws when no engine is available. */
export type SpeechSource = (text: string) => Promise<Int16Array>;

/** A Signal as the emulated CXone API received it, with the leg it named. */
export interface SeenSignal {
  contactId: string;
  /** `master` (the parent's ContactId = MasterId), `child`, or `other` (not this call's contacts). */
  leg: 'master' | 'child' | 'other';
  params: SignalParams;
  status: number;
  outcome: string;
  monoMs: number;
}

/** A digit received on the call (RFC 4733 or SIP INFO). */
export interface SeenDigit {
  digit: string;
  monoMs: number;
}

/** What the steps act on (one call of one mode). */
export interface StepEnv {
  mode: CaseMode;
  call: SipCall;
  tap: AudioTap;
  /** Folder of the case file (`play` paths are relative to it). */
  caseDir: string;
  speak: SpeechSource;
  /** The bot's Signals to the emulated API (embedded, emulate); null in answer and call mode. */
  signals: Feed<SeenSignal> | null;
  /** The contact id whose script has ONSIGNAL (embedded, emulate). */
  onSignalContactId: string | null;
  /** answer mode: sends the Signal for the call's contact id to the configured CXone API. */
  sendSignal: ((params: SignalParams) => Promise<SignalRecord>) | null;
  /** Digits received on the call. */
  digits: Feed<SeenDigit>;
  /** Sends digits as SIP INFO (RFC 6086, application/dtmf-relay), when the SIP layer can. */
  sendInfoDtmf: ((digits: string, durationMs: number) => Promise<void>) | null;
  /** The INVITE's headers (answer mode's expect_header). */
  inviteHeaders: { name: string; value: string }[];
  /** Monotonic ms of the answer (200 OK), for speech that started with it. */
  answeredMonoMs: number;
  /** Aborted when the case times out or the run is stopped. */
  abort: AbortSignal;
  /** Set by speech steps: a later expect_speech looks for a turn that starts after it (monotonic ms). */
  lastSpeechFloor?: number;
  /** Set by the hangup step (the call's end is then ours, not the far end's). */
  ownHangup?: boolean;
}

const sleep = (ms: number, abort?: AbortSignal): Promise<void> =>
  new Promise((r) => {
    const t = setTimeout(done, Math.max(0, ms));
    function done(): void {
      clearTimeout(t);
      abort?.removeEventListener('abort', done);
      r();
    }
    abort?.addEventListener('abort', done, { once: true });
  });

const live = (call: SipCall): boolean => call.state === 'answered';
const endWords = (call: SipCall): string =>
  call.end ? `${call.end.by === 'remote' ? 'the far end' : call.end.by === 'local' ? 'our side' : 'nobody'}: ${call.end.reason}` : call.state;

/** True when every expected parameter is present with the same value (a subset match). */
export function paramsMatch(expected: SignalParams | undefined, got: SignalParams): boolean {
  return Object.entries(expected ?? {}).every(([k, v]) => v === undefined || got[k as keyof SignalParams] === v);
}

/**
 * Runs one step on `env`.
 * @returns the step's verdict; rejects only on an internal error.
 */
export async function runStep(step: CaseStep, env: StepEnv): Promise<StepOutcome> {
  const { call } = env;
  const t0 = monoNow();
  switch (step.kind) {
    case 'expect_speech': {
      const within = step.args?.within ?? 10_000;
      if (!live(call)) return { ok: false, detail: `the call is over (${endWords(call)}): no speech can come` };
      try {
        const at = await env.tap.speech.waitForSpeech({ withinMs: within, sinceMonoMs: Math.max(env.answeredMonoMs, lastStepFloor(env)) });
        env.lastSpeechFloor = monoNow();
        return { ok: true, atMonoMs: at, detail: `the far end started talking ${Math.round(Math.max(0, at - t0))} ms into the step` };
      } catch (e) {
        return { ok: false, detail: speechFailure(e, call, `no speech from the far end within ${formatDuration(within)}`) };
      }
    }
    case 'wait_silence': {
      const forMs = step.args?.for ?? 700;
      const within = step.args?.within ?? 20_000;
      if (!live(call)) return { ok: false, detail: `the call is over (${endWords(call)})` };
      try {
        const since = await env.tap.speech.waitForSilence({ forMs, withinMs: within });
        env.lastSpeechFloor = monoNow();
        return { ok: true, atMonoMs: since + forMs, detail: `silent for ${formatDuration(forMs)} (quiet since ${Math.round(since - env.answeredMonoMs)} ms after the answer)` };
      } catch (e) {
        return { ok: false, detail: speechFailure(e, call, `the far end did not stay silent for ${formatDuration(forMs)} within ${formatDuration(within)}`) };
      }
    }
    case 'say': {
      const text = typeof step.args === 'string' ? step.args : step.args.text;
      let samples: Int16Array;
      try {
        samples = await env.speak(text);
      } catch (e) {
        return { ok: false, detail: `text-to-speech failed: ${(e as Error).message}` };
      }
      return play(env, samples, `said "${text}"`);
    }
    case 'play': {
      const file = typeof step.args === 'string' ? step.args : step.args.file;
      const path = isAbsolute(file) ? file : resolve(env.caseDir, file);
      let samples: Int16Array;
      try {
        samples = await loadPrompt(path);
      } catch (e) {
        return { ok: false, detail: `cannot play ${file}: ${(e as Error).message}` };
      }
      return play(env, samples, `played ${file}`);
    }
    case 'dtmf': {
      const a = typeof step.args === 'string' ? { digits: step.args, method: 'rfc4733' as const } : step.args;
      if (!live(call)) return { ok: false, detail: `the call is over (${endWords(call)}): cannot send DTMF` };
      try {
        if (a.method === 'info') {
          if (!env.sendInfoDtmf) return { ok: false, detail: 'SIP INFO DTMF is not available on this call' };
          await env.sendInfoDtmf(a.digits, a.duration ?? 100);
        } else {
          await call.sendDtmf(a.digits, { ...(a.duration !== undefined ? { durationMs: a.duration } : {}), ...(a.gap !== undefined ? { gapMs: a.gap } : {}) });
        }
        return { ok: true, detail: `sent ${a.digits} as ${a.method === 'info' ? 'SIP INFO' : 'RFC 4733 telephone-events'}` };
      } catch (e) {
        // The far end may act on the last digit and hang up before its trailing end packets go
        // out: every digit keyed (its end sent) is a sent digit.
        const keyed = call.mediaReport().dtmf.filter((d) => d.direction === 'out' && d.startMonoMs >= t0).length;
        if (keyed >= a.digits.length) return { ok: true, detail: `sent ${a.digits}; the call ended as the last digit went out${call.end ? ` (${endWords(call)})` : ''}` };
        return { ok: false, detail: `DTMF ${a.digits} not sent: ${(e as Error).message}` };
      }
    }
    case 'expect_signal':
      return expectSignal(env, step.args?.within ?? 10_000, step.args?.params, step.args?.leg ?? 'onsignal', step.args?.status ?? 'any');
    case 'expect_no_hangup': {
      if (call.state === 'ended' || call.state === 'failed') return { ok: false, detail: `the call was already over (${endWords(call)})` };
      const ended = await call.waitForEnd(step.args.for).then(
        () => true,
        () => false,
      );
      if (!ended) return { ok: true, atMonoMs: monoNow(), detail: `the call stayed up for ${formatDuration(step.args.for)}` };
      const bye = call.messages.find((m) => m.method === 'BYE' && m.status === undefined);
      return { ok: false, atMonoMs: bye?.monoMs ?? monoNow(), detail: `the call ended ${Math.round((bye?.monoMs ?? monoNow()) - t0)} ms into the step (${endWords(call)})` };
    }
    case 'expect_no_signal': {
      const feed = env.signals;
      if (!feed) return { ok: false, detail: 'no emulated CXone API in this mode' };
      const got = await feed.next(step.args.for, env.abort);
      if (got === null && !env.abort.aborted) return { ok: true, atMonoMs: monoNow(), detail: `no Signal for ${formatDuration(step.args.for)}` };
      if (!got) return { ok: false, detail: 'stopped' };
      feed.consume();
      return { ok: false, atMonoMs: got.monoMs, detail: `a Signal came ${Math.round(got.monoMs - t0)} ms into the step: ${formatSignalParams(got.params)} to ${got.contactId} (${got.status})` };
    }
    case 'expect_hangup': {
      const within = step.args?.within ?? 10_000;
      const by = step.args?.by ?? 'any';
      const ended = await call.waitForEnd(within).then(
        () => true,
        () => false,
      );
      if (!ended) return { ok: false, detail: `the call was still up after ${formatDuration(within)}` };
      const bye = call.messages.find((m) => m.method === 'BYE' && m.status === undefined);
      const who = call.end?.by ?? 'none';
      const at = bye?.monoMs ?? monoNow();
      const whoWords = who === 'remote' ? 'the far end' : who === 'local' ? (env.mode === 'embedded' || env.mode === 'emulate' ? 'the emulated CXone (dropping the bot leg)' : 'our side') : 'nobody';
      if (env.ownHangup) return { ok: false, atMonoMs: at, detail: 'the call was ended by our own hangup step, not the far end' };
      if (by !== 'any' && who !== by) return { ok: false, atMonoMs: at, detail: `the call was ended by ${whoWords} (${call.end?.reason ?? ''}); expected ${by === 'remote' ? 'the far end' : 'the emulated CXone'}` };
      return { ok: call.state === 'ended', atMonoMs: at, detail: `${call.end?.reason ?? 'ended'} by ${whoWords}` };
    }
    case 'hangup': {
      if (!live(call) && call.state !== 'ringing' && call.state !== 'inviting') return { ok: false, detail: `the call was already over (${endWords(call)})` };
      env.ownHangup = true;
      try {
        await call.hangup();
        await call.waitForEnd(5000);
        return { ok: true, detail: `we ended the call (${call.end?.reason ?? call.state})` };
      } catch (e) {
        return { ok: false, detail: `hangup failed: ${(e as Error).message}` };
      }
    }
    case 'wait':
      await sleep(step.args, env.abort);
      return { ok: !env.abort.aborted, detail: env.abort.aborted ? 'stopped' : `waited ${formatDuration(step.args)}` };
    case 'expect_dtmf': {
      const a = typeof step.args === 'string' ? { digits: step.args, within: 10_000 } : step.args;
      const want = a.digits.toUpperCase();
      const deadline = t0 + a.within;
      let got = '';
      let at = t0;
      while (got.length < want.length) {
        const d = await env.digits.next(deadline - monoNow(), env.abort);
        if (!d) return { ok: false, detail: `${got ? `got "${got}", then nothing` : 'no digit'} within ${formatDuration(a.within)} (expected "${want}")` };
        env.digits.consume();
        got += d.digit.toUpperCase();
        at = d.monoMs;
        if (!want.startsWith(got)) return { ok: false, atMonoMs: at, detail: `got "${got}", expected "${want}"` };
      }
      return { ok: true, atMonoMs: at, detail: `received ${want}` };
    }
    case 'signal': {
      if (!env.sendSignal) return { ok: false, detail: 'no CXone API configured' };
      const rec = await env.sendSignal(step.args);
      return { ok: rec.ok, atMonoMs: rec.doneMonoMs ?? monoNow(), detail: `Signal ${formatSignalParams(rec.params)} to ${rec.contactId}: ${rec.message}${rec.ms !== null ? ` in ${Math.round(rec.ms)} ms` : ''}` };
    }
    case 'expect_header':
      return expectHeader(env, step.args);
  }
}

/** A step after speech steps only looks at turns that start after the previous speech step. */
function lastStepFloor(env: StepEnv): number {
  return env.lastSpeechFloor ?? 0;
}

function speechFailure(e: unknown, call: SipCall, timeoutWords: string): string {
  if (e instanceof SpeechWaitError && e.reason === 'closed') return `the call ended (${endWords(call)}) while waiting`;
  if (e instanceof SpeechWaitError) return timeoutWords;
  return (e as Error).message;
}

async function play(env: StepEnv, samples: Int16Array, what: string): Promise<StepOutcome> {
  const { call } = env;
  if (!live(call)) return { ok: false, detail: `the call is over (${endWords(call)}): nothing sent` };
  const ms = Math.round(samples.length / 8);
  try {
    await call.playPrompt(samples);
    if (!live(call)) return { ok: false, detail: `${what}: the call ended (${endWords(call)}) before the end of the audio` };
    return { ok: true, detail: `${what} (${(ms / 1000).toFixed(1)} s of audio)` };
  } catch (e) {
    return { ok: false, detail: `${what}: not sent to the end: ${(e as Error).message}` };
  }
}

/**
 * expect_signal: the first Signal (not yet consumed) with the expected parameters, leg and status;
 * the Signals before it that did not match are consumed and named in the detail (a 401 refused
 * before the client renewed its token, a Signal to the wrong leg…).
 */
async function expectSignal(env: StepEnv, within: number, params: SignalParams | undefined, leg: 'onsignal' | 'any', status: '2xx' | 'any' | number): Promise<StepOutcome> {
  const feed = env.signals;
  if (!feed) return { ok: false, detail: 'no emulated CXone API in this mode' };
  const t0 = monoNow();
  const others: string[] = [];
  const describe = (g: SeenSignal): string =>
    `Signal ${formatSignalParams(g.params)} to ${g.contactId} (${g.leg === 'master' ? 'MasterId' : g.leg === 'child' ? 'child contact' : 'not this call'}): ${g.status}, ${g.outcome}`;
  const statusOk = (n: number): boolean => status === 'any' || (status === '2xx' ? n >= 200 && n < 300 : n === status);
  for (;;) {
    const got = await feed.next(t0 + within - monoNow(), env.abort);
    const before = others.length ? `; before it: ${others.join('; ')}` : '';
    if (!got) {
      const over = env.call.state === 'ended' || env.call.state === 'failed';
      const want = `${params ? ` with ${formatSignalParams(params)}` : ''}${status !== 'any' ? ` answered ${status}` : ''}`;
      return { ok: false, detail: `no Signal${want} within ${formatDuration(within)}${over ? ` (the call ended: ${endWords(env.call)})` : ''}${others.length ? `; got: ${others.join('; ')}` : ''}` };
    }
    feed.consume();
    const wrongLeg = leg === 'onsignal' && env.onSignalContactId !== null && got.contactId !== env.onSignalContactId;
    if (!paramsMatch(params, got.params) || !statusOk(got.status) || wrongLeg) {
      others.push(`${describe(got)}${wrongLeg ? ` (ONSIGNAL is in the script of ${env.onSignalContactId}: this Signal does nothing)` : ''}`);
      continue;
    }
    return { ok: true, atMonoMs: got.monoMs, detail: `${describe(got)}, ${Math.round(Math.max(0, got.monoMs - t0))} ms into the step${before}` };
  }
}

function expectHeader(env: StepEnv, a: { name: string; value?: string; pattern?: string; absent?: boolean; exact_case?: boolean }): StepOutcome {
  const same = (n: string): boolean => (a.exact_case ? n === a.name : n.toLowerCase() === a.name.toLowerCase());
  const found = env.inviteHeaders.filter((h) => same(h.name));
  const other = a.exact_case ? env.inviteHeaders.find((h) => h.name.toLowerCase() === a.name.toLowerCase() && h.name !== a.name) : undefined;
  if (a.absent) return found.length ? { ok: false, detail: `the INVITE carries ${found[0]!.name}: ${found[0]!.value}` } : { ok: true, detail: `no ${a.name} in the INVITE` };
  if (!found.length) return { ok: false, detail: `no ${a.name} header in the INVITE${other ? ` (there is ${other.name}, spelt differently)` : ''}` };
  const h = found[0]!;
  if (a.value !== undefined && h.value.trim() !== a.value) return { ok: false, detail: `${h.name}: ${h.value}; expected ${a.value}` };
  if (a.pattern !== undefined) {
    let re: RegExp;
    try {
      re = new RegExp(a.pattern);
    } catch (e) {
      return { ok: false, detail: `bad pattern /${a.pattern}/: ${(e as Error).message}` };
    }
    if (!re.test(h.value)) return { ok: false, detail: `${h.name}: ${h.value} does not match /${a.pattern}/` };
  }
  return { ok: true, detail: `${h.name}: ${h.value}` };
}

/** Feeds a call's received digits (RFC 4733 records, direction in) into `feed`. */
export function feedDigits(call: SipCall, feed: Feed<SeenDigit>): void {
  call.on('dtmf', (d: DtmfDigitRecord) => {
    if (d.direction === 'in') feed.push({ digit: d.digit, monoMs: d.startMonoMs });
  });
}
