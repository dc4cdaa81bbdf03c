/**
 * DTMF a placed call sends on its own (`lab call --dtmf "1234#" --dtmf-after S --dtmf-method
 * rfc4733|info`): the digits go `afterMs` after the answer, by RFC 4733 telephone-events or SIP
 * INFO `application/dtmf-relay`, and the outcome is a check of the call. The digits also appear in
 * the media report's `dtmf` list (and, for INFO, the requests in the ladder).
 */
import type { CheckResult } from '../../shared/types';
import { monoNow } from '../clock';
import { conversationOf, type DtmfMethod } from '../media/conversation';
import type { SipCall } from '../sip/call';

/** What to key, when and how. */
export interface CallDtmfPlan {
  /** Digits 0-9 * # A-D. */
  digits: string;
  /** Delay after the answer (ms; default {@link DEFAULT_DTMF_AFTER_MS}). */
  afterMs?: number;
  /** `rfc4733` (default) or `info`. */
  method?: DtmfMethod;
}

/** Default delay between the answer and the first digit (ms): the far end's greeting has begun. */
export const DEFAULT_DTMF_AFTER_MS = 1000;

/** True for a string of DTMF digits (0-9 * # A-D, case-insensitive). */
export function isDtmfString(s: string): boolean {
  return /^[0-9*#A-Da-d]+$/.test(s);
}

/**
 * Waits `afterMs` (or until the call ends), then sends the digits.
 * @returns the `dtmf-sent` check (ok when every digit went out); never rejects.
 */
export async function sendDtmfPlan(call: SipCall, plan: CallDtmfPlan, say: (line: string) => void = () => {}): Promise<CheckResult> {
  const method = plan.method ?? 'rfc4733';
  const name = 'dtmf-sent';
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, plan.afterMs ?? DEFAULT_DTMF_AFTER_MS);
    call.once('ended', done);
    function done(): void {
      clearTimeout(timer);
      call.off('ended', done);
      resolve();
    }
  });
  if (call.state !== 'answered') return { name, ok: false, detail: `DTMF "${plan.digits}" not sent: the call ended first` };
  const how = method === 'info' ? 'SIP INFO (application/dtmf-relay)' : 'RFC 4733 telephone-events';
  const startedAt = monoNow();
  try {
    say(`DTMF "${plan.digits}" by ${method === 'info' ? 'SIP INFO' : 'RFC 4733'}`);
    await conversationOf(call).sendDtmf(plan.digits, method);
    return { name, ok: true, detail: `DTMF "${plan.digits}" sent by ${how}` };
  } catch (e) {
    // The far end may hang up on the last digit while its end packets are still being repeated
    // (RFC 4733 §2.5.1.4): every digit whose end went out counts as sent.
    const sent = call.mediaReport().dtmf.filter((d) => d.direction === 'out' && d.startMonoMs >= startedAt - 40).length; // a late pacer tick is stamped with its due time
    if (sent >= plan.digits.length) return { name, ok: true, detail: `DTMF "${plan.digits}" sent by ${how} (the call ended during the last digit's end packets)` };
    return { name, ok: false, detail: `DTMF "${plan.digits}" by ${method}: ${(e as Error).message}` };
  }
}
