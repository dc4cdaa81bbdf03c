/**
 * The caller's side of a case whose call is placed by the emulated CXone script (embedded and
 * emulate mode): the {@link ChildScript} does SIPPUTHEADER + PLACECALL and plays ONSIGNAL /
 * ONRELEASE as CXone would, while the steps speak, press and listen on that same bot leg and watch
 * the bot's Signals arrive at the emulated API.
 */
import type { CxoneEmulatorApi, EmulatorSignalEvent } from '../../emulator/api-server';
import type { ChildScript, ScriptOutcome } from '../../emulator/child-script';
import { sendDtmfInfo } from '../../sip/dtmf-info';
import { answerRecord, inviteRecord, type DriverInput, type DriverStart } from '../driver';
import { Feed } from '../feed';
import { feedDigits, type SeenDigit, type SeenSignal } from '../steps';

/** A placed script call with its Signal feed. */
export interface ScriptCall {
  script: ChildScript;
  /** Resolves with the script's outcome when the call and the script are over; never rejects. */
  done: Promise<ScriptOutcome>;
  signals: Feed<SeenSignal>;
  /** The contact id whose script has ONSIGNAL (the profile's and topology's choice). */
  owner: string;
  /** Stops listening to the API. */
  detach(): void;
}

/**
 * Runs `script` (places the call), feeds the API's Signals for its contacts, waits for the answer
 * and builds the steps' environment.
 * @returns the start (ok, or why the steps cannot run) and the running script call.
 */
export async function startScriptCall(input: DriverInput, api: CxoneEmulatorApi, script: ChildScript): Promise<{ start: DriverStart; sc: ScriptCall }> {
  const signals = new Feed<SeenSignal>();
  const onSignal = (e: EmulatorSignalEvent): void => {
    if (e.contactId !== script.masterId && e.contactId !== script.childId) return;
    const leg = e.contactId === script.masterId ? 'master' : 'child';
    signals.push({ contactId: e.contactId, leg, params: { ...e.params }, status: e.status, outcome: e.outcome, monoMs: e.monoMs });
  };
  api.on('signal', onSignal);
  // run() never rejects: a script error is its outcome.
  const done = script.run();
  void done.finally(() => signals.close());
  // The contact whose script has ONSIGNAL, as the script registered it with the API (run()'s first, synchronous part).
  const owner = api.contacts.get(script.masterId)?.onSignal ? script.masterId : script.childId;
  const sc: ScriptCall = { script, done, signals, owner, detach: () => api.off('signal', onSignal) };
  const call = script.call;
  if (!call) {
    const o = await done;
    return { start: { ok: false, detail: `the call was not placed: ${o.outcome}`, inviteMonoMs: null }, sc };
  }
  call.on('ended', () => input.tap.close());
  const digits = new Feed<SeenDigit>();
  feedDigits(call, digits);
  try {
    await call.waitForState('answered', input.tc.timeout);
  } catch {
    const inv = inviteRecord(call);
    const why = call.end ? `${call.end.by === 'remote' ? 'the bot' : 'CXone'}: ${call.end.reason}` : `still ${call.state} after ${input.tc.timeout} ms`;
    return { start: { ok: false, detail: `the bot did not answer (${why})`, inviteMonoMs: inv?.monoMs ?? null }, sc };
  }
  const inviteMonoMs = inviteRecord(call)?.monoMs ?? 0;
  input.tap.originMonoMs = inviteMonoMs;
  return {
    sc,
    start: {
      ok: true,
      inviteMonoMs,
      env: {
        mode: input.tc.mode,
        call,
        tap: input.tap,
        caseDir: input.caseDir,
        speak: input.deps.speak,
        signals,
        onSignalContactId: owner,
        sendSignal: null,
        digits,
        sendInfoDtmf: (d, durationMs) => sendDtmfInfo(call, d, { durationMs }),
        inviteHeaders: call.invite?.parsed.headers ?? [],
        answeredMonoMs: answerRecord(call)?.monoMs ?? inviteMonoMs,
        abort: input.abort,
      },
    },
  };
}
