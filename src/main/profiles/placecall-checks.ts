/**
 * Seed facts about the PLACECALL as checks where the app sees the call placed (issue 14 item 5):
 * - Kore: the bot's SIP trunk uses TLS ("Transport Type: TLS"), and PLACECALL dials "the SIP DID
 *   number configured in the AI for Service SIP Trunk" (seed 000_d4ad4dad8823db79.txt);
 * - Synthflow: the pseudo number PLACECALL dials is E.164 (seed 001_3d23a4ce92d59cc5.txt);
 * - IBM Watson: "The phone number must match the number that you configured in Use an existing phone
 *   number with an external provider" (seed 002_3a3aada58f5230c3.txt).
 * Each is a warning when not met (`ok` stays true, `warn: true`), as the issue asks: the lab cannot
 * see the bot's own configuration, only what CXone (or the lab as CXone) dials.
 */
import type { VendorProfile } from '../../shared/profile';
import type { CheckResult } from '../../shared/types';
import { formatSource, USER_SET } from './sources';

/** E.164: `+`, a country code not starting with 0, at most 15 digits in all (ITU-T E.164; Synthflow's example `+1XXXXXXXXXX`, seed 001). */
export const E164 = /^\+[1-9]\d{1,14}$/;

/** The user part of a SIP or tel URI (`sip:+15550100@host` → `+15550100`), percent-decoded; the input when it is no URI. */
export function dialledNumber(requestUri: string): string {
  const m = /^(?:sips?|tel):([^@;?]+)/i.exec(requestUri.trim());
  const user = m ? m[1]! : requestUri.trim();
  try {
    return decodeURIComponent(user);
  } catch {
    return user;
  }
}

/** Digits and a leading `+` only, for comparing numbers written with spaces or dashes. */
function normalize(n: string): string {
  return n.replace(/[^\d+]/g, '');
}

/**
 * The profile's PLACECALL rules applied to one placed call.
 * @param f.requestUri - the INVITE's Request-URI (what PLACECALL dialled, through a trunk or not).
 * @param f.transport - the SIP transport of the leg to the bot.
 * @returns warnings `placecall-tls` (not TLS), `placecall-e164` (not E.164), and `placecall-number`
 *   (passed or warned, only when the profile names the bot's number in `placeCall.botNumber`), each
 *   with its source; a rule not met is a warning, never a failure. Nothing when all is as the seeds say.
 */
export function placeCallRuleChecks(profile: Pick<VendorProfile, 'name' | 'placeCall' | 'sources'>, f: { requestUri: string; transport: string }): CheckResult[] {
  const r = profile.placeCall ?? {};
  const source = profile.sources?.placeCall ?? USER_SET;
  const cite = `[${formatSource(source)}]`;
  const out: CheckResult[] = [];
  const warn = (name: string, detail: string): CheckResult => ({ name, ok: true, warn: true, detail: `${detail} ${cite}`, source });
  const pass = (name: string, detail: string): CheckResult => ({ name, ok: true, detail: `${detail} ${cite}`, source });
  const tls = f.transport.toLowerCase() === 'tls' || /^sips:/i.test(f.requestUri);
  if (r.requireTls && !tls) {
    out.push(warn('placecall-tls', `the leg to the bot uses ${f.transport.toUpperCase()}: ${profile.name}'s SIP trunk is configured for TLS and may refuse it`));
  }
  const number = dialledNumber(f.requestUri);
  if (r.e164 && !E164.test(number)) {
    out.push(warn('placecall-e164', `PLACECALL dialled ${JSON.stringify(number)}, not an E.164 number (+ and country code, at most 15 digits): ${profile.name}'s pseudo number is E.164`));
  }
  if (r.mustMatch && r.botNumber) {
    if (normalize(number) === normalize(r.botNumber)) out.push(pass('placecall-number', `PLACECALL dialled ${number}, ${r.mustMatch}`));
    else out.push(warn('placecall-number', `PLACECALL dialled ${number}, but ${r.mustMatch} is ${r.botNumber}: the bot may not route the call`));
  }
  return out;
}
