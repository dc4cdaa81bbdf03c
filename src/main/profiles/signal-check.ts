/**
 * Checks on the parameters of a CXone Signal (`POST …/interactions/{contactId}/signal?p1=…&p9=…`)
 * against a vendor profile's conventions (cxone-reference.md §2).
 *
 * @remarks Up to nine parameters p1..p9 [GEN], [H-SIG], [POLY], [IBM]; no source mentions p10.
 * p1 is what ONSIGNAL branches on in every vendor's script [KORE], [IBM], [SYN]. Values go into
 * the query string, so CR, LF and NUL are refused, as Synthflow does for header values [SYN].
 */
import type { VendorProfile } from '../../shared/profile';
import { SIGNAL_PARAM_NAMES } from '../../shared/types';
import type { CheckResult, SignalParams } from '../../shared/types';

/**
 * An `expectedP1` entry meaning "any other non-empty value". It lets a profile list the fixed
 * values it knows and still accept a free one: IBM Watson's p1 is a session history key (free) or
 * `hangup` [IBM], so its list is `['hangup', '*']`.
 */
export const ANY_P1 = '*';

/** What a known fixed p1 value makes the receiving script do, by the vendor sources. */
const KNOWN_P1_MEANING: Readonly<Record<string, string>> = {
  AgentHandoff: 'Kore: transfer to a live agent [KORE]',
  hangup: 'IBM Watson: the script runs HANGUP [IBM]',
  Escalate: 'Cognigy: escalate to an agent [COG]',
  End: 'Cognigy: end the conversation [COG]',
  liveAgentHandoff: 'Amelia/SmartAssist: transfer to a live agent [H-AMELIA]',
};

const quote = (s: string): string => JSON.stringify(s);
const NAMES: readonly string[] = SIGNAL_PARAM_NAMES;

function describeFixed(value: string): string {
  const meaning = KNOWN_P1_MEANING[value];
  return meaning ? ` (${meaning})` : '';
}

function checkP1Expected(p1: unknown, profile: VendorProfile): CheckResult {
  const name = 'signal.p1-expected';
  const fixed = profile.expectedP1.filter((v) => v !== ANY_P1);
  const free = profile.expectedP1.includes(ANY_P1);
  const listed = fixed.map(quote).join(', ') || '(none)';
  if (typeof p1 !== 'string' || p1.trim() === '') {
    return { name, ok: false, detail: `no p1 to compare with ${profile.name}'s values ${listed}` };
  }
  if (fixed.includes(p1)) {
    return { name, ok: true, detail: `p1 ${quote(p1)} is one of ${profile.name}'s values${describeFixed(p1)}` };
  }
  const caseTwin = fixed.find((v) => v.toLowerCase() === p1.toLowerCase());
  if (caseTwin !== undefined) {
    const consequence = free
      ? `; the script may take it as a free value instead of ${quote(caseTwin)}${describeFixed(caseTwin)}`
      : '; the script compares p1 with the exact value and may not branch';
    return { name, ok: false, detail: `p1 ${quote(p1)} differs in case from ${quote(caseTwin)}${consequence}` };
  }
  if (free) {
    const freeMeaning = fixed.includes('hangup')
      ? ' as the session history key: ONSIGNAL transfers to an agent and pops the transcript [IBM]'
      : ' as a free value';
    return { name, ok: true, detail: `p1 ${quote(p1)} is not one of ${listed}, so it is taken${freeMeaning}` };
  }
  return { name, ok: false, detail: `p1 ${quote(p1)} is not one of ${profile.name}'s expected values ${listed}` };
}

/**
 * Checks Signal parameters against CXone's rules and the profile's p1 convention.
 *
 * @param params - the parameters as they will be sent (or as received by the emulator). Anything
 *   that is not an object of strings is reported, not thrown on.
 * @param profile - the vendor profile (`expectedP1`; `'*'` in it means "any other non-empty value").
 * @returns checks named `signal.param-names` (only p1..p9), `signal.param-count` (at most 9),
 *   `signal.p1-present` (p1 present and not blank), `signal.p1-expected` (only when the profile's
 *   `expectedP1` is not empty), `signal.values-clean` (strings without CR, LF or NUL).
 */
export function checkSignalParams(params: SignalParams, profile: VendorProfile): CheckResult[] {
  const obj: Record<string, unknown> =
    params !== null && typeof params === 'object' && !Array.isArray(params) ? { ...params } : {};
  const entries = Object.entries(obj).filter(([, v]) => v !== undefined);
  const keys = entries.map(([k]) => k);
  const results: CheckResult[] = [];

  const unknown = keys.filter((k) => !NAMES.includes(k));
  results.push({
    name: 'signal.param-names',
    ok: unknown.length === 0,
    detail:
      unknown.length === 0
        ? `parameter names (${keys.join(', ') || 'none'}) are all among p1..p9`
        : `unknown parameter names ${unknown.map(quote).join(', ')}; a CXone Signal takes only p1..p9 (lower case) [GEN]`,
  });

  results.push({
    name: 'signal.param-count',
    ok: keys.length <= NAMES.length,
    detail:
      keys.length <= NAMES.length
        ? `${keys.length} parameter(s), at most 9 allowed`
        : `${keys.length} parameters; a CXone Signal carries at most 9 (p1..p9) [H-SIG], [POLY]`,
  });

  const p1 = obj.p1;
  const p1Ok = typeof p1 === 'string' && p1.trim() !== '';
  results.push({
    name: 'signal.p1-present',
    ok: p1Ok,
    detail: p1Ok
      ? `p1 is ${quote(p1)}`
      : p1 === undefined
        ? "p1 is missing; the script's ONSIGNAL branches on p1 and cannot tell what the bot wants"
        : 'p1 is empty or blank; the script\'s ONSIGNAL branches on p1 and cannot tell what the bot wants',
  });

  if (profile.expectedP1.length > 0) results.push(checkP1Expected(p1, profile));

  const bad: string[] = [];
  for (const [k, v] of entries) {
    if (typeof v !== 'string') bad.push(`${k} is not a string`);
    else if (/[\r\n\0]/.test(v)) bad.push(`${k} contains CR, LF or NUL`);
  }
  results.push({
    name: 'signal.values-clean',
    ok: bad.length === 0,
    detail: bad.length === 0 ? 'no parameter contains CR, LF or NUL' : `${bad.join('; ')}`,
  });
  return results;
}
