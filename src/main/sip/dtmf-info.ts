/**
 * DTMF by SIP INFO, both ways, in the de-facto `application/dtmf-relay` body that Cisco gateways
 * introduced and SBCs, PBXs and bot platforms accept:
 *
 * ```
 * INFO sip:… SIP/2.0
 * Content-Type: application/dtmf-relay
 *
 * Signal=2
 * Duration=160
 * ```
 * (`Duration` in ms). Received INFOs with `application/dtmf` (the body is the digit alone) are read
 * too, as are `Signal=10`/`Signal=11` for `*`/`#` (some gateways send the RFC 4733 event code).
 * Every INFO is answered 200 (RFC 6086 §4.2.2 would allow 469 for an unknown package; legacy
 * INFO has no Info-Package header, and sip.js answered 200 before this hook existed).
 *
 * Digits go into the call's media report `dtmf` list (`via: 'info'`) and, received ones, out as the
 * call's `dtmf` event; the INFO requests themselves are SIP messages of the call, so they are in
 * its ladder already.
 *
 * @remarks RFC 6086 (INFO method; legacy usage §2), RFC 2976 (the original INFO); the body format
 * has no RFC (assumed here as Cisco's and Asterisk's `dtmfmode=info` write it).
 */
import type { Info, Session } from 'sip.js';
import type { DtmfDigitRecord } from '../../shared/types';
import { monoNow } from '../clock';
import { DtmfError } from '../media/dtmf-sender';
import { digitToEvent, eventToDigit } from '../media/dtmf';
import type { SipCall } from './call';

/** Defaults of {@link sendDtmfInfo}: the digit's announced duration and the pause after it (ms). */
export const DTMF_INFO_DEFAULTS = { durationMs: 160, gapMs: 60 } as const;

/** The `application/dtmf-relay` body of one digit. @throws {@link DtmfError} for a non-DTMF character. */
export function dtmfRelayBody(digit: string, durationMs: number = DTMF_INFO_DEFAULTS.durationMs): string {
  if (digitToEvent(digit) === undefined) throw new DtmfError(`"${digit}" is not a DTMF digit (0-9, *, #, A-D)`);
  return `Signal=${digit.toUpperCase()}\r\nDuration=${Math.round(durationMs)}\r\n`;
}

/**
 * Reads the digit of an INFO body.
 * @param contentType - the request's Content-Type (parameters ignored, case-insensitive).
 * @returns the digit and its duration (ms; 0 when the body has none), or undefined when the body
 *   is not a DTMF body this module reads.
 */
export function parseDtmfInfo(contentType: string | undefined, body: string): { digit: string; durationMs: number } | undefined {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/dtmf') {
    const d = body.trim();
    return digitToEvent(d) !== undefined ? { digit: d.toUpperCase(), durationMs: 0 } : undefined;
  }
  if (type !== 'application/dtmf-relay') return undefined;
  const fields = new Map<string, string>();
  for (const line of body.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z-]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) fields.set(m[1]!.toLowerCase(), m[2]!);
  }
  const signal = fields.get('signal');
  if (signal === undefined) return undefined;
  const digit = digitToEvent(signal) !== undefined ? signal.toUpperCase() : /^\d+$/.test(signal) ? eventToDigit(Number(signal)) : undefined;
  if (!digit) return undefined;
  const duration = Number(fields.get('duration'));
  return { digit, durationMs: Number.isFinite(duration) && duration > 0 ? duration : 0 };
}

/**
 * Handles an INFO received in a call's dialog (the `onInfo` delegate of its sip.js session):
 * answers 200, and a DTMF body becomes a received digit of the call (see the file comment).
 * Never throws: a failed response is logged by the caller's `log`.
 */
export function receiveDtmfInfo(info: Info, call: SipCall, log: (msg: string) => void = () => {}): void {
  const at = monoNow();
  try {
    const req = info.request;
    const parsed = parseDtmfInfo(req.getHeader('Content-Type'), typeof req.body === 'string' ? req.body : '');
    info.accept().catch((e: Error) => log(`call ${call.callId}: answering INFO failed: ${e.message}`));
    if (!parsed) return;
    const rec: DtmfDigitRecord = { direction: 'in', digit: parsed.digit, startMonoMs: at, durationMs: parsed.durationMs, via: 'info' };
    const media = call.mediaSession;
    if (media) media.recordDigit(rec);
    else call.emit('dtmf', rec);
  } catch (e) {
    log(`call ${call.callId}: INFO: ${(e as Error).message}`);
  }
}

/**
 * Sends digits as SIP INFO `application/dtmf-relay`, one request per digit, each after the
 * previous one's final response and its duration plus gap. Sent digits go into the media report
 * (`direction: 'out'`, `via: 'info'`).
 * @param opts.durationMs - the `Duration` announced (ms, 40..8000; default 160).
 * @param opts.gapMs - pause after each digit's duration (ms; default 60).
 * @throws (rejects) {@link DtmfError} for a bad digit or duration (before anything is sent); an
 *   Error when the call is not answered, or an INFO is rejected (non-2xx) or times out.
 */
export async function sendDtmfInfo(call: SipCall, digits: string, opts: { durationMs?: number; gapMs?: number } = {}): Promise<void> {
  const durationMs = opts.durationMs ?? DTMF_INFO_DEFAULTS.durationMs;
  const gapMs = Math.max(0, opts.gapMs ?? DTMF_INFO_DEFAULTS.gapMs);
  if (digits.length === 0) throw new DtmfError('no DTMF digits to send');
  if (!(durationMs >= 40 && durationMs <= 8000)) throw new DtmfError(`DTMF duration ${durationMs} ms is outside 40..8000 ms`);
  const bodies = [...digits].map((d) => dtmfRelayBody(d, durationMs));
  const session = call.sipSession;
  for (let i = 0; i < bodies.length; i++) {
    if (!session || call.state !== 'answered') throw new Error(`cannot send DTMF by INFO on call ${call.callId}: it is not answered`);
    const startMonoMs = monoNow();
    await infoRequest(session, bodies[i]!);
    call.mediaSession?.recordDigit({ direction: 'out', digit: digits[i]!.toUpperCase(), startMonoMs, durationMs, via: 'info' });
    if (i < bodies.length - 1) await new Promise((r) => setTimeout(r, durationMs + gapMs));
  }
}

/** One INFO with a dtmf-relay body; resolves on 2xx, rejects on any other final response. */
function infoRequest(session: Session, content: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    session
      .info({
        requestOptions: { body: { contentDisposition: 'render', contentType: 'application/dtmf-relay', content } },
        requestDelegate: {
          onAccept: () => resolve(),
          onReject: (r) => reject(new Error(`INFO rejected: ${r.message.statusCode} ${r.message.reasonPhrase}`)),
        },
      })
      .catch((e: unknown) => reject(e instanceof Error ? e : new Error(String(e))));
  });
}
